/**
 * What continuous play records: compact 'frame' events while it runs, and the exact state
 * once it stops. A frame of the default network is ~280 bytes of JSON instead of ~7 KB
 * (the full network and 200 fit rows), so an hour of play at 20 frames a second stays
 * small enough to keep (docs/recordings.md, "How big a recording gets").
 *
 * Frames are bounded by design, whatever the network: the weights cost PARAMS_PER_SECOND
 * numbers a second at most (every frame for small networks; every ~14 s for the largest,
 * whose 21,121 weights are ~160 KB of JSON), the fit 200 numbers once a second, and every
 * frame carries the step, the epoch and the losses. A frame without weights is still
 * checked: the steps are re-simulated and the losses compared (simulator.ts).
 */
import {
  compactNumbers,
  compactNumber,
  compactModelStats,
  compactParams,
  paramCount,
  type NetworkValues,
} from '@backprop/shared/session';
import type { TrainingContext } from './training-context';

/** Frames carry the fit's predictions at most this often (the chart needs no more). */
export const FIT_EVERY_MS = 1000;
/**
 * A fit is due half a frame early rather than up to a frame late, so the plot is never more
 * than a second old (frames come every 50 ms: play-loop.ts).
 */
const FIT_EARLY_MS = 25;

/**
 * Weights (and biases) that frames carry per second of play: the largest network's hour of
 * play then stays well under the recording budget (recording-budget.ts), and the 3-4-1
 * default (21 numbers) still gets them in every frame.
 */
export const PARAMS_PER_SECOND = 1500;

/** How often frames of a network with these layer sizes may carry its weights. */
export function paramsEveryMs(layers: readonly number[]): number {
  return (1000 * paramCount(layers)) / PARAMS_PER_SECOND;
}

/** What one frame carries besides the step and the losses. */
export interface FrameContents {
  fit: boolean;
  params: boolean;
}

/** Decides, frame after frame, when a frame carries the fit and the weights. */
export class FramePacer {
  private lastFitAt = -Infinity;
  private lastParamsAt = -Infinity;

  /**
   * Play (re)starts at `now`. The state then holds the exact network and its fit (a
   * pause, a reset or a divergence settles them: settle()), so the first frames need
   * neither: the fit comes a second later, the weights when their budget allows. A big
   * network's first frame is then as cheap as the next ones, and twenty rooms pressing
   * play together do not start twenty whole networks' frames at once.
   */
  reset(now: number): void {
    this.lastFitAt = now;
    this.lastParamsAt = now;
  }

  /**
   * The contents of a frame recorded at `now` (ms) for a network of `layers`, with a fit
   * at most every `fitEveryMs` (FIT_EVERY_MS, or longer when the room's share of the CPU
   * cannot pay for a big network's fit every second: play-loop.ts).
   */
  next(now: number, layers: readonly number[], fitEveryMs = FIT_EVERY_MS): FrameContents {
    const fit = now - this.lastFitAt >= fitEveryMs - FIT_EARLY_MS;
    const params = now - this.lastParamsAt >= paramsEveryMs(layers);
    if (fit) this.lastFitAt = now;
    if (params) this.lastParamsAt = now;
    return { fit, params };
  }
}

/** One frame for `steps` accepted steps (none: nothing to record). */
export function recordFrame(
  room: TrainingContext,
  steps: number,
  lossSum: number,
  contents: FrameContents,
): void {
  if (steps === 0) return;
  const { training } = room;
  const test = training.testLoss();
  room.record({
    type: 'frame',
    step: training.stepCount,
    epoch: training.epoch,
    ...(contents.params ? { params: compactParams(training.network()) } : {}),
    loss: compactNumber(lossSum / steps),
    test: test === null ? null : compactNumber(test),
    ...(contents.fit ? { fit: compactNumbers(training.fit().predicted) } : {}),
    ...compactModelStats(training.modelStats()),
  });
}

/**
 * After frames, the state holds a rounded (or older) network and perhaps an old fit: when
 * play stops (a pause, the end, a restart, a divergence), one 'progressed' without steps
 * records the exact network and the fit, so a paused session shows (and a replay lands on)
 * exactly what trains next, and no plot shows the fit of a step long gone.
 */
export function settle(room: TrainingContext): void {
  const { training, state } = room;
  const fitIsCurrent = state.fit === null || state.fit.step === state.step;
  const networkIsCurrent =
    state.networkStep === undefined && sameNetwork(training.network(), state.network);
  if (fitIsCurrent && networkIsCurrent) return;
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
