/**
 * What continuous play records: compact 'frame' events while it runs, and the exact state
 * once it stops. A frame of the default network is ~280 bytes of JSON instead of ~7 KB
 * (the full network and 200 fit rows), so an hour of play at 20 frames a second stays
 * small enough to keep (docs/benchmarks.md, "Recording and replay").
 */
import {
  compactList,
  compactNumber,
  compactParams,
  type NetworkValues,
} from '@backprop/shared/session';
import type { Room } from './room';

/** Frames carry the fit's predictions at most this often (the chart needs no more). */
export const FIT_EVERY_MS = 1000;

/** One frame for `steps` accepted steps (none: nothing to record). */
export function recordFrame(room: Room, steps: number, lossSum: number, withFit: boolean): void {
  if (steps === 0) return;
  const { training } = room;
  const test = training.testLoss();
  room.record({
    type: 'frame',
    step: training.stepCount,
    epoch: training.epoch,
    params: compactParams(training.network()),
    loss: compactNumber(lossSum / steps),
    test: test === null ? null : compactNumber(test),
    ...(withFit ? { fit: compactList(training.fit().predicted) } : {}),
  });
}

/**
 * After frames, the state holds a rounded network and perhaps an old fit: when play stops
 * (a pause, the end, a restart, a divergence), one 'progressed' without steps records the
 * exact network and the fit, so a paused session shows (and a replay lands on) exactly what
 * trains next, and no plot shows the fit of a step long gone.
 */
export function settle(room: Room): void {
  const { training, state } = room;
  const fitIsCurrent = state.fit === null || state.fit.step === state.step;
  if (fitIsCurrent && sameNetwork(training.network(), state.network)) return;
  room.record({ type: 'progressed', progress: training.progress([]) });
}

function sameNetwork(a: NetworkValues, b: NetworkValues): boolean {
  const same = (x: number[], y: number[] | undefined) =>
    y !== undefined && x.length === y.length && x.every((value, k) => value === y[k]);
  return (
    a.weights.length === b.weights.length &&
    a.weights.every((matrix, l) => matrix.every((row, j) => same(row, b.weights[l]?.[j]))) &&
    a.biases.every((row, l) => same(row, b.biases[l]))
  );
}
