/**
 * The store on Postgres (node-postgres): the same contract and the same rows as the SQLite
 * store (sqlite-store.ts), for a cluster whose nodes share the recordings. Every method
 * resolves once its statement (or transaction) has committed.
 *
 * appendEvents locks the session's row (SELECT … FOR UPDATE) before checking the seq, so
 * two nodes appending to one session take turns, and the primary key (session, seq) is
 * the last word: a node that lost its room cannot commit a seq another has written.
 */
import pg from 'pg';
import { stringifyFinite, type CsvAttachment, type Keyframe } from '@backprop/shared/recording';
import { applyEvents, type SessionEvent, type SessionState } from '@backprop/shared/session';
import { hashToken } from '../../security/tokens';
import type { AsyncStore } from '../async-store';
import {
  StoreError,
  type CsvUpload,
  type LoadedSession,
  type NewSession,
  type RecordingSummaryRow,
  type SessionRecord,
  type StoredEventRow,
  type StoredParticipant,
  type TrainingCheckpoint,
} from '../store';
import {
  newSessionRecord,
  recordingSummary,
  SESSION_COLUMNS,
  sessionRecord,
  storedState,
  SUMMARY_COLUMNS,
  type SessionRow,
  type SummaryRow,
} from '../stored-rows';
import { datasetLabel, networkLabel, summarize } from '../summary';
import { migratePostgres } from './migrate';

/** An import left unfinished this long ago was abandoned (its node died): opening deletes it. */
export const ABANDONED_IMPORT_MS = 60 * 60 * 1000;

const UNIQUE_VIOLATION = '23505';

/** How long a new connection may take before the call fails as "unavailable". */
const CONNECT_TIMEOUT_MS = 5000;

/** bigint (int8) as a JavaScript number: seqs and counts stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? Number
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

export interface PostgresStoreOptions {
  /** Connections per node (pg.Pool's max); 10 by default. */
  maxConnections?: number;
  clock?: () => number;
}

/** Connects, migrates, and deletes abandoned imports; close() ends the pool. */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types,
    // A Postgres that cannot be reached must fail a commit (the room goes on hold, see
    // store-unavailable.ts), not hold the room's queue until the kernel gives up on TCP.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle connection that breaks (Postgres restarted) must not crash the process: the
  // next query gets a fresh one, or fails and says so.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
    const now = (options.clock ?? Date.now)();
    await pool.query('DELETE FROM sessions WHERE importing_since < $1', [
      now - ABANDONED_IMPORT_MS,
    ]);
  } catch (err) {
    await pool.end();
    throw err;
  }
  return new PostgresStore(pool, pool, options.clock ?? Date.now);
}

export class PostgresStore implements AsyncStore {
  constructor(
    private readonly pool: pg.Pool,
    /** The pool, or the one client of an open transaction. */
    private readonly db: Queryable,
    private readonly clock: () => number,
    private readonly inTransaction = false,
  ) {}

  async createSession(session: NewSession): Promise<SessionRecord> {
    const { initial } = session;
    const record = newSessionRecord(session);
    try {
      await this.db.query(
        `INSERT INTO sessions (code, replay_id, title, created_at, host_token_hash, initial_state,
           initial_seq, last_seq, importing_since, dataset, network)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10)`,
        [
          record.code,
          record.replayId,
          record.title,
          record.createdAt,
          record.hostTokenHash,
          stringifyFinite(initial),
          initial.seq,
          session.importing ? this.clock() : null,
          datasetLabel(initial.setup),
          networkLabel(initial.setup),
        ],
      );
    } catch (err) {
      const { code, constraint } = err as { code?: string; constraint?: string };
      if (code === UNIQUE_VIOLATION && constraint === 'sessions_pkey') {
        throw new StoreError(`a session with the code ${session.code} already exists`);
      }
      throw err;
    }
    return record;
  }

  async codeInUse(code: string): Promise<boolean> {
    const { rowCount } = await this.db.query('SELECT 1 FROM sessions WHERE code = $1', [code]);
    return (rowCount ?? 0) > 0;
  }

  async session(code: string): Promise<SessionRecord | null> {
    const { rows } = await this.db.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE code = $1 AND importing_since IS NULL`,
      [code],
    );
    return rows[0] ? sessionRecord(rows[0]) : null;
  }

  async sessionByReplayId(replayId: string): Promise<SessionRecord | null> {
    const { rows } = await this.db.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE replay_id = $1 AND importing_since IS NULL`,
      [replayId],
    );
    return rows[0] ? sessionRecord(rows[0]) : null;
  }

  async initialState(code: string): Promise<SessionState | null> {
    const { rows } = await this.db.query<{ initial_state: string }>(
      'SELECT initial_state FROM sessions WHERE code = $1',
      [code],
    );
    return rows[0] ? storedState(rows[0].initial_state) : null;
  }

  /* One transaction, as in SQLite; the row lock orders appends from different nodes. */
  async appendEvents(
    code: string,
    events: readonly SessionEvent[],
    keyframes: readonly Keyframe[] = [],
  ): Promise<number> {
    if (events.length === 0 && keyframes.length === 0) return 0;
    // Serialized before anything is sent: a NaN refuses the batch without a round trip.
    const jsons = events.map((event) => stringifyFinite(event));
    const states = keyframes.map((keyframe) => keyframeRow(keyframe));
    return this.transaction(async (tx) => {
      const db = (tx as PostgresStore).db;
      const { rows } = await db.query<{ last_seq: number }>(
        'SELECT last_seq FROM sessions WHERE code = $1 FOR UPDATE',
        [code],
      );
      if (!rows[0]) throw new StoreError(`there is no session ${code}`);
      let expected = rows[0].last_seq + 1;
      for (const event of events) {
        if (event.seq !== expected) {
          throw new StoreError(
            `session ${code}: event seq ${event.seq} does not follow ${expected - 1}`,
          );
        }
        expected++;
      }
      if (events.length > 0) {
        // One statement for the batch: arrays unnested into rows.
        await db.query(
          `INSERT INTO events (session, seq, t, type, json)
           SELECT $1, * FROM unnest($2::bigint[], $3::float8[], $4::text[], $5::text[])`,
          [
            code,
            events.map((event) => event.seq),
            events.map((event) => event.t),
            events.map((event) => event.type),
            jsons,
          ],
        );
      }
      for (const state of states) await upsertKeyframe(db, code, state);
      if (events.length > 0) {
        const change = summarize(events);
        await db.query(
          `UPDATE sessions SET
             last_seq = $2,
             last_event_at = $3,
             steps = GREATEST(steps, COALESCE($4::bigint, 0)),
             participants = participants + $5,
             title = COALESCE($6, title),
             dataset = COALESCE($7, dataset),
             network = COALESCE($8, network),
             ended_at = COALESCE(ended_at, $9)
           WHERE code = $1`,
          [
            code,
            change.lastSeq,
            change.lastEventAt,
            change.maxStep,
            change.joined,
            change.title,
            change.dataset,
            change.network,
            change.endedAt,
          ],
        );
      }
      return jsons.reduce((sum, json) => sum + Buffer.byteLength(json) + 1, 0);
    });
  }

  async recordingBytes(code: string): Promise<number> {
    const { rows } = await this.db.query<{ bytes: number | null }>(
      `SELECT ((SELECT octet_length(initial_state) FROM sessions WHERE code = $1)
             + (SELECT COALESCE(SUM(octet_length(json) + 1), 0) FROM events WHERE session = $1)
             )::float8 AS bytes`,
      [code],
    );
    return rows[0]?.bytes ?? 0;
  }

  async eventsSince(code: string, seq: number, limit?: number): Promise<SessionEvent[]> {
    const { rows } = await this.db.query<{ json: string }>(
      'SELECT json FROM events WHERE session = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [code, seq, limit ?? null], // LIMIT NULL: no limit
    );
    return rows.map((row) => JSON.parse(row.json) as SessionEvent);
  }

  async eventRows(
    code: string,
    after: number,
    through: number,
    limit: number,
  ): Promise<StoredEventRow[]> {
    const { rows } = await this.db.query<StoredEventRow>(
      `SELECT seq, type, json FROM events WHERE session = $1 AND seq > $2 AND seq <= $3
       ORDER BY seq LIMIT $4`,
      [code, after, through, limit],
    );
    return rows;
  }

  async putKeyframe(code: string, keyframe: Keyframe): Promise<void> {
    await upsertKeyframe(this.db, code, keyframeRow(keyframe));
  }

  async latestKeyframe(code: string, atOrBeforeSeq?: number): Promise<Keyframe | null> {
    const { rows } = await this.db.query<{ seq: number; state: string }>(
      'SELECT seq, state FROM keyframes WHERE session = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1',
      [code, atOrBeforeSeq ?? Number.MAX_SAFE_INTEGER],
    );
    return rows[0] ? { seq: rows[0].seq, state: storedState(rows[0].state) } : null;
  }

  async loadSession(code: string): Promise<LoadedSession | null> {
    // REPEATABLE READ: every query sees the same committed snapshot.
    return this.transaction(async (tx) => {
      const store = tx as PostgresStore;
      if (!this.inTransaction) {
        await store.db.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      }
      const session = await store.session(code);
      if (!session) return null;
      const keyframe = await store.latestKeyframe(code);
      const base = keyframe?.state ?? (await store.initialState(code))!;
      const state = applyEvents(base, await store.eventsSince(code, base.seq));
      if (state.seq !== session.lastSeq) {
        throw new StoreError(
          `session ${code}: the events end at seq ${state.seq} but the session says ${session.lastSeq}`,
        );
      }
      return {
        session,
        state,
        participants: await store.participants(code),
        csv: await store.csvUpload(code),
      };
    });
  }

  async listRecordings(): Promise<RecordingSummaryRow[]> {
    const { rows } = await this.db.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS}
       FROM sessions WHERE importing_since IS NULL ORDER BY created_at DESC, code`,
    );
    return rows.map(recordingSummary);
  }

  async deleteSomeEvents(code: string, limit: number): Promise<number> {
    return this.transaction(async (tx) => {
      const db = (tx as PostgresStore).db;
      let deleted = 0;
      for (const table of ['events', 'keyframes'] as const) {
        const { rowCount } = await db.query(
          `DELETE FROM ${table} WHERE session = $1 AND seq IN
             (SELECT seq FROM ${table} WHERE session = $1 ORDER BY seq DESC LIMIT $2)`,
          [code, limit],
        );
        deleted += rowCount ?? 0;
      }
      return deleted;
    });
  }

  async deleteRecording(code: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM sessions WHERE code = $1', [code]);
    return (rowCount ?? 0) > 0;
  }

  async putParticipant(
    code: string,
    participant: { id: string; name: string; token: string },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO participants (session, id, name, token_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session, id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash`,
      [code, participant.id, participant.name, hashToken(participant.token)],
    );
  }

  async setParticipantKicked(code: string, id: string, kicked: boolean): Promise<void> {
    const { rowCount } = await this.db.query(
      'UPDATE participants SET kicked = $3 WHERE session = $1 AND id = $2',
      [code, id, kicked],
    );
    if (!rowCount) throw new StoreError(`session ${code} has no participant ${id}`);
  }

  async putCsvUpload(code: string, upload: CsvUpload): Promise<void> {
    await this.db.query(
      `INSERT INTO csv_uploads (session, uploaded_at, targets, text) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session) DO UPDATE SET
         uploaded_at = excluded.uploaded_at, targets = excluded.targets, text = excluded.text`,
      [code, upload.uploadedAt, JSON.stringify(upload.targets), upload.text],
    );
  }

  async putCsvSetup(code: string, seq: number, upload: CsvUpload): Promise<void> {
    await this.db.query(
      `INSERT INTO csv_setups (session, seq, targets, text) VALUES ($1, $2, $3, $4)
       ON CONFLICT (session, seq) DO UPDATE SET targets = excluded.targets, text = excluded.text`,
      [code, seq, JSON.stringify(upload.targets), upload.text],
    );
  }

  async csvSetups(code: string): Promise<CsvAttachment[]> {
    const { rows } = await this.db.query<{ seq: number; targets: string; text: string }>(
      'SELECT seq, targets, text FROM csv_setups WHERE session = $1 ORDER BY seq',
      [code],
    );
    return rows.map((row) => ({
      seq: row.seq,
      targets: JSON.parse(row.targets) as string[],
      text: row.text,
    }));
  }

  async putTrainingCheckpoint(code: string, checkpoint: TrainingCheckpoint): Promise<void> {
    await this.db.query(
      `INSERT INTO training_checkpoints (session, seq, checkpoint) VALUES ($1, $2, $3)
       ON CONFLICT (session) DO UPDATE SET seq = excluded.seq, checkpoint = excluded.checkpoint`,
      [code, checkpoint.seq, stringifyFinite(checkpoint)],
    );
  }

  async trainingCheckpoint(code: string): Promise<TrainingCheckpoint | null> {
    const { rows } = await this.db.query<{ checkpoint: string }>(
      'SELECT checkpoint FROM training_checkpoints WHERE session = $1',
      [code],
    );
    return rows[0] ? (JSON.parse(rows[0].checkpoint) as TrainingCheckpoint) : null;
  }

  async transaction<T>(work: (tx: AsyncStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    const client = await this.pool.connect();
    const tx = new PostgresStore(this.pool, client, this.clock, true);
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: unknown) => (broken = rollbackErr));
      throw err;
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: destroyed, not reused.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async finishImport(code: string): Promise<void> {
    await this.db.query('UPDATE sessions SET importing_since = NULL WHERE code = $1', [code]);
  }

  async liveSessions(): Promise<SessionRecord[]> {
    const { rows } = await this.db.query<SessionRow>(
      `SELECT ${SESSION_COLUMNS} FROM sessions WHERE ended_at IS NULL AND importing_since IS NULL
       ORDER BY created_at, code`,
    );
    return rows.map(sessionRecord);
  }

  async close(): Promise<void> {
    if (!this.inTransaction) await this.pool.end();
  }

  private async participants(code: string): Promise<StoredParticipant[]> {
    const { rows } = await this.db.query<{
      id: string;
      name: string;
      token_hash: Buffer;
      kicked: boolean;
    }>('SELECT id, name, token_hash, kicked FROM participants WHERE session = $1 ORDER BY added', [
      code,
    ]);
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      tokenHash: row.token_hash,
      kicked: row.kicked,
    }));
  }

  private async csvUpload(code: string): Promise<CsvUpload | null> {
    const { rows } = await this.db.query<{ uploaded_at: number; targets: string; text: string }>(
      'SELECT uploaded_at, targets, text FROM csv_uploads WHERE session = $1',
      [code],
    );
    const row = rows[0];
    return row
      ? {
          text: row.text,
          targets: JSON.parse(row.targets) as string[],
          uploadedAt: row.uploaded_at,
        }
      : null;
  }
}

function keyframeRow(keyframe: Keyframe): { seq: number; state: string } {
  if (keyframe.state.seq !== keyframe.seq) {
    throw new StoreError(`keyframe ${keyframe.seq} holds the state of seq ${keyframe.state.seq}`);
  }
  return { seq: keyframe.seq, state: stringifyFinite(keyframe.state) };
}

async function upsertKeyframe(
  db: Queryable,
  code: string,
  row: { seq: number; state: string },
): Promise<void> {
  await db.query(
    `INSERT INTO keyframes (session, seq, state) VALUES ($1, $2, $3)
     ON CONFLICT (session, seq) DO UPDATE SET state = excluded.state`,
    [code, row.seq, row.state],
  );
}
