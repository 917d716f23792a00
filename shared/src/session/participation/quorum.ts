/**
 * The arithmetic of stepping together, shared so the server decides and every client
 * shows "12 of 20 ready, 11 needed" with the same numbers.
 */
import type { SessionState } from '../state';
import type { Quorum } from './state';

/**
 * Ready students needed among `connected` connected students; at least 1, so an empty
 * room never steps by itself.
 * - majority: more than half (11 of 20, 10 of 18, 1 of 1);
 * - all: every connected student;
 * - percent: at least that share, rounded up (75 % of 10 → 8);
 * - count: that many, or everyone when fewer are connected (a class of 3 can still step
 *   with a count of 5).
 */
export function quorumNeeded(quorum: Quorum, connected: number): number {
  const n = Math.max(0, Math.floor(connected));
  let needed: number;
  switch (quorum.kind) {
    case 'majority':
      needed = Math.floor(n / 2) + 1;
      break;
    case 'all':
      needed = n;
      break;
    case 'percent':
      // The small tolerance keeps 7 × 100 / 100 from becoming 7.000000000000001 → 8.
      needed = Math.ceil((n * quorum.value) / 100 - 1e-9);
      break;
    case 'count':
      needed = Math.min(quorum.value, n);
      break;
  }
  return Math.max(1, needed);
}

export interface ClassStepsStatus {
  /** Ready connected students. */
  ready: number;
  /** Connected students (the host is not one). */
  connected: number;
  needed: number;
  /** Whether the ready students make the quorum now (the server then steps). */
  reached: boolean;
}

/** Where the class stands; readyIds only ever holds connected students (see the reducer). */
export function classStepsStatus(state: SessionState): ClassStepsStatus {
  const connected = state.participants.filter((p) => p.connected).length;
  const { quorum, readyIds, enabled } = state.participation.classSteps;
  const needed = quorumNeeded(quorum, connected);
  const ready = readyIds.length;
  return { ready, connected, needed, reached: enabled && ready > 0 && ready >= needed };
}
