/**
 * Which participation cards a student sees, in which order, and which start collapsed: on
 * a phone only the first screen is sure to be seen, so what asks for an action comes
 * first, then finished rounds newest first, and a finished round that something newer has
 * followed is folded to its title (the student can open it again).
 */
import { classStepsStatus, type SessionState } from '@backprop/shared/session';

export type CardKind = 'quiz' | 'vote' | 'steps' | 'propose' | 'leaderboard' | 'race';

export interface StudentCard {
  kind: CardKind;
  /** The round's id (quiz, vote, race), or the kind for cards that have no rounds. */
  key: string;
  /** It asks for the student's action now (an open question, an open vote, …). */
  now: boolean;
  /** Starts folded to its title: a finished round that something newer has followed. */
  collapsed: boolean;
}

/** The seq of the event that opened a round, from its id ("q123" → 123). */
export function roundSeq(id: string): number {
  const seq = Number(id.slice(1));
  return Number.isFinite(seq) ? seq : -1;
}

/**
 * The cards to show, `dismissed` being the ids of finished rounds the student hid. Cards
 * asking for an action keep a fixed order (the question before the vote before class
 * steps…); finished rounds follow newest first, the leaderboard with its question.
 */
export function studentCards(state: SessionState, dismissed: ReadonlySet<string>): StudentCard[] {
  const p = state.participation;
  const quiz = p.quiz.current;
  const now: StudentCard[] = [];
  const done: { card: StudentCard; seq: number }[] = [];
  const finished = (kind: CardKind, key: string, seq: number) =>
    done.push({ card: { kind, key, now: false, collapsed: false }, seq });

  if (quiz) {
    if (quiz.status === 'open' || quiz.status === 'locked')
      now.push({ kind: 'quiz', key: quiz.id, now: true, collapsed: false });
    else if (!dismissed.has(quiz.id)) finished('quiz', quiz.id, roundSeq(quiz.id));
  }
  if (p.vote) {
    if (p.vote.status === 'open')
      now.push({ kind: 'vote', key: p.vote.id, now: true, collapsed: false });
    else if (!dismissed.has(p.vote.id)) finished('vote', p.vote.id, roundSeq(p.vote.id));
  }
  if (p.classSteps.enabled) now.push({ kind: 'steps', key: 'steps', now: true, collapsed: false });
  if (p.proposals.open) now.push({ kind: 'propose', key: 'propose', now: true, collapsed: false });
  if (p.race) {
    if (p.race.status === 'running')
      now.push({ kind: 'race', key: p.race.id, now: true, collapsed: false });
    else if (!dismissed.has(p.race.id)) finished('race', p.race.id, roundSeq(p.race.id));
  }
  // Just after the question it ranks (a hair older, so a tie keeps that order).
  if (p.quiz.leaderboardVisible)
    finished('leaderboard', 'leaderboard', quiz ? roundSeq(quiz.id) - 0.5 : 0);

  done.sort((a, b) => b.seq - a.seq);
  // A result is "old" once a newer round or class steps follow it (open proposals run all
  // lesson long, so they do not count); only the newest result can stay open, and the
  // leaderboard folds with its question.
  const newestAsking = Math.max(
    -1,
    ...now.map((c) => (c.kind === 'propose' ? -1 : roundSeq(c.key))),
  );
  const old = (seq: number, k: number) => k > 0 || p.classSteps.enabled || newestAsking > seq;
  const newest = done[0];
  const later = done.map(({ card, seq }, k) => ({
    ...card,
    collapsed:
      card.kind === 'leaderboard' && newest?.card.kind === 'quiz' && k === 1
        ? old(newest.seq, 0)
        : old(seq, k),
  }));
  return [...now, ...later];
}

/** What the class is doing, in a few words for the student's status bar; null when idle. */
export function classActivity(state: SessionState): string | null {
  const p = state.participation;
  const quiz = p.quiz.current;
  if (quiz?.status === 'open') return `Question ${quiz.number}: answer now`;
  if (quiz?.status === 'locked') return `Question ${quiz.number}: revealing`;
  if (p.vote?.status === 'open') return 'Voting on the learning rate';
  if (p.classSteps.enabled) {
    const status = classStepsStatus(state);
    return `Class step: ${status.ready} of ${status.connected} ready`;
  }
  if (p.race?.status === 'running') return 'Learning-rate race';
  if (p.proposals.open) return 'Proposing learning rates';
  if (state.playing) return 'Training is playing';
  return null;
}
