/**
 * The Store on SQLite (better-sqlite3). Events and states are kept as the JSON the class
 * receives (written with stringifyFinite, which refuses NaN and ±Infinity rather than turn
 * them into null); the columns beside them are for lookups and the recordings list.
 * Rows read back are trusted: only this class writes them, after the room's own checks.
 */
import type { Database, Statement } from 'better-sqlite3';
import { stringifyFinite, type CsvAttachment, type Keyframe } from '@backprop/shared/recording';
import { applyEvents, type SessionEvent, type SessionState } from '@backprop/shared/session';
import { hashToken } from '../security/tokens';
import { openDatabase, type OpenOptions } from './connection';
import type {
  CsvUpload,
  LoadedSession,
  NewSession,
  RecordingSummaryRow,
  SessionRecord,
  Store,
  StoredEventRow,
  StoredParticipant,
  TrainingCheckpoint,
} from './store';
import { StoreError } from './store';
import {
  newSessionRecord,
  recordingSummary,
  SESSION_COLUMNS,
  sessionRecord,
  storedState,
  SUMMARY_COLUMNS,
  type SessionRow,
  type SummaryRow,
} from './stored-rows';
import { datasetLabel, networkLabel, summarize } from './summary';

export { newReplayId } from './replay-id';

export class SqliteStore implements Store {
  private readonly statements: ReturnType<typeof prepare>;

  /** Takes ownership of `db` (close() closes it); see openSqliteStore for the usual way in. */
  constructor(private readonly db: Database) {
    this.statements = prepare(db);
    // Imports a crash interrupted (see NewSession.importing): nobody was given their id.
    this.statements.deleteUnfinishedImports.run();
  }

  createSession(session: NewSession): SessionRecord {
    const { initial } = session;
    const record = newSessionRecord(session);
    try {
      this.statements.insertSession.run({
        code: record.code,
        replay_id: record.replayId,
        title: record.title,
        created_at: record.createdAt,
        host_token_hash: record.hostTokenHash,
        initial_state: stringifyFinite(initial),
        initial_seq: initial.seq,
        importing: session.importing ? 1 : 0,
        dataset: datasetLabel(initial.setup),
        network: networkLabel(initial.setup),
      });
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new StoreError(`a session with the code ${session.code} already exists`);
      }
      throw err;
    }
    return record;
  }

  codeInUse(code: string): boolean {
    return this.statements.codeInUse.get(code) !== undefined;
  }

  session(code: string): SessionRecord | null {
    const row = this.statements.sessionByCode.get(code) as SessionRow | undefined;
    return row ? sessionRecord(row) : null;
  }

  sessionByReplayId(replayId: string): SessionRecord | null {
    const row = this.statements.sessionByReplayId.get(replayId) as SessionRow | undefined;
    return row ? sessionRecord(row) : null;
  }

  initialState(code: string): SessionState | null {
    const row = this.statements.initialState.get(code) as { initial_state: string } | undefined;
    return row ? storedState(row.initial_state) : null;
  }

  /*
   * One transaction: the seq check, every insert and the summary update commit together or
   * not at all, so a batch (one tick of a room) is never half recorded. The seq is checked
   * event by event against the last committed one, so a gap anywhere refuses the batch.
   */
  appendEvents(code: string, events: readonly SessionEvent[], keyframes: readonly Keyframe[] = []) {
    if (events.length === 0 && keyframes.length === 0) return 0;
    let bytes = 0;
    this.db.transaction(() => {
      const session = this.statements.lastSeq.get(code) as { last_seq: number } | undefined;
      if (!session) throw new StoreError(`there is no session ${code}`);
      let expected = session.last_seq + 1;
      for (const event of events) {
        if (event.seq !== expected) {
          throw new StoreError(
            `session ${code}: event seq ${event.seq} does not follow ${expected - 1}`,
          );
        }
        const json = stringifyFinite(event);
        this.statements.insertEvent.run(code, event.seq, event.t, event.type, json);
        bytes += Buffer.byteLength(json) + 1; // one NDJSON line each in an export
        expected++;
      }
      for (const keyframe of keyframes) this.insertKeyframe(code, keyframe);
      if (events.length > 0) this.updateSummary(code, events);
    })();
    return bytes;
  }

  recordingBytes(code: string): number {
    const row = this.statements.recordingBytes.get(code, code) as { bytes: number | null };
    return row.bytes ?? 0;
  }

  eventsSince(code: string, seq: number, limit = -1): SessionEvent[] {
    // LIMIT -1 is SQLite for "no limit".
    const rows = this.statements.eventsSince.all(code, seq, limit) as { json: string }[];
    return rows.map((row) => JSON.parse(row.json) as SessionEvent);
  }

  eventRows(code: string, after: number, through: number, limit: number): StoredEventRow[] {
    return this.statements.eventRows.all(code, after, through, limit) as StoredEventRow[];
  }

  putKeyframe(code: string, keyframe: Keyframe): void {
    this.insertKeyframe(code, keyframe);
  }

  latestKeyframe(code: string, atOrBeforeSeq = Number.MAX_SAFE_INTEGER): Keyframe | null {
    const row = this.statements.latestKeyframe.get(code, atOrBeforeSeq) as
      { seq: number; state: string } | undefined;
    return row ? { seq: row.seq, state: storedState(row.state) } : null;
  }

  loadSession(code: string): LoadedSession | null {
    // A read transaction: every query sees the same committed snapshot.
    return this.db.transaction(() => {
      const session = this.session(code);
      if (!session) return null;
      const keyframe = this.latestKeyframe(code);
      const base = keyframe?.state ?? this.initialState(code)!;
      const state = applyEvents(base, this.eventsSince(code, base.seq));
      if (state.seq !== session.lastSeq) {
        throw new StoreError(
          `session ${code}: the events end at seq ${state.seq} but the session says ${session.lastSeq}`,
        );
      }
      return {
        session,
        state,
        participants: this.participants(code),
        csv: this.csvUpload(code),
      };
    })();
  }

  listRecordings(): RecordingSummaryRow[] {
    const rows = this.statements.listRecordings.all() as SummaryRow[];
    return rows.map(recordingSummary);
  }

  deleteSomeEvents(code: string, limit: number): number {
    return this.db.transaction(
      () =>
        this.statements.deleteSomeEvents.run(code, code, limit).changes +
        this.statements.deleteSomeKeyframes.run(code, code, limit).changes,
    )();
  }

  deleteRecording(code: string): boolean {
    // ON DELETE CASCADE removes its events, keyframes, participants and upload.
    return this.statements.deleteSession.run(code).changes > 0;
  }

  putParticipant(code: string, participant: { id: string; name: string; token: string }): void {
    this.statements.upsertParticipant.run(
      code,
      participant.id,
      participant.name,
      hashToken(participant.token),
    );
  }

  setParticipantKicked(code: string, id: string, kicked: boolean): void {
    const changed = this.statements.setKicked.run(kicked ? 1 : 0, code, id).changes;
    if (changed === 0) throw new StoreError(`session ${code} has no participant ${id}`);
  }

  putCsvUpload(code: string, upload: CsvUpload): void {
    this.statements.upsertCsv.run(
      code,
      upload.uploadedAt,
      JSON.stringify(upload.targets),
      upload.text,
    );
  }

  putCsvSetup(code: string, seq: number, upload: CsvUpload): void {
    this.statements.upsertCsvSetup.run(code, seq, JSON.stringify(upload.targets), upload.text);
  }

  csvSetups(code: string): CsvAttachment[] {
    const rows = this.statements.csvSetups.all(code) as {
      seq: number;
      targets: string;
      text: string;
    }[];
    return rows.map((row) => ({
      seq: row.seq,
      targets: JSON.parse(row.targets) as string[],
      text: row.text,
    }));
  }

  putTrainingCheckpoint(code: string, checkpoint: TrainingCheckpoint): void {
    this.statements.upsertCheckpoint.run(code, checkpoint.seq, stringifyFinite(checkpoint));
  }

  trainingCheckpoint(code: string): TrainingCheckpoint | null {
    const row = this.statements.checkpoint.get(code) as { checkpoint: string } | undefined;
    return row ? (JSON.parse(row.checkpoint) as TrainingCheckpoint) : null;
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /**
   * BEGIN now, COMMIT or ROLLBACK later: for the async contract (async-store.ts), whose
   * transactions span awaits, which db.transaction() cannot. The caller keeps every other
   * statement out until it ends.
   */
  beginManualTransaction(): { commit(): void; rollback(): void } {
    this.db.exec('BEGIN IMMEDIATE');
    return {
      commit: () => void this.db.exec('COMMIT'),
      rollback: () => {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      },
    };
  }

  finishImport(code: string): void {
    this.statements.finishImport.run(code);
  }

  liveSessions(): SessionRecord[] {
    return (this.statements.liveSessions.all() as SessionRow[]).map(sessionRecord);
  }

  close(): void {
    this.db.close();
  }

  private participants(code: string): StoredParticipant[] {
    const rows = this.statements.participants.all(code) as {
      id: string;
      name: string;
      token_hash: Buffer;
      kicked: number;
    }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      tokenHash: row.token_hash,
      kicked: row.kicked === 1,
    }));
  }

  private csvUpload(code: string): CsvUpload | null {
    const row = this.statements.csvUpload.get(code) as
      { uploaded_at: number; targets: string; text: string } | undefined;
    return row
      ? {
          text: row.text,
          targets: JSON.parse(row.targets) as string[],
          uploadedAt: row.uploaded_at,
        }
      : null;
  }

  private insertKeyframe(code: string, keyframe: Keyframe): void {
    if (keyframe.state.seq !== keyframe.seq) {
      throw new StoreError(`keyframe ${keyframe.seq} holds the state of seq ${keyframe.state.seq}`);
    }
    this.statements.upsertKeyframe.run(code, keyframe.seq, stringifyFinite(keyframe.state));
  }

  private updateSummary(code: string, events: readonly SessionEvent[]): void {
    const change = summarize(events);
    this.statements.updateSummary.run({ code, ...change });
  }
}

/** The store in `dataDir` (created on first start), or in memory for ':memory:'. */
export function openSqliteStore(dataDir: string, options?: OpenOptions): SqliteStore {
  return new SqliteStore(openDatabase(dataDir, options));
}

function prepare(db: Database) {
  const statement = (sql: string): Statement => db.prepare(sql);
  return {
    insertSession: statement(
      `INSERT INTO sessions (code, replay_id, title, created_at, host_token_hash, initial_state,
         initial_seq, last_seq, importing, dataset, network)
       VALUES (@code, @replay_id, @title, @created_at, @host_token_hash, @initial_state,
         @initial_seq, @initial_seq, @importing, @dataset, @network)`,
    ),
    sessionByCode: statement(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE code = ? AND importing = 0`,
    ),
    sessionByReplayId: statement(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE replay_id = ? AND importing = 0`,
    ),
    codeInUse: statement('SELECT 1 FROM sessions WHERE code = ?'),
    finishImport: statement('UPDATE sessions SET importing = 0 WHERE code = ?'),
    deleteUnfinishedImports: statement('DELETE FROM sessions WHERE importing = 1'),
    initialState: statement('SELECT initial_state FROM sessions WHERE code = ?'),
    lastSeq: statement('SELECT last_seq FROM sessions WHERE code = ?'),
    insertEvent: statement(
      'INSERT INTO events (session, seq, t, type, json) VALUES (?, ?, ?, ?, ?)',
    ),
    recordingBytes: statement(
      `SELECT (SELECT LENGTH(CAST(initial_state AS BLOB)) FROM sessions WHERE code = ?)
            + (SELECT COALESCE(SUM(LENGTH(CAST(json AS BLOB)) + 1), 0) FROM events WHERE session = ?)
         AS bytes`,
    ),
    eventsSince: statement(
      'SELECT json FROM events WHERE session = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    eventRows: statement(
      'SELECT seq, type, json FROM events WHERE session = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?',
    ),
    upsertKeyframe: statement(
      `INSERT INTO keyframes (session, seq, state) VALUES (?, ?, ?)
       ON CONFLICT (session, seq) DO UPDATE SET state = excluded.state`,
    ),
    latestKeyframe: statement(
      'SELECT seq, state FROM keyframes WHERE session = ? AND seq <= ? ORDER BY seq DESC LIMIT 1',
    ),
    // COALESCE keeps a column when the batch did not change it (its value is null).
    updateSummary: statement(
      `UPDATE sessions SET
         last_seq = @lastSeq,
         last_event_at = @lastEventAt,
         steps = MAX(steps, COALESCE(@maxStep, 0)),
         participants = participants + @joined,
         title = COALESCE(@title, title),
         dataset = COALESCE(@dataset, dataset),
         network = COALESCE(@network, network),
         ended_at = COALESCE(ended_at, @endedAt)
       WHERE code = @code`,
    ),
    listRecordings: statement(
      `SELECT ${SUMMARY_COLUMNS}
       FROM sessions WHERE importing = 0 ORDER BY created_at DESC, code`,
    ),
    deleteSession: statement('DELETE FROM sessions WHERE code = ?'),
    deleteSomeEvents: statement(
      `DELETE FROM events WHERE session = ? AND seq IN
         (SELECT seq FROM events WHERE session = ? ORDER BY seq DESC LIMIT ?)`,
    ),
    deleteSomeKeyframes: statement(
      `DELETE FROM keyframes WHERE session = ? AND seq IN
         (SELECT seq FROM keyframes WHERE session = ? ORDER BY seq DESC LIMIT ?)`,
    ),
    upsertParticipant: statement(
      `INSERT INTO participants (session, id, name, token_hash) VALUES (?, ?, ?, ?)
       ON CONFLICT (session, id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash`,
    ),
    setKicked: statement('UPDATE participants SET kicked = ? WHERE session = ? AND id = ?'),
    participants: statement(
      'SELECT id, name, token_hash, kicked FROM participants WHERE session = ? ORDER BY rowid',
    ),
    upsertCsv: statement(
      `INSERT INTO csv_uploads (session, uploaded_at, targets, text) VALUES (?, ?, ?, ?)
       ON CONFLICT (session) DO UPDATE SET
         uploaded_at = excluded.uploaded_at, targets = excluded.targets, text = excluded.text`,
    ),
    csvUpload: statement('SELECT uploaded_at, targets, text FROM csv_uploads WHERE session = ?'),
    upsertCsvSetup: statement(
      `INSERT INTO csv_setups (session, seq, targets, text) VALUES (?, ?, ?, ?)
       ON CONFLICT (session, seq) DO UPDATE SET targets = excluded.targets, text = excluded.text`,
    ),
    csvSetups: statement(
      'SELECT seq, targets, text FROM csv_setups WHERE session = ? ORDER BY seq',
    ),
    upsertCheckpoint: statement(
      `INSERT INTO training_checkpoints (session, seq, checkpoint) VALUES (?, ?, ?)
       ON CONFLICT (session) DO UPDATE SET seq = excluded.seq, checkpoint = excluded.checkpoint`,
    ),
    checkpoint: statement('SELECT checkpoint FROM training_checkpoints WHERE session = ?'),
    liveSessions: statement(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE ended_at IS NULL AND importing = 0
       ORDER BY created_at, code`,
    ),
  };
}
