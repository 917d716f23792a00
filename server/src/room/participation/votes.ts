/**
 * Votes among chosen proposals: one ballot per student, changeable until the close; the
 * tallies are public live unless hidden (then only the number of ballots is); the close
 * reveals them and applies the winner's rate. A ballot names its vote round, so one sent
 * for a round that has closed or been replaced (a phone that reconnects late) is refused.
 */
import { fail, type Payload, type Result } from '@backprop/shared/protocol';
import type { VoteOption, VoteRound } from '@backprop/shared/session';
import { hostHyper } from '../host-commands';
import type { ParticipationContext } from './context';
import { nextId } from './ids';

export function hostVoteOpen(
  room: ParticipationContext,
  { proposalIds, hideTallies }: Payload<'host:vote-open'>,
): Result<{ voteId: string }> {
  const items = room.state.participation.proposals.items;
  const options: VoteOption[] = [];
  for (const proposalId of proposalIds) {
    const item = items.find((p) => p.id === proposalId);
    if (!item)
      return fail('not-found', `There is no proposal ${proposalId} (withdrawn, or cleared).`);
    options.push({ proposalId, rate: item.rate, note: item.note });
  }
  const voteId = nextId(room, 'v');
  // An open round is replaced: its ballots are dropped, and ballots naming it are refused.
  room.participation.ballots = { voteId, byStudent: new Map() };
  room.record({ type: 'vote-opened', voteId, options, hideTallies });
  return { ok: true, voteId };
}

export function studentVote(
  room: ParticipationContext,
  participantId: string,
  payload: Payload<'student:vote'>,
): Result {
  return room.participation.keys.once(participantId, 'student:vote', payload.key, () =>
    vote(room, participantId, payload),
  );
}

function vote(
  room: ParticipationContext,
  participantId: string,
  { voteId, proposalId }: Payload<'student:vote'>,
): Result {
  const round = room.state.participation.vote;
  if (!round || round.id !== voteId || round.status !== 'open') {
    return fail('closed', 'This vote is over (closed, or replaced by a new one).');
  }
  if (!round.options.some((option) => option.proposalId === proposalId)) {
    return fail('bad-request', `${proposalId} is not one of this vote's options.`);
  }
  if (ballotsLost(room, round)) return fail('closed', INTERRUPTED);
  const ballots = ballotsOf(room, voteId);
  const previous = ballots.get(participantId);
  if (previous === proposalId) return { ok: true };
  ballots.set(participantId, proposalId);
  recordCount(room, round, previous === undefined);
  return { ok: true };
}

/** A removed student's ballot no longer counts. */
export function dropBallot(room: ParticipationContext, participantId: string): void {
  const round = room.state.participation.vote;
  if (round?.status !== 'open') return;
  if (ballotsOf(room, round.id).delete(participantId)) recordCount(room, round, true);
}

/**
 * The public count after a ballot changed. With hidden tallies a changed ballot changes
 * nothing public (the count stays), so nothing is recorded: an event would only say that
 * somebody changed their mind.
 */
function recordCount(room: ParticipationContext, round: VoteRound, countChanged: boolean): void {
  if (round.hideTallies && !countChanged) return;
  const ballots = ballotsOf(room, round.id);
  room.record({
    type: 'vote-cast',
    voteId: round.id,
    votes: ballots.size,
    tallies: round.hideTallies ? null : tally(round, ballots),
  });
}

/**
 * Closes the open vote: tallies revealed; the option with most ballots wins, a tie going
 * to the lower rate (the cautious choice); its rate is applied like host:hyper would. A
 * vote without ballots has no winner and changes no rate.
 */
export function hostVoteClose(
  room: ParticipationContext,
): Result<{ winner: string | null; learningRate: number | null }> {
  const round = room.state.participation.vote;
  if (round?.status !== 'open') return fail('closed', 'There is no open vote.');
  if (ballotsLost(room, round)) return fail('closed', INTERRUPTED);
  const ballots = ballotsOf(room, round.id);
  const tallies = tally(round, ballots);
  let winner: VoteOption | null = null;
  let most = 0;
  for (const [k, option] of round.options.entries()) {
    const count = tallies[k]!;
    if (count > most || (count === most && count > 0 && option.rate < winner!.rate)) {
      winner = option;
      most = count;
    }
  }
  room.record({
    type: 'vote-closed',
    voteId: round.id,
    votes: ballots.size,
    tallies,
    winner: winner?.proposalId ?? null,
  });
  if (!winner) return { ok: true, winner: null, learningRate: null };
  const applied = hostHyper(room, { learningRate: winner.rate });
  if (!applied.ok) return applied;
  return { ok: true, winner: winner.proposalId, learningRate: winner.rate };
}

const INTERRUPTED =
  'This vote lost its ballots when the server restarted: open it again (host:vote-open).';

/**
 * The ballots are in memory only: a room restored after a restart knows how many were
 * cast (the public count) but not whose they were. Counting on from zero would let every
 * student vote twice, so such a vote takes no more ballots and cannot be closed; opening
 * a new round replaces it.
 */
function ballotsLost(room: ParticipationContext, round: VoteRound): boolean {
  return room.participation.ballots.voteId !== round.id && round.votes > 0;
}

function ballotsOf(room: ParticipationContext, voteId: string): Map<string, string> {
  const { participation } = room;
  if (participation.ballots.voteId !== voteId) {
    participation.ballots = { voteId, byStudent: new Map() };
  }
  return participation.ballots.byStudent;
}

function tally(round: VoteRound, ballots: Map<string, string>): number[] {
  const counts = round.options.map(() => 0);
  for (const proposalId of ballots.values()) {
    const k = round.options.findIndex((option) => option.proposalId === proposalId);
    if (k >= 0) counts[k]!++;
  }
  return counts;
}
