/**
 * A recording as the single NDJSON file of the format (shared/src/recording/format.ts):
 * the header with the initial state (its join code blanked) and the CSV files the session
 * trained on, then every event. The file re-simulates on its own (verify), and imports
 * back into any server exactly as it was.
 */
import {
  anonymize,
  createRecordingHeader,
  encodeRecording,
  type RecordingHeader,
} from '@backprop/shared/recording';
import type { SessionRecord, Store } from '../store';

/** Written into each file's header (for diagnostics; import does not check it). */
export const APP_VERSION = 'backprop-live 0.1.0';

export interface ExportedRecording {
  text: string;
  /** "week-3-backprop-2026-11-28.ndjson": the title (letters and digits) and the day it began. */
  filename: string;
}

/** Throws RecordingError when the file would be larger than the format allows. */
export function exportRecording(
  store: Store,
  record: SessionRecord,
  options: { anonymize: boolean; exportedAt: number },
): ExportedRecording {
  const initial = store.initialState(record.code);
  if (!initial) throw new Error(`recording ${record.replayId} has no initial state`);
  const events = store.eventsSince(record.code, record.initialSeq);
  let header: RecordingHeader = createRecordingHeader({
    initial,
    events,
    app: APP_VERSION,
    exportedAt: options.exportedAt,
  });
  const csv = store.csvSetups(record.code);
  if (csv.length > 0) header = { ...header, csv };
  const file = options.anonymize ? anonymize(header, events) : { header, events };
  return {
    text: encodeRecording(file.header, file.events),
    filename: filenameFor(header.title, record.createdAt),
  };
}

/** ASCII only, so every browser and file system takes it as it is. */
export function filenameFor(title: string, createdAt: number): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const day = new Date(createdAt).toISOString().slice(0, 10);
  return `${words || 'recording'}-${day}.ndjson`;
}
