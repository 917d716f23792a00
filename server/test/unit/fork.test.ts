import { expect, test } from 'vitest';
import { TrainingFork } from '../../src/training/fork';
import { defaultTraining } from '../../src/training/defaults';

/** Runs a fork to its end in slices of one step each (as if the event loop cut in often). */
function runInSlices(fork: TrainingFork) {
  const points = [];
  while (!fork.done) {
    let budget = 1;
    points.push(...fork.run(() => budget-- <= 0));
  }
  return points;
}

test('a thinned fork keeps every n-th step and the last one', () => {
  const { training } = defaultTraining();
  const fork = new TrainingFork(training.forkPoint(), 0.01, 16, 12, 5);
  expect(runInSlices(fork).map((p) => p.step)).toEqual([5, 10, 12]);
  expect(fork.stepsDone).toBe(12);
});

test('a diverging thinned fork ends its curve at its last good step, across slices', () => {
  const { training } = defaultTraining();
  const fork = new TrainingFork(training.forkPoint(), 10, 16, 5000, 5);
  const points = runInSlices(fork);
  expect(fork.divergence).not.toBeNull();
  const last = fork.divergence!.step - 1;
  expect(points.at(-1)!.step).toBe(last);
  expect(points.slice(0, -1).every((p) => p.step % 5 === 0)).toBe(true);
  expect(points.every((p) => Number.isFinite(p.train))).toBe(true);
  // Forking left the session's own training where it was.
  expect(training.stepCount).toBe(0);
});
