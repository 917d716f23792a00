/**
 * Keyframes sized to the network: the interval follows what a keyframe weighs, checked
 * against the JSON of real states (a full loss history, the fit, the network) rather than
 * the policy's own estimate.
 */
import { builtinDataset } from '@backprop/shared/data';
import { MAX_LOSS_POINTS } from '@backprop/shared/session';
import { expect, test } from 'vitest';
import { initialSessionState } from '../../src/room/initial-state';
import { keyframeInterval, STORE_KEYFRAME_INTERVAL } from '../../src/sessions/keyframe-policy';
import { suggestedChoice } from '../../src/training/defaults';
import { Training } from '../../src/training/training';

function fullState(hidden: number[]) {
  const choice = {
    ...suggestedChoice('houses'),
    hidden,
    activations: [...hidden.map(() => 'tanh' as const), 'linear' as const],
  };
  const training = new Training(choice, builtinDataset('houses', choice.dataSeed));
  const state = initialSessionState({
    code: 'ABCDEF',
    title: 'Lesson',
    createdAt: 0,
    training,
    hyper: { learningRate: 0.01, batchSize: 4, speed: 1000 },
  });
  const loss = Array.from({ length: MAX_LOSS_POINTS }, (_, k) => ({
    step: 1_000_000 + 997 * k,
    train: 0.1234567891234 / (k + 1),
    test: 0.2345678912345 / (k + 1),
  }));
  return { ...state, loss };
}

test('a keyframe comes as often as its weight allows: every 1000 events by default, 4000 for the largest', () => {
  const small = fullState([4]);
  const largest = fullState([64, 64, 64, 64, 64, 64]);
  expect(keyframeInterval(small)).toBe(STORE_KEYFRAME_INTERVAL);
  expect(keyframeInterval(largest)).toBe(4 * STORE_KEYFRAME_INTERVAL);
  // The ratio of the intervals follows the ratio of what the keyframes weigh, measured.
  const ratio = JSON.stringify(largest).length / JSON.stringify(small).length;
  expect(Math.abs(ratio - 4)).toBeLessThan(0.75);
});

test('the interval is always a multiple of the base one (verifications look for keyframes there)', () => {
  for (const hidden of [
    [1],
    [8],
    [16, 16],
    [32, 32, 32],
    [64, 64, 64, 64],
    [64, 64, 64, 64, 64, 64],
  ]) {
    expect(keyframeInterval(fullState(hidden)) % STORE_KEYFRAME_INTERVAL).toBe(0);
  }
});
