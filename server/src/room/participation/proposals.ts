/**
 * Learning-rate proposals: students propose (with an optional note), support a rate that
 * is already in the pool by proposing it too, withdraw; the host opens and closes the
 * pool, shows or hides who proposed, and applies one proposal or the median.
 */
import {
  fail,
  PARTICIPATION_LIMITS as P,
  type Payload,
  type Result,
} from '@backprop/shared/protocol';
import { cleanDisplayText, type Proposal } from '@backprop/shared/session';
import { hostHyper } from '../host-commands';
import type { ParticipationContext } from './context';
import { nextId } from './ids';

/** Rates this close (relative) are the same proposal: 0.1 and 0.1000000000000001 merge. */
const SAME_RATE = 1e-12;

export function sameRate(a: number, b: number): boolean {
  return Math.abs(a - b) <= SAME_RATE * Math.max(Math.abs(a), Math.abs(b));
}

export function studentPropose(
  room: ParticipationContext,
  participantId: string,
  payload: Payload<'student:propose'>,
): Result<{ proposalId: string; merged: boolean }> {
  return room.participation.keys.once(participantId, 'student:propose', payload.key, () =>
    propose(room, participantId, payload),
  );
}

function propose(
  room: ParticipationContext,
  participantId: string,
  { rate, note: rawNote }: Payload<'student:propose'>,
): Result<{ proposalId: string; merged: boolean }> {
  const { participation } = room;
  const pool = room.state.participation.proposals;
  if (!pool.open) return fail('closed', 'Proposals are closed: the instructor opens them.');
  const note = cleanDisplayText(rawNote ?? '');
  if (Array.from(note).length > P.maxNote) {
    return fail('bad-request', `A note can have at most ${P.maxNote} characters.`);
  }
  const now = participation.clock.now();
  const last = participation.lastProposalAt.get(participantId);
  const intervalMs = P.proposalIntervalSeconds * 1000;
  if (last !== undefined && now - last < intervalMs) {
    const waitMs = intervalMs - (now - last);
    return fail(
      'rate-limited',
      `One proposal every ${P.proposalIntervalSeconds} seconds: try again in ${Math.ceil(waitMs / 1000)} s.`,
      waitMs,
    );
  }
  const existing = pool.items.find((item) => sameRate(item.rate, rate));
  const mine = existing && participation.supporters.get(existing.id)?.has(participantId);
  if (existing && mine) return { ok: true, proposalId: existing.id, merged: false };
  if (participation.openProposalsOf(participantId) >= P.maxOpenProposalsPerStudent) {
    return fail(
      'busy',
      `You have ${P.maxOpenProposalsPerStudent} open proposals: withdraw one to propose another.`,
    );
  }
  const by = room.state.participation.showNames ? participantId : null;
  if (existing) {
    participation.lastProposalAt.set(participantId, now);
    // (A proposal with no known supporters is one from before a restart: see participation.ts.)
    const supporters = participation.supporters.get(existing.id) ?? new Set<string>();
    participation.supporters.set(existing.id, supporters.add(participantId));
    room.record({ type: 'proposal-supported', proposalId: existing.id, by });
    return { ok: true, proposalId: existing.id, merged: true };
  }
  if (pool.items.length >= P.maxProposals) {
    return fail('busy', `The pool is full (${P.maxProposals} proposals).`);
  }
  participation.lastProposalAt.set(participantId, now);
  const proposal: Proposal = {
    id: nextId(room, 'p'),
    rate,
    note,
    supporters: 1,
    by: by === null ? [] : [by],
  };
  participation.supporters.set(proposal.id, new Set([participantId]));
  room.record({ type: 'proposal-added', proposal });
  return { ok: true, proposalId: proposal.id, merged: false };
}

export function studentWithdraw(
  room: ParticipationContext,
  participantId: string,
  { proposalId }: Payload<'student:withdraw'>,
): Result {
  const supporters = room.participation.supporters.get(proposalId);
  if (!supporters?.has(participantId)) {
    return fail('not-found', 'You have no open proposal with this id.');
  }
  const vote = room.state.participation.vote;
  if (vote?.status === 'open' && vote.options.some((o) => o.proposalId === proposalId)) {
    return fail('busy', 'This proposal is on the ballot: it stays until the vote closes.');
  }
  withdrawSupport(room, participantId, proposalId);
  return { ok: true };
}

/** Takes one student's support away from a proposal (which goes when nobody is left). */
export function withdrawSupport(
  room: ParticipationContext,
  participantId: string,
  proposalId: string,
): void {
  const supporters = room.participation.supporters.get(proposalId);
  if (!supporters?.delete(participantId)) return;
  if (supporters.size === 0) room.participation.supporters.delete(proposalId);
  const item = room.state.participation.proposals.items.find((p) => p.id === proposalId);
  // The id is in the event only when it was already public in the proposal's list.
  const by = item?.by.includes(participantId) ? participantId : null;
  room.record({ type: 'proposal-withdrawn', proposalId, by });
}

export function hostParticipation(
  room: ParticipationContext,
  { showNames }: Payload<'host:participation'>,
): Result {
  if (showNames !== room.state.participation.showNames) {
    room.record({ type: 'participation-set', showNames });
  }
  return { ok: true };
}

export function hostProposals(
  room: ParticipationContext,
  { open, clear }: Payload<'host:proposals'>,
): Result {
  const pool = room.state.participation.proposals;
  const cleared = clear === true && pool.items.length > 0;
  if (cleared && room.state.participation.vote?.status === 'open') {
    return fail('busy', 'Close the vote before clearing the proposals it is about.');
  }
  if (open === pool.open && !cleared) return { ok: true };
  if (cleared) room.participation.supporters.clear();
  room.record({ type: 'proposals-set', open, cleared });
  return { ok: true };
}

export function hostApplyRate(
  room: ParticipationContext,
  { proposalId }: Payload<'host:apply-rate'>,
): Result<{ learningRate: number }> {
  const item = room.state.participation.proposals.items.find((p) => p.id === proposalId);
  if (!item) return fail('not-found', 'There is no such proposal (withdrawn, or cleared).');
  return apply(room, 'proposal', item.id, item.rate);
}

/**
 * The median of every supporter's rate (a rate proposed by 3 students counts 3 times); for
 * an even count the lower of the two middle values, so the rate applied is always one that
 * somebody proposed (and, on a log scale, the mean of the two would favour neither).
 */
export function hostApplyMedian(room: ParticipationContext): Result<{ learningRate: number }> {
  const rates: number[] = [];
  for (const item of room.state.participation.proposals.items) {
    for (let k = 0; k < item.supporters; k++) rates.push(item.rate);
  }
  if (rates.length === 0) return fail('not-found', 'There are no proposals yet.');
  rates.sort((a, b) => a - b);
  return apply(room, 'median', null, rates[Math.floor((rates.length - 1) / 2)]!);
}

function apply(
  room: ParticipationContext,
  how: 'proposal' | 'median',
  proposalId: string | null,
  rate: number,
): Result<{ learningRate: number }> {
  room.record({ type: 'proposal-applied', how, proposalId, rate });
  // Through host:hyper's own path: a hyper-changed event, so the loss chart marks it.
  const applied = hostHyper(room, { learningRate: rate });
  if (!applied.ok) return applied;
  return { ok: true, learningRate: rate };
}
