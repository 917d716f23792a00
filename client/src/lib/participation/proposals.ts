/**
 * Learning-rate proposals as the screens show them: who proposed (names only while the
 * host shows them), the median the host may apply, and the checks of the proposal form.
 */

import { countText } from '../plural';
import { PARTICIPATION_LIMITS } from '@backprop/shared/protocol';
import type { Participant, Proposal } from '@backprop/shared/session';

export const ANONYMOUS = 'anonymous';

/**
 * 'Ada', 'Ada and Grace', 'Ada, Grace and 2 others', 'anonymous'. Supporters who proposed
 * while names were hidden are counted, never named; an id no longer among the participants
 * (kicked) counts as one of the others.
 */
export function proposerText(
  proposal: Pick<Proposal, 'by' | 'supporters'>,
  participants: readonly Participant[],
  showNames: boolean,
): string {
  if (!showNames) return ANONYMOUS;
  const names = proposal.by
    .map((id) => participants.find((p) => p.id === id)?.name)
    .filter((name): name is string => name !== undefined);
  if (names.length === 0) return ANONYMOUS;
  const others = Math.max(0, proposal.supporters - names.length);
  const listed = names.length > 3 ? names.slice(0, 3) : names;
  const rest = others + (names.length - listed.length);
  if (rest === 0) {
    return listed.length === 1
      ? listed[0]!
      : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)!}`;
  }
  return `${listed.join(', ')} and ${countText(rest, 'other')}`;
}

/**
 * The median over every supporter (a rate proposed by three counts three times); for an
 * even count the lower middle value, as the server takes it (docs/protocol.md), so the
 * button says exactly which rate it will apply. null for an empty pool.
 */
export function medianRate(items: readonly Pick<Proposal, 'rate' | 'supporters'>[]): number | null {
  const sorted = [...items].filter((p) => p.supporters > 0).sort((a, b) => a.rate - b.rate);
  const total = sorted.reduce((sum, p) => sum + p.supporters, 0);
  if (total === 0) return null;
  const middle = Math.floor((total - 1) / 2); // 0-based index of the lower middle
  let seen = 0;
  for (const p of sorted) {
    seen += p.supporters;
    if (seen > middle) return p.rate;
  }
  return null;
}

/** Code points, as the server counts a note after cleaning it. */
export function noteLength(note: string): number {
  return [...note.trim()].length;
}

/** Why a note cannot be sent, or null. */
export function noteProblem(note: string): string | null {
  const length = noteLength(note);
  const max = PARTICIPATION_LIMITS.maxNote;
  return length > max ? `A note has at most ${max} characters (this one has ${length}).` : null;
}

/** The proposals this student supports: the ones they made here, or that name them. */
export function myProposals(
  items: readonly Proposal[],
  mine: ReadonlySet<string>,
  me: string | null,
): Proposal[] {
  return items.filter((p) => mine.has(p.id) || (me !== null && p.by.includes(me)));
}

/** The pool in rate order, so equal-looking rates sit next to each other. */
export function byRate(items: readonly Proposal[]): Proposal[] {
  return [...items].sort((a, b) => a.rate - b.rate);
}
