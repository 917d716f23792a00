/**
 * Line 1 of a recording file: what it is, which version of the format, a summary for a
 * list of recordings (readable without the events), and the state the events start from.
 */
import * as v from 'valibot';
import type { ActivationName } from '../nn/activations';
import type { SessionEvent } from '../session/events';
import type { SessionState } from '../session/state';
import { RECORDING_LIMITS as L } from './limits';
import type { Same } from './sameType';
import {
  activationsSchema,
  datasetIdSchema,
  datasetTitleSchema,
  layersSchema,
  seedSchema,
  sessionStateSchema,
  timeSchema,
  titleSchema,
} from './stateSchema';

export const RECORDING_FORMAT = 'backprop-live-recording';
/** Bumped on any change that an older reader would misread; decode refuses other versions. */
export const RECORDING_VERSION = 1;

/** How the session ended up (the last setup and title), so a list can show it. */
export interface RecordingSummary {
  title: string;
  createdAt: number;
  network: { layers: number[]; activations: ActivationName[]; trainBiases: boolean };
  dataset: { id: string; title: string };
  seed: number;
}

export interface RecordingHeader extends RecordingSummary {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  /** The app version that wrote the file (for diagnostics; not checked). */
  app: string;
  exportedAt: number;
  /** Participant names were replaced by "Student 1", "Student 2", … (see anonymize.ts). */
  anonymized: boolean;
  /** How many event lines follow. */
  events: number;
  /** The state before the first event; its code is '' (a join code is not history). */
  initial: SessionState;
  /**
   * The uploaded CSV files the session trained on, so that the file alone re-simulates
   * (verify): one per 'setup-changed' event (or initial state) with datasetId 'csv', by its
   * seq. Absent when the session used built-in datasets only.
   */
  csv?: CsvAttachment[];
}

/** An uploaded CSV file as received: parseCsvDataset(text, { targets }) rebuilds the dataset. */
export interface CsvAttachment {
  /** The seq of the 'setup-changed' event that chose it (the initial state's seq for that one). */
  seq: number;
  targets: string[];
  text: string;
}

const csvAttachmentSchema = v.strictObject({
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  targets: v.pipe(
    v.array(v.pipe(v.string(), v.maxLength(L.maxColumnName))),
    v.minLength(1),
    v.maxLength(L.maxColumns),
  ),
  text: v.pipe(v.string(), v.maxLength(L.maxCsvBytes)),
});

export const recordingHeaderSchema = v.strictObject({
  format: v.literal(RECORDING_FORMAT),
  version: v.literal(RECORDING_VERSION),
  app: v.pipe(v.string(), v.maxLength(L.maxAppVersion)),
  title: titleSchema,
  createdAt: timeSchema,
  exportedAt: timeSchema,
  anonymized: v.boolean(),
  network: v.strictObject({
    layers: layersSchema,
    activations: activationsSchema,
    trainBiases: v.boolean(),
  }),
  dataset: v.strictObject({
    id: datasetIdSchema,
    title: datasetTitleSchema,
  }),
  seed: seedSchema,
  events: v.pipe(v.number(), v.integer(), v.minValue(0)),
  initial: sessionStateSchema,
  csv: v.optional(v.pipe(v.array(csvAttachmentSchema), v.maxLength(L.maxCsvAttachments))),
});

const _headerSchemaMatchesType: Same<
  v.InferOutput<typeof recordingHeaderSchema>,
  RecordingHeader
> = true;

/** The only types of event that change a recording's summary. */
export const SUMMARY_EVENT_TYPES: ReadonlySet<SessionEvent['type']> = new Set([
  'title-set',
  'setup-changed',
]);

/** The summary of a session that starts at `initial` and goes through `events`. */
export function recordingSummary(
  initial: SessionState,
  events: readonly SessionEvent[],
): RecordingSummary {
  let { title, setup } = initial;
  // Only these two events (SUMMARY_EVENT_TYPES) change the summary: no need to run the reducer.
  for (const event of events) {
    if (event.type === 'title-set') title = event.title;
    else if (event.type === 'setup-changed') setup = event.setup;
  }
  return {
    title,
    createdAt: initial.createdAt,
    network: {
      layers: [...setup.layers],
      activations: [...setup.activations],
      trainBiases: setup.trainBiases,
    },
    dataset: { id: setup.datasetId, title: setup.datasetTitle },
    seed: setup.seed,
  };
}

export function createRecordingHeader(options: {
  initial: SessionState;
  events: readonly SessionEvent[];
  app: string;
  exportedAt: number;
}): RecordingHeader {
  const { initial, events } = options;
  return recordingHeader({
    ...options,
    summary: recordingSummary(initial, events),
    eventCount: events.length,
  });
}

/**
 * The header of a file whose events are not all at hand (a streamed export): its summary
 * (recordingSummary of the events, or of only the 'title-set' and 'setup-changed' ones,
 * which alone decide it) and how many events follow.
 */
export function recordingHeader(options: {
  initial: SessionState;
  summary: RecordingSummary;
  eventCount: number;
  app: string;
  exportedAt: number;
}): RecordingHeader {
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    app: options.app,
    ...options.summary,
    exportedAt: options.exportedAt,
    anonymized: false,
    events: options.eventCount,
    initial: { ...options.initial, code: '' },
  };
}
