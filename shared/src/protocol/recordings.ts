/**
 * The HTTP API of recordings (docs/recordings.md has the whole contract). Every session is
 * recorded; its recording is addressed by an unguessable replay id (128 bits), which the
 * session's members learn from session:create / join / resume. There is deliberately no
 * list of all recordings: it would hand out every replay id. Errors are HttpErrorReply.
 *
 *   GET    /api/recordings/:replayId                          → RecordingSummaryReply
 *   GET    /api/recordings/:replayId/state?seq=N | t=MS | step=S → RecordingStateReply
 *   GET    /api/recordings/:replayId/events?after=N&limit=M   → RecordingEventsReply
 *   GET    /api/recordings/:replayId/export[?anonymize=1]     → the NDJSON file (attachment)
 *   POST   /api/recordings/import      (body: the NDJSON file) → 201 RecordingImportReply
 *   DELETE /api/recordings/:replayId   (Authorization: Bearer <hostToken | deleteToken>) → 204
 *   POST   /api/recordings/:replayId/verify                   → RecordingVerifyReply
 *   GET    /api/sessions/:code/replay  (Authorization: Bearer <hostToken>) → SessionReplayReply
 */
import type { ActivationName } from '../nn/activations';
import type { TimelineMarker } from '../recording/markers';
import type { SessionEvent } from '../session/events';
import type { SessionState } from '../session/state';

/** Most events one GET …/events answers with. */
export const MAX_EVENTS_PER_PAGE = 2000;
/** Most [step, seq] pairs in a summary's stepIndex (thinned evenly past that). */
export const MAX_STEP_INDEX = 2000;
/**
 * A stretch between two events longer than this is idle: a replay that skips idle
 * stretches plays it shortened, and its timeline draws it shortened (client clock.ts).
 */
export const IDLE_GAP_MS = 2000;
/** Most idle stretches in a summary (the longest are kept). */
export const MAX_IDLE_GAPS = 2000;

export interface RecordingSummaryReply {
  replayId: string;
  title: string;
  createdAt: number;
  /** When the session ended; null while it is live (or if it never ended). */
  endedAt: number | null;
  /** lastT − firstT. */
  durationMs: number;
  /** The most training steps reached (steps restart at 0 on a reset or a new setup). */
  steps: number;
  /** Students who ever joined. */
  participants: number;
  /** The dataset and architecture at the last event. */
  dataset: { id: string; title: string };
  network: { layers: number[]; activations: ActivationName[] };
  /** The state at firstSeq is the state before any event (the session's start). */
  firstSeq: number;
  lastSeq: number;
  /** Times of the states at firstSeq (the session's creation) and lastSeq. */
  firstT: number;
  lastT: number;
  markers: TimelineMarker[];
  /**
   * [step, seq] pairs: the first seq at which the session had reached that step (steps
   * count from the highest reached so far, so a reset does not make them go back).
   */
  stepIndex: [number, number][];
  /**
   * [from, to] times of the idle stretches (two events more than IDLE_GAP_MS apart), in
   * order; at most MAX_IDLE_GAPS, the longest.
   */
  idle: [number, number][];
}

export interface RecordingStateReply {
  /** The state after event `seq` (the initial state for firstSeq). */
  seq: number;
  state: SessionState;
}

export interface RecordingEventsReply {
  /** Events with seq > after, in order, at most `limit` (≤ MAX_EVENTS_PER_PAGE). */
  events: SessionEvent[];
}

export interface RecordingImportReply {
  replayId: string;
  /** Deletes the imported recording (DELETE with Authorization: Bearer <deleteToken>). */
  deleteToken: string;
}

export type RecordingVerifyReply =
  | { ok: true; checked: number }
  | {
      ok: false;
      firstDivergence: {
        seq: number;
        /** The session's step before the event. */
        step: number;
        /** Which value, e.g. "progress.network.weights[0][1][2]". */
        what: string;
        /** What the re-simulation computed. */
        expected: unknown;
        /** What the recording holds. */
        actual: unknown;
      };
    };

export interface SessionReplayReply {
  replayId: string;
}

export function recordingPath(
  replayId: string,
  part: '' | 'state' | 'events' | 'export' | 'verify' = '',
): string {
  const base = `/api/recordings/${encodeURIComponent(replayId)}`;
  return part === '' ? base : `${base}/${part}`;
}

export const RECORDING_IMPORT_PATH = '/api/recordings/import';

export function sessionReplayPath(code: string): string {
  return `/api/sessions/${encodeURIComponent(code)}/replay`;
}
