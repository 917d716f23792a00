/**
 * The quiz leaderboard, derived from the public `quiz.scores` (one point per correct
 * answer). Ranks are competition ranks: equal points share a rank and the next rank skips
 * ("1, 2, 2, 4"), which is how a class expects a tie to read.
 */
import type { Participant } from '@backprop/shared/session';

export interface RankedScore {
  id: string;
  name: string;
  points: number;
  /** 1-based; equal points, equal rank. */
  rank: number;
}

export interface Leaderboard {
  /** The first `top` places (more when a tie straddles the cut, so no tied name is left out). */
  top: RankedScore[];
  /** This student's line, or null when they have no points (or are the host). */
  mine: RankedScore | null;
  /** Students with at least one point. */
  total: number;
}

export const FORMER_STUDENT = 'a student who left';

/** Every scorer, best first; ties by name, so the order does not jump between updates. */
export function rankScores(
  scores: readonly { id: string; points: number }[],
  participants: readonly Participant[],
): RankedScore[] {
  const names = new Map(participants.map((p) => [p.id, p.name]));
  const sorted = scores
    .filter((s) => s.points > 0)
    .map((s) => ({ id: s.id, name: names.get(s.id) ?? FORMER_STUDENT, points: s.points }))
    .sort((a, b) => b.points - a.points || a.name.localeCompare(b.name) || cmp(a.id, b.id));
  let rank = 0;
  return sorted.map((s, k) => {
    if (k === 0 || sorted[k - 1]!.points !== s.points) rank = k + 1;
    return { ...s, rank };
  });
}

export function leaderboard(
  scores: readonly { id: string; points: number }[],
  participants: readonly Participant[],
  me: string | null,
  top = 10,
): Leaderboard {
  const ranked = rankScores(scores, participants);
  const cut = ranked[top - 1]?.rank;
  const shown = cut === undefined ? ranked : ranked.filter((s) => s.rank <= cut);
  return {
    top: shown,
    mine: (me && ranked.find((s) => s.id === me)) || null,
    total: ranked.length,
  };
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 22nd, 101st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
