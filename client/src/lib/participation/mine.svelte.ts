/**
 * What only this student knows about their own participation: the proposals they made
 * (in anonymous mode the state does not say), their ballot in each vote and their answer
 * to each quiz (both secret on the server). Kept in localStorage per session and student,
 * so a reload still shows "you voted for 0.1" and "your answer: up".
 */
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { QuizAnswer } from '@backprop/shared/session';

/** Ballots and answers remembered (the latest ones; older rounds no longer matter). */
const KEEP = 20;

interface Stored {
  proposals: string[];
  ballots: [string, string][];
  answers: [string, QuizAnswer][];
}

export class MyParticipation {
  /** Ids of proposals this student made or joined from this device. */
  readonly proposals = new SvelteSet<string>();
  /** voteId → proposalId of the last ballot the server accepted. */
  readonly ballots = new SvelteMap<string, string>();
  /** quizId → the last answer the server accepted. */
  readonly answers = new SvelteMap<string, QuizAnswer>();

  readonly #key: string;
  readonly #storage: Storage | null;

  constructor(code: string, participantId: string | null, storage: Storage | null = safeStorage()) {
    this.#key = `backprop-mine:${code}:${participantId ?? 'host'}`;
    this.#storage = storage;
    this.#load();
  }

  addProposal(id: string): void {
    this.proposals.add(id);
    this.#save();
  }

  removeProposal(id: string): void {
    if (this.proposals.delete(id)) this.#save();
  }

  /** Forgets proposals no longer in the pool (withdrawn, cleared, the last supporter left). */
  keepProposals(inPool: ReadonlySet<string>): void {
    let changed = false;
    for (const id of [...this.proposals]) {
      if (!inPool.has(id)) changed = this.proposals.delete(id) || changed;
    }
    if (changed) this.#save();
  }

  setBallot(voteId: string, proposalId: string): void {
    latest(this.ballots, voteId, proposalId);
    this.#save();
  }

  setAnswer(quizId: string, answer: QuizAnswer): void {
    latest(this.answers, quizId, answer);
    this.#save();
  }

  #load(): void {
    try {
      const raw = this.#storage?.getItem(this.#key);
      if (!raw) return;
      const stored = JSON.parse(raw) as Partial<Stored>;
      if (Array.isArray(stored.proposals)) {
        for (const id of stored.proposals) if (typeof id === 'string') this.proposals.add(id);
      }
      if (Array.isArray(stored.ballots)) {
        for (const entry of stored.ballots) {
          if (isPair(entry) && typeof entry[1] === 'string') this.ballots.set(entry[0], entry[1]);
        }
      }
      if (Array.isArray(stored.answers)) {
        for (const entry of stored.answers) {
          if (isPair(entry) && isAnswer(entry[1])) this.answers.set(entry[0], entry[1]);
        }
      }
    } catch {
      // A broken or foreign entry: start afresh (it only held reminders).
    }
  }

  #save(): void {
    const stored: Stored = {
      proposals: [...this.proposals],
      ballots: [...this.ballots],
      answers: [...this.answers],
    };
    try {
      this.#storage?.setItem(this.#key, JSON.stringify(stored));
    } catch {
      // Full or forbidden storage (private mode): the reminders last until the reload.
    }
  }
}

/** Sets `key` as the newest entry and drops the oldest beyond KEEP (a Map keeps insertion order). */
function latest<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  for (const old of map.keys()) {
    if (map.size <= KEEP) break;
    map.delete(old);
  }
}

function isPair(entry: unknown): entry is [string, unknown] {
  return Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string';
}

/** Only well-formed answers come back from storage (it is this app's, but may be stale). */
function isAnswer(value: unknown): value is QuizAnswer {
  if (typeof value !== 'object' || value === null || !('kind' in value)) return false;
  const a = value as Record<string, unknown>;
  switch (a.kind) {
    case 'direction':
      return a.value === 'up' || a.value === 'down' || a.value === 'same';
    case 'largest':
      return Number.isInteger(a.to) && Number.isInteger(a.from);
    case 'loss':
      return typeof a.value === 'number' && Number.isFinite(a.value);
    default:
      return false;
  }
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}
