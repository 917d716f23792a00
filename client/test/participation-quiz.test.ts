import { describe, expect, it } from 'vitest';
import type { QuizReveal, TraceView } from '@backprop/shared/session';
import {
  answerIsRight,
  answerText,
  parseLoss,
  parseWeightValue,
  questionText,
  quizOpenProblem,
  sortedDistribution,
  weightOptions,
  weightValue,
} from '../src/lib/participation/quiz';
import { stateAt } from './fixture';

describe('questions and answers in words', () => {
  it('asks in the course’s notation', () => {
    expect(questionText({ kind: 'direction', layer: 0, to: 1, from: 0 }, [2, 2, 1])).toBe(
      'Will w¹₁₂ go up, go down or stay the same in this step?',
    );
    expect(questionText({ kind: 'largest', layer: 1 }, [2, 2, 1])).toContain(
      'matrix 2 (hidden → output)',
    );
    expect(answerText({ kind: 'largest', to: 0, from: 1 }, 1)).toBe('w²₂₁');
    expect(answerText({ kind: 'direction', value: 'same' })).toBe('stays the same');
    expect(answerText({ kind: 'loss', value: 0.25 })).toBe('0.25');
  });
});

describe('answerIsRight', () => {
  it('marks the same direction, the same weight, a loss within 10 % (the server’s formula)', () => {
    const up = { kind: 'direction', value: 'up' } as const;
    expect(answerIsRight(up, up)).toBe(true);
    expect(answerIsRight(up, { kind: 'direction', value: 'down' })).toBe(false);
    expect(
      answerIsRight({ kind: 'largest', to: 1, from: 0 }, { kind: 'largest', to: 1, from: 0 }),
    ).toBe(true);
    expect(
      answerIsRight({ kind: 'largest', to: 0, from: 1 }, { kind: 'largest', to: 1, from: 0 }),
    ).toBe(false);
    const truth = { kind: 'loss', value: 0.5 } as const;
    expect(answerIsRight({ kind: 'loss', value: 0.54 }, truth)).toBe(true);
    expect(answerIsRight({ kind: 'loss', value: 0.46 }, truth)).toBe(true);
    expect(answerIsRight({ kind: 'loss', value: 0.56 }, truth)).toBe(false);
    expect(answerIsRight(up, null)).toBe(false);
  });

  it('orders the distribution up, down, same', () => {
    const reveal: QuizReveal = {
      truth: null,
      correctIds: [],
      weight: null,
      loss: null,
      distribution: [
        { answer: { kind: 'direction', value: 'same' }, count: 1 },
        { answer: { kind: 'direction', value: 'up' }, count: 2 },
        { answer: { kind: 'direction', value: 'down' }, count: 3 },
      ],
    };
    expect(sortedDistribution(reveal).map((d) => d.count)).toEqual([2, 3, 1]);
  });
});

describe('parseLoss', () => {
  it('accepts a number ≥ 0 and explains the rest', () => {
    expect(parseLoss(' 0.25 ')).toEqual({ ok: true, value: 0.25 });
    expect(parseLoss('0,25')).toEqual({ ok: true, value: 0.25 });
    expect(parseLoss('0')).toEqual({ ok: true, value: 0 });
    expect(parseLoss('')).toMatchObject({ ok: false });
    expect(parseLoss('abc')).toMatchObject({ ok: false });
    expect(parseLoss('Infinity')).toMatchObject({ ok: false });
    expect(parseLoss('−1')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('never negative'),
    });
  });
});

describe('weight options', () => {
  it('lists the weights of a matrix in storage order, with values that round-trip', () => {
    const all = weightOptions([2, 2, 1]);
    expect(all).toHaveLength(6);
    const second = weightOptions([2, 2, 1], 1);
    expect(second.map((w) => [w.to, w.from])).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(second[1]!.label).toBe('w²₂₁ (from hidden unit 2 to output unit 1)');
    expect(parseWeightValue(weightValue(1, 0, 1))).toEqual({ layer: 1, to: 0, from: 1 });
    expect(parseWeightValue('nonsense')).toBeNull();
  });
});

describe('quizOpenProblem', () => {
  const openTrace = (): TraceView => ({ weightsAfter: null }) as unknown as TraceView;

  it('allows a question between steps', () => {
    expect(quizOpenProblem(stateAt(1))).toBeNull();
  });

  it('refuses while playing or while a question is open', () => {
    expect(quizOpenProblem(stateAt(1, { playing: true }))).toMatch(/Pause/);
    const state = stateAt(1);
    const open = {
      ...state,
      participation: {
        ...state.participation,
        quiz: {
          ...state.participation.quiz,
          current: {
            id: 'q1',
            number: 1,
            question: { kind: 'loss' as const },
            step: 1,
            openedAt: 0,
            closesAt: 1,
            status: 'open' as const,
            answers: 0,
            reveal: null,
          },
        },
      },
    };
    expect(quizOpenProblem(open)).toMatch(/reveal or cancel/);
  });

  it('allows it in an open step only before a backward pass or the update', () => {
    // A 2-2-1 network: forward 1, forward 2, error, backward 2, backward 1, update.
    expect(quizOpenProblem(stateAt(1, { trace: openTrace(), stageIndex: 1 }))).toMatch(/forward/);
    expect(quizOpenProblem(stateAt(1, { trace: openTrace(), stageIndex: 2 }))).toMatch(/forward/);
    expect(quizOpenProblem(stateAt(1, { trace: openTrace(), stageIndex: 3 }))).toBeNull();
    expect(quizOpenProblem(stateAt(1, { trace: openTrace(), stageIndex: 5 }))).toBeNull();
  });
});
