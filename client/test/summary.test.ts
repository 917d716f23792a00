import { expect, test } from 'vitest';
import { divergenceText, latestLoss, summaryPieces, trainingSummary } from '../src/ui/summary';
import { steadyWeightsAge } from '../src/lib/view/weights-age';
import { stateAt } from './fixture';

test('the summary names step, epoch and loss', () => {
  expect(trainingSummary(stateAt(0))).toBe('Step 0, epoch 0.');
  const trained = stateAt(9, {
    step: 12,
    epoch: 3,
    loss: [{ step: 12, train: 0.03456, test: null }],
  });
  expect(latestLoss(trained)).toBe(0.03456);
  expect(trainingSummary(trained)).toBe('Step 12, epoch 3, loss 0.03456.');
  expect(trainingSummary({ ...trained, playing: true })).toBe(
    'Step 12, epoch 3, loss 0.03456, playing.',
  );
  expect(trainingSummary({ ...trained, lastStage: { kind: 'error' } })).toBe(
    'Step 12, epoch 3, loss 0.03456, last stage: Error: ŷ − y.',
  );
});

test('the divergence text names the refused step, the learning rate and the kept weights', () => {
  expect(divergenceText(stateAt(0))).toBeNull();
  const diverged = stateAt(4, {
    diverged: { step: 5, learningRate: 10, reason: 'the loss exploded' },
  });
  expect(divergenceText(diverged)).toBe(
    'Training stopped: step 5 was refused at learning rate 10: the loss exploded. ' +
      'The network keeps its initial weights (step 0). ' +
      'Lower the learning rate, then step again or reset.',
  );
  expect(trainingSummary(diverged)).toContain('training stopped: step 5 was refused');
});

test('weights older than the step are named as such, and only then', () => {
  const playing = stateAt(9, { step: 420, epoch: 2, playing: true });
  expect(trainingSummary(playing)).not.toContain('weights shown');
  expect(trainingSummary({ ...playing, networkStep: 300 })).toBe(
    'Step 420, epoch 2, playing, weights shown are of step 300, updated every few seconds while playing.',
  );
});

test('during play the weights-age line stays once shown, until play stops', () => {
  let state = stateAt(9, { step: 420, playing: true });
  const shown = steadyWeightsAge(() => state);
  expect(shown()).toBe(false); // every frame has carried weights so far
  state = { ...state, step: 440, networkStep: 420 };
  expect(shown()).toBe(true);
  state = { ...state, step: 460, networkStep: undefined }; // a frame with weights
  expect(shown()).toBe(true);
  expect(trainingSummary(state, shown())).toContain('weights shown are of step 460');
  state = { ...state, playing: false };
  expect(shown()).toBe(false);
});

test("in pieces, the summary's numbers are figures and its words run between them", () => {
  const playing = stateAt(9, {
    step: 420,
    epoch: 2,
    playing: true,
    networkStep: 300,
    loss: [{ step: 420, train: 0.5, test: null }],
  });
  const pieces = summaryPieces(playing);
  expect(pieces.filter((p) => p.figure).map((p) => p.text)).toEqual(['420', '2', '0.5', '300']);
  expect(pieces.filter((p) => !p.figure).map((p) => p.text)).toEqual([
    'Step ',
    ', epoch ',
    ', loss ',
    ', playing, weights shown are of step ',
    ', updated every few seconds while playing.',
  ]);
  expect(pieces.map((p) => p.text).join('')).toBe(trainingSummary(playing));
});
