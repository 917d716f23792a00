/**
 * Persistence for sessions: what a restarted server needs to bring every live room back,
 * and what the recordings list, the replay and the export read. SqliteStore implements it.
 *
 * Every method is synchronous (better-sqlite3): a method that returns has committed. The
 * server itself uses its Promise-returning form, AsyncStore (async-store.ts), which
 * Postgres implements too.
 */
import type { CsvAttachment, Keyframe } from '@backprop/shared/recording';
import type { NetworkValues, SessionEvent, SessionState } from '@backprop/shared/session';

export interface NewSession {
  code: string;
  title: string;
  createdAt: number;
  /** Hashed before it is stored: the store never holds a token itself. */
  hostToken: string;
  /** The state before the first event (seq 0 for a new session). */
  initial: SessionState;
  /**
   * An import being stored: no lookup finds it until finishImport(), and opening the store
   * deletes any left unfinished (a crash in the middle).
   */
  importing?: boolean;
}

/** An event as stored: its JSON text, which is exactly its line in an exported file. */
export interface StoredEventRow {
  seq: number;
  type: SessionEvent['type'];
  json: string;
}

export interface SessionRecord {
  code: string;
  /** Unguessable (128 bits, base64url): the address of the replay, shareable without the code. */
  replayId: string;
  title: string;
  createdAt: number;
  /** When the 'ended' event was recorded; null while the session is live. */
  endedAt: number | null;
  /** SHA-256 of the host token (see security/tokens.ts). */
  hostTokenHash: Buffer;
  initialSeq: number;
  /** The seq of the last committed event (initialSeq when there is none). */
  lastSeq: number;
}

/** A row of the recordings list: the summary columns, no state. */
export interface RecordingSummaryRow {
  code: string;
  replayId: string;
  title: string;
  createdAt: number;
  endedAt: number | null;
  /** Time of the last event (null before the first): with createdAt, the duration. */
  lastEventAt: number | null;
  events: number;
  /** The most training steps reached (steps restart at 0 on a reset or a new setup). */
  steps: number;
  /** Students who ever joined (kicked ones included). */
  participants: number;
  /** The dataset and architecture in use at the last event: "House prices", "3-4-1". */
  dataset: string;
  network: string;
}

export interface StoredParticipant {
  id: string;
  name: string;
  tokenHash: Buffer;
  kicked: boolean;
}

/** An uploaded CSV file as received: parseCsvDataset(text, { targets }) rebuilds it. */
export interface CsvUpload {
  text: string;
  targets: string[];
  uploadedAt: number;
}

/**
 * Where a live session's training stood after event `seq` (room/room.ts writes one every
 * so often, after the events it follows have committed): a restart builds the Training
 * there and re-simulates only the events after it (sessions/restore.ts). Server-private:
 * not part of a recording or its export.
 */
export interface TrainingCheckpoint {
  seq: number;
  /** The seq of the 'setup-changed' event (or the initial state) whose setup trains. */
  setupSeq: number;
  steps: number;
  firstLoss: number | null;
  epoch: number;
  rowsServed: number;
  network: NetworkValues;
}

/** Everything a restarted server needs to bring a room back. */
export interface LoadedSession {
  session: SessionRecord;
  /** The state after the last committed event: latest keyframe + the events after it. */
  state: SessionState;
  participants: StoredParticipant[];
  csv: CsvUpload | null;
}

export interface Store {
  /** Throws StoreError if the code is taken (codes of old recordings stay taken). */
  createSession(session: NewSession): SessionRecord;
  /** Whether a session (live or recorded) has this code: new codes must avoid them all. */
  codeInUse(code: string): boolean;
  session(code: string): SessionRecord | null;
  sessionByReplayId(replayId: string): SessionRecord | null;
  initialState(code: string): SessionState | null;
  /**
   * Commits `events` (which must continue the session's seq) and `keyframes` in ONE
   * transaction, and updates the summary columns: all of them or, on any error, none.
   * Returns the bytes of the events' JSON (what they add to the recording).
   */
  appendEvents(
    code: string,
    events: readonly SessionEvent[],
    keyframes?: readonly Keyframe[],
  ): number;
  /** The bytes of a session's recording: its initial state's and events' JSON (0: none). */
  recordingBytes(code: string): number;
  /** The committed events with seq > `seq`, in order; at most `limit` of them. */
  eventsSince(code: string, seq: number, limit?: number): SessionEvent[];
  /** The events with `after` < seq ≤ `through` as stored, in order; at most `limit`. */
  eventRows(code: string, after: number, through: number, limit: number): StoredEventRow[];
  putKeyframe(code: string, keyframe: Keyframe): void;
  /** The latest stored keyframe at or before `atOrBeforeSeq` (any, if omitted). */
  latestKeyframe(code: string, atOrBeforeSeq?: number): Keyframe | null;
  loadSession(code: string): LoadedSession | null;
  /** Newest first. */
  listRecordings(): RecordingSummaryRow[];
  /**
   * Deletes up to `limit` of the session's events and keyframes, returning how many went:
   * a large recording deleted in parts, so that no single statement holds up the server.
   */
  deleteSomeEvents(code: string, limit: number): number;
  /** Deletes a session with everything it holds; false if there was none. */
  deleteRecording(code: string): boolean;
  /** Adds a student, or updates their name and token; `token` is stored as its hash. */
  putParticipant(code: string, participant: { id: string; name: string; token: string }): void;
  setParticipantKicked(code: string, id: string, kicked: boolean): void;
  /** The session's CSV upload (one per session: a new one replaces the old). */
  putCsvUpload(code: string, upload: CsvUpload): void;
  /**
   * The CSV file that the 'setup-changed' event `seq` chose (a new one for that seq replaces
   * the old): what a re-simulation of the session needs, and what its export attaches.
   */
  putCsvSetup(code: string, seq: number, upload: CsvUpload): void;
  /** Every CSV file the session's setups chose, by seq. */
  csvSetups(code: string): CsvAttachment[];
  /** Keeps the session's latest training checkpoint (one per session: it replaces the last). */
  putTrainingCheckpoint(code: string, checkpoint: TrainingCheckpoint): void;
  trainingCheckpoint(code: string): TrainingCheckpoint | null;
  /**
   * Runs `work` in one transaction: the store calls inside it commit together, or (if it
   * throws) none of them. Nested calls join the outer transaction.
   */
  transaction<T>(work: () => T): T;
  /** Makes an import created with `importing: true` visible (see NewSession). */
  finishImport(code: string): void;
  /** Sessions without an 'ended' event, oldest first: the rooms to bring back on start. */
  liveSessions(): SessionRecord[];
  close(): void;
}

/** A store operation refused (unknown session, seq out of order, code taken). */
export class StoreError extends Error {
  override name = 'StoreError';
}
