/**
 * The reducer's penalty and accuracy (docs/playground.md): steps and frames say what they
 * are; a new setup, a reset or an edit works the penalty out from the network and has no
 * accuracy until the next step; a state without regularization or accuracy has neither key.
 */
import { describe, expect, test } from 'vitest';
import { regularizationPenalty } from '../../src/nn/regularization';
import { applyEvent, type SessionEvent, type SessionState } from '../../src/session';
import { classSession } from '../recording/helpers/sessions';

const REG = { kind: 'l2', rate: 0.05 } as const;

function stateBefore(type: SessionEvent['type']): { state: SessionState; event: SessionEvent } {
  const lesson = classSession();
  const index = lesson.events.findIndex((e) => e.type === type);
  let state = lesson.initial;
  for (const event of lesson.events.slice(0, index)) state = applyEvent(state, event);
  return { state, event: lesson.events[index]! };
}

/** The state with L2 in its setup (as if the setup had chosen it). */
function regularized(state: SessionState): SessionState {
  return { ...state, setup: { ...state.setup, regularization: REG } };
}

describe('penalty and accuracy in the state', () => {
  test('a session without them never has the keys', () => {
    const lesson = classSession();
    let state = lesson.initial;
    for (const event of lesson.events) {
      state = applyEvent(state, event);
      expect(state).not.toHaveProperty('penalty');
      expect(state).not.toHaveProperty('accuracy');
      expect(state.loss.at(-1) ?? {}).not.toHaveProperty('penalty');
    }
  });

  test('a frame sets them and its loss point carries them', () => {
    const { state, event } = stateBefore('frame');
    const frame = { ...event, penalty: 0.0123, accuracy: { train: 0.9, test: 0.75 } };
    const next = applyEvent(regularized(state), frame as SessionEvent);
    expect(next.penalty).toBe(0.0123);
    expect(next.accuracy).toEqual({ train: 0.9, test: 0.75 });
    expect(next.loss.at(-1)).toMatchObject({
      penalty: 0.0123,
      accuracy: { train: 0.9, test: 0.75 },
    });
  });

  test('a step sets them from its progress; without them they go', () => {
    const { state, event } = stateBefore('stepped');
    if (event.type !== 'stepped') throw new Error('expected a stepped event');
    const withStats = {
      ...event,
      progress: { ...event.progress, penalty: 0.5, accuracy: { train: 1, test: null } },
    };
    const next = applyEvent(regularized(state), withStats);
    expect([next.penalty, next.accuracy]).toEqual([0.5, { train: 1, test: null }]);
    const after = applyEvent(next, { ...event, seq: event.seq + 1 });
    expect(after).not.toHaveProperty('penalty');
    expect(after).not.toHaveProperty('accuracy');
  });

  test('an edit works the penalty out from the network and drops the accuracy', () => {
    const { state, event } = stateBefore('weight-edited');
    const before = { ...regularized(state), penalty: 9, accuracy: { train: 1, test: 1 } };
    const next = applyEvent(before, event);
    expect(next.penalty).toBe(regularizationPenalty(REG, next.network.weights));
    expect(next.penalty).not.toBe(9);
    expect(next).not.toHaveProperty('accuracy');
  });

  test('a reset does too', () => {
    const { state, event } = stateBefore('reset');
    const next = applyEvent({ ...regularized(state), accuracy: { train: 1, test: 1 } }, event);
    expect(next.penalty).toBe(regularizationPenalty(REG, next.network.weights));
    expect(next).not.toHaveProperty('accuracy');
  });
});
