/** Rows as both stores read them back (SQLite and Postgres keep the same columns). */
import { withClassView, type SessionState } from '@backprop/shared/session';
import { hashToken } from '../security/tokens';
import { newReplayId } from './replay-id';
import type { NewSession, RecordingSummaryRow, SessionRecord } from './store';

export interface SessionRow {
  code: string;
  replay_id: string;
  title: string;
  created_at: number;
  ended_at: number | null;
  host_token_hash: Buffer;
  initial_seq: number;
  last_seq: number;
}

export const SESSION_COLUMNS =
  'code, replay_id, title, created_at, ended_at, host_token_hash, initial_seq, last_seq';

export function sessionRecord(row: SessionRow): SessionRecord {
  return {
    code: row.code,
    replayId: row.replay_id,
    title: row.title,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    hostTokenHash: row.host_token_hash,
    initialSeq: row.initial_seq,
    lastSeq: row.last_seq,
  };
}

/** A stored state, with the fields added since it was written (class-view.ts). */
export function storedState(json: string): SessionState {
  return withClassView(JSON.parse(json) as SessionState);
}

/** The record of a session about to be inserted: a fresh replay id, the token hashed. */
export function newSessionRecord(session: NewSession): SessionRecord {
  return {
    code: session.code,
    replayId: newReplayId(),
    title: session.title,
    createdAt: session.createdAt,
    endedAt: null,
    hostTokenHash: hashToken(session.hostToken),
    initialSeq: session.initial.seq,
    lastSeq: session.initial.seq,
  };
}

export interface SummaryRow {
  code: string;
  replay_id: string;
  title: string;
  created_at: number;
  ended_at: number | null;
  last_event_at: number | null;
  initial_seq: number;
  last_seq: number;
  steps: number;
  participants: number;
  dataset: string;
  network: string;
}

export const SUMMARY_COLUMNS = `code, replay_id, title, created_at, ended_at, last_event_at,
  initial_seq, last_seq, steps, participants, dataset, network`;

export function recordingSummary(row: SummaryRow): RecordingSummaryRow {
  return {
    code: row.code,
    replayId: row.replay_id,
    title: row.title,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    lastEventAt: row.last_event_at,
    events: row.last_seq - row.initial_seq,
    steps: row.steps,
    participants: row.participants,
    dataset: row.dataset,
    network: row.network,
  };
}
