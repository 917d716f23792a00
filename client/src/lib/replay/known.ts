/**
 * The recordings this browser knows. There is deliberately no public list of recordings on
 * the server: a replay id is the key to a recording, so the list of them lives here, in
 * localStorage — added when hosting a session, joining one (once its replay id is known),
 * opening a replay or importing a file.
 *
 * The secrets that may delete a recording stay here too: the delete token of an imported
 * file is kept with its entry; a hosted session's host token is the one the token store
 * already holds for its code. Storage can be missing or throw (private browsing): then the
 * list lives as long as the page.
 */
import type { StorageLike } from '../tokens';
import { isReplayIdLike } from './ids';

export type KnownVia = 'hosted' | 'joined' | 'opened' | 'imported';

/** What the list can show before (or without) asking the server. */
export interface KnownSummary {
  createdAt: number;
  endedAt: number | null;
  durationMs: number;
  steps: number;
  participants: number;
  dataset: string;
  network: string;
}

export interface KnownRecording {
  replayId: string;
  title: string;
  /** When this browser first learnt of it. */
  addedAt: number;
  via: KnownVia;
  /**
   * The live session's code, for one hosted or joined here: a hosted one's host token (kept
   * by code in the token store) may delete the recording, and the ended page finds it by code.
   */
  code?: string;
  /** Returned by an import: deletes that copy. */
  deleteToken?: string;
  /** An imported file's name, as it was on this computer. */
  fileName?: string;
  /** An imported file whose names were replaced ("Student 1", …; docs/recordings.md). */
  anonymized?: boolean;
  summary?: KnownSummary;
}

export const KNOWN_KEY = 'bpl:recordings';
/** Enough for years of lectures; the oldest are forgotten past it. */
export const MAX_KNOWN = 200;

/** Which origin wins when two say how this browser knows a recording. */
const VIA_RANK: Record<KnownVia, number> = { hosted: 3, imported: 2, joined: 1, opened: 0 };

export class KnownRecordings {
  readonly #storage: StorageLike | null;
  #memory: KnownRecording[] = [];

  constructor(storage: StorageLike | null) {
    this.#storage = storage;
  }

  /** Newest first. */
  list(): KnownRecording[] {
    let raw: string | null = null;
    try {
      raw = this.#storage?.getItem(KNOWN_KEY) ?? null;
    } catch {
      // fall back to the in-memory copy
    }
    if (raw === null) return [...this.#memory];
    return parseKnown(raw);
  }

  get(replayId: string): KnownRecording | null {
    return this.list().find((r) => r.replayId === replayId) ?? null;
  }

  /**
   * Adds or updates an entry. A later, weaker origin (opening a hosted session's replay)
   * never downgrades the entry or drops its secrets; a new title or summary replaces the old.
   */
  remember(entry: Omit<KnownRecording, 'addedAt'> & { addedAt?: number }): KnownRecording {
    const list = this.list();
    const old = list.find((r) => r.replayId === entry.replayId);
    const merged: KnownRecording = {
      replayId: entry.replayId,
      title: entry.title || old?.title || '',
      addedAt: old?.addedAt ?? entry.addedAt ?? Date.now(),
      via: old && VIA_RANK[old.via] > VIA_RANK[entry.via] ? old.via : entry.via,
    };
    const code = entry.code ?? old?.code;
    const deleteToken = entry.deleteToken ?? old?.deleteToken;
    const summary = entry.summary ?? old?.summary;
    const fileName = entry.fileName ?? old?.fileName;
    if (entry.anonymized ?? old?.anonymized) merged.anonymized = true;
    if (fileName) merged.fileName = fileName;
    if (code) merged.code = code;
    if (deleteToken) merged.deleteToken = deleteToken;
    if (summary) merged.summary = summary;
    const rest = list.filter((r) => r.replayId !== entry.replayId);
    this.#save([merged, ...rest].sort((a, b) => b.addedAt - a.addedAt).slice(0, MAX_KNOWN));
    return merged;
  }

  /** The recording of the session with this code, if this browser hosted or joined it. */
  byCode(code: string): KnownRecording | null {
    return this.list().find((r) => r.code === code) ?? null;
  }

  forget(replayId: string): void {
    this.#save(this.list().filter((r) => r.replayId !== replayId));
  }

  #save(list: KnownRecording[]): void {
    this.#memory = list;
    try {
      this.#storage?.setItem(KNOWN_KEY, JSON.stringify(list));
    } catch {
      // quota or privacy mode: the in-memory copy still serves this page
    }
  }
}

/** A session hosted or joined here: list its recording (called again when the title changes). */
export function rememberSession(
  known: KnownRecordings,
  session: { replayId: string; code: string; role: 'host' | 'student'; title: string },
): void {
  const old = known.get(session.replayId);
  if (old && old.title === session.title && old.code === session.code) return;
  known.remember({
    replayId: session.replayId,
    title: session.title,
    via: session.role === 'host' ? 'hosted' : 'joined',
    code: session.code,
  });
}

/**
 * The token that may delete `entry`: its delete token, or the host token of its session.
 * `hostToken` looks one up by session code (the token store's).
 */
export function deleteTokenOf(
  entry: KnownRecording,
  hostToken: (code: string) => string | null,
): string | null {
  return entry.deleteToken ?? (entry.code ? hostToken(entry.code) : null);
}

/** Reads the stored list, dropping anything that is not a well-formed entry. */
export function parseKnown(raw: string): KnownRecording[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): KnownRecording[] => {
    if (!isRecord(item)) return [];
    const { replayId, title, addedAt, via, code, deleteToken, summary, fileName, anonymized } =
      item;
    if (typeof replayId !== 'string' || !isReplayIdLike(replayId)) return [];
    if (typeof addedAt !== 'number' || !Number.isFinite(addedAt)) return [];
    if (typeof via !== 'string' || !Object.hasOwn(VIA_RANK, via)) return [];
    const entry: KnownRecording = {
      replayId,
      title: typeof title === 'string' ? title : '',
      addedAt,
      via: via as KnownVia,
    };
    if (typeof code === 'string') entry.code = code;
    if (typeof deleteToken === 'string') entry.deleteToken = deleteToken;
    if (typeof fileName === 'string') entry.fileName = fileName;
    if (anonymized === true) entry.anonymized = true;
    const parsed = parseSummary(summary);
    if (parsed) entry.summary = parsed;
    return [entry];
  });
}

function parseSummary(value: unknown): KnownSummary | null {
  if (!isRecord(value)) return null;
  const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const { createdAt, endedAt, durationMs, steps, participants, dataset, network } = value;
  if (![createdAt, durationMs, steps, participants].every(num)) return null;
  if (!(endedAt === null || num(endedAt))) return null;
  if (typeof dataset !== 'string' || typeof network !== 'string') return null;
  return {
    createdAt: createdAt as number,
    endedAt: endedAt as number | null,
    durationMs: durationMs as number,
    steps: steps as number,
    participants: participants as number,
    dataset,
    network,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const knownRecordings = new KnownRecordings(browserStorage());
