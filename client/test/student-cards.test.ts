import { describe, expect, it } from 'vitest';
import {
  initialParticipationState,
  type ParticipationState,
  type Quiz,
  type Race,
  type VoteRound,
} from '@backprop/shared/session';
import { classActivity, studentCards } from '../src/lib/participation/student-cards';
import { stateAt } from './fixture';

const quiz = (id: string, status: Quiz['status']): Quiz => ({
  id,
  number: 1,
  question: { kind: 'direction', layer: 0, to: 0, from: 0 },
  step: 1,
  openedAt: 0,
  closesAt: 60_000,
  status,
  answers: 0,
  reveal: null,
});
const vote = (id: string, status: VoteRound['status']): VoteRound => ({
  id,
  options: [],
  hideTallies: false,
  status,
  votes: 0,
  tallies: [],
  winner: null,
});
const race = (id: string, status: Race['status']): Race => ({
  id,
  status,
  steps: 10,
  batchSize: 4,
  fromStep: 0,
  forks: [],
});

function withParticipation(change: Partial<ParticipationState>) {
  const p = initialParticipationState();
  return stateAt(100, { participation: { ...p, ...change } });
}
const cards = (change: Partial<ParticipationState>, dismissed: string[] = []) =>
  studentCards(withParticipation(change), new Set(dismissed)).map(
    (c) => `${c.kind}${c.now ? '!' : ''}${c.collapsed ? ' (folded)' : ''}`,
  );

describe('studentCards', () => {
  it('puts what asks for an action first, then finished rounds newest first, folded', () => {
    const p = initialParticipationState();
    // The phone: an old quiz result and an old vote result above a running race.
    expect(
      cards({
        quiz: { ...p.quiz, current: quiz('q10', 'revealed') },
        vote: vote('v20', 'closed'),
        race: race('r30', 'running'),
      }),
    ).toEqual(['race!', 'vote (folded)', 'quiz (folded)']);
  });

  it('leaves the newest result open while nothing asks for an action', () => {
    const p = initialParticipationState();
    expect(
      cards({
        quiz: { ...p.quiz, current: quiz('q40', 'revealed'), leaderboardVisible: true },
        vote: vote('v20', 'closed'),
        race: race('r30', 'finished'),
      }),
    ).toEqual(['quiz', 'leaderboard', 'race (folded)', 'vote (folded)']);
    // Open proposals run all lesson long: they do not make a result old.
    expect(
      cards({
        vote: vote('v20', 'closed'),
        proposals: { ...p.proposals, open: true },
      }),
    ).toEqual(['propose!', 'vote']);
    // Class steps do.
    expect(
      cards({
        vote: vote('v20', 'closed'),
        classSteps: { ...p.classSteps, enabled: true },
      }),
    ).toEqual(['steps!', 'vote (folded)']);
  });

  it('keeps the action cards in a fixed order and leaves out dismissed results', () => {
    const p = initialParticipationState();
    expect(
      cards(
        {
          quiz: { ...p.quiz, current: quiz('q50', 'open') },
          vote: vote('v60', 'open'),
          classSteps: { ...p.classSteps, enabled: true },
          proposals: { ...p.proposals, open: true },
          race: race('r30', 'finished'),
        },
        ['r30'],
      ),
    ).toEqual(['quiz!', 'vote!', 'steps!', 'propose!']);
    // An open or locked question cannot be dismissed: it is still asking.
    expect(cards({ quiz: { ...p.quiz, current: quiz('q50', 'locked') } }, ['q50'])).toEqual([
      'quiz!',
    ]);
  });
});

describe('classActivity', () => {
  it('names the one thing the class is doing, the question first', () => {
    const p = initialParticipationState();
    expect(classActivity(withParticipation({}))).toBeNull();
    expect(classActivity(stateAt(1, { playing: true }))).toBe('Training is playing');
    expect(
      classActivity(
        withParticipation({
          quiz: { ...p.quiz, current: quiz('q1', 'open') },
          classSteps: { ...p.classSteps, enabled: true },
        }),
      ),
    ).toBe('Question 1: answer now');
    expect(
      classActivity(withParticipation({ classSteps: { ...p.classSteps, enabled: true } })),
    ).toBe('Class step: 0 of 0 ready');
  });
});
