/**
 * A recording as the single NDJSON file of the format (shared/src/recording/format.ts):
 * the header with the initial state (its join code blanked) and the CSV files the session
 * trained on, then every event. The file re-simulates on its own (verify), and imports
 * back into any server exactly as it was.
 *
 * Streamed, in two passes over the stored events, a page at a time with pauses (pacer.ts),
 * so a 50 MB export never holds up the other classes: the first pass finds what the
 * header says (the summary, the event count) and the file's exact size, which is refused
 * when over the format's limit before a byte is sent and is otherwise the Content-Length;
 * the second writes the file, waiting whenever the client reads slower than we write.
 * Events are written as stored: the store keeps each one as its line of the file.
 */
import type { Writable } from 'node:stream';
import {
  ANONYMIZED_EVENT_TYPES,
  Anonymizer,
  SUMMARY_EVENT_TYPES,
  recordingHeader,
  recordingSummary,
  refuseOversize,
  stringifyFinite,
  type RecordingHeader,
} from '@backprop/shared/recording';
import type { SessionEvent } from '@backprop/shared/session';
import type { AsyncStore, SessionRecord, StoredEventRow } from '../store';
import { Pacer } from './pacer';

/** Written into each file's header (for diagnostics; import does not check it). */
export const APP_VERSION = 'backprop-live 0.1.0';

/** Pages of events read at once: more when they are small, fewer when they are large. */
const PAGE = { first: 256, min: 1, max: 8192, targetBytes: 512 * 1024 };

export interface ExportOptions {
  anonymize: boolean;
  exportedAt: number;
}

export interface PlannedExport {
  /** "week-3-backprop-2026-11-28.ndjson" (…-anonymized.ndjson when anonymized). */
  filename: string;
  /** The file's exact size in bytes. */
  bytes: number;
  /** Writes the file to `out` (not ending it); rejects if `out` closes early or the recording changed. */
  write(out: Writable): Promise<void>;
}

/** Throws RecordingError when the file would be larger than the format allows. */
export async function planExport(
  store: AsyncStore,
  record: SessionRecord,
  options: ExportOptions,
): Promise<PlannedExport> {
  const initial = await store.initialState(record.code);
  if (!initial) throw new Error(`recording ${record.replayId} has no initial state`);
  // Events committed after this moment (a live session) are not part of this file.
  const through = record.lastSeq;
  const summaryEvents: SessionEvent[] = [];
  let eventBytes = 0;
  for await (const chunk of eventChunks(store, record, through, options, summaryEvents)) {
    eventBytes += Buffer.byteLength(chunk);
  }
  let header: RecordingHeader = recordingHeader({
    initial,
    summary: recordingSummary(initial, summaryEvents),
    eventCount: through - record.initialSeq,
    app: APP_VERSION,
    exportedAt: options.exportedAt,
  });
  const csv = await store.csvSetups(record.code);
  if (csv.length > 0) header = { ...header, csv };
  if (options.anonymize) header = new Anonymizer().header(header);
  const headerLine = `${stringifyFinite(header)}\n`;
  const bytes = Buffer.byteLength(headerLine) + eventBytes;
  refuseOversize(bytes, 'the recording');
  return {
    filename: filenameFor(header.title, record.createdAt, options.anonymize),
    bytes,
    write: async (out) => {
      let written = 0;
      const send = async (chunk: string) => {
        if (out.destroyed) throw new Error('the client closed the connection');
        written += Buffer.byteLength(chunk);
        if (!out.write(chunk)) await drained(out);
      };
      await send(headerLine);
      for await (const chunk of eventChunks(store, record, through, options)) await send(chunk);
      if (written !== bytes) throw new Error(`recording ${record.replayId} changed while exported`);
    },
  };
}

/**
 * The event lines, a page at a time, anonymized if asked; `summaryEvents` (if given)
 * collects the events that decide the header's summary.
 */
async function* eventChunks(
  store: AsyncStore,
  record: SessionRecord,
  through: number,
  options: ExportOptions,
  summaryEvents?: SessionEvent[],
): AsyncGenerator<string> {
  const pacer = new Pacer();
  // A fresh one per pass: it numbers students in order of appearance.
  const anonymizer = options.anonymize ? new Anonymizer() : null;
  let after = record.initialSeq;
  let limit = PAGE.first;
  while (after < through) {
    const rows = await store.eventRows(record.code, after, through, limit);
    if (rows.length === 0) return; // deleted meanwhile: write() notices the missing bytes
    let chunk = '';
    let stored = 0;
    for (const row of rows) {
      if (summaryEvents && SUMMARY_EVENT_TYPES.has(row.type)) {
        summaryEvents.push(JSON.parse(row.json) as SessionEvent);
      }
      chunk += `${lineOf(row, anonymizer)}\n`;
      stored += row.json.length;
    }
    yield chunk;
    after = rows.at(-1)!.seq;
    limit = nextPageSize(limit, stored);
    await pacer.pause();
  }
}

function lineOf(row: StoredEventRow, anonymizer: Anonymizer | null): string {
  if (!anonymizer || !ANONYMIZED_EVENT_TYPES.has(row.type)) return row.json;
  return stringifyFinite(anonymizer.event(JSON.parse(row.json) as SessionEvent));
}

function nextPageSize(limit: number, bytes: number): number {
  if (bytes > PAGE.targetBytes * 2) return Math.max(PAGE.min, Math.floor(limit / 2));
  if (bytes < PAGE.targetBytes / 2) return Math.min(PAGE.max, limit * 2);
  return limit;
}

/** Resolves when `out` wants more; rejects if it closes first (the client went away). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (err?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error('the client closed the connection'));
    out.on('drain', onDrain);
    out.on('close', onClose);
  });
}

/** ASCII only, so every browser and file system takes it as it is. */
export function filenameFor(title: string, createdAt: number, anonymized = false): string {
  const words = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  const day = new Date(createdAt).toISOString().slice(0, 10);
  return `${words || 'recording'}-${day}${anonymized ? '-anonymized' : ''}.ndjson`;
}
