/**
 * A learning-rate race as charts and words: the forks' loss curves on one step axis, and
 * each fork's state ("diverged at step 131", never a NaN: a diverged fork's curve simply
 * ends at its last good step).
 */
import type { Race, RaceFork } from '@backprop/shared/session';
import { fmt } from '../view/format';
import { countText } from '../plural';

/**
 * The forks on one step axis (a line chart's data: lib/view/chart-scales.ts): the union of
 * their steps, and a series per fork with NaN where that fork has no point (after it diverged,
 * or between its sampled steps). `positiveOnly` (a log scale) turns losses ≤ 0 into gaps as
 * well.
 */
export function raceSeries(
  forks: readonly Pick<RaceFork, 'loss'>[],
  positiveOnly = false,
): { steps: number[]; series: number[][] } {
  const steps = [...new Set(forks.flatMap((f) => f.loss.map((p) => p.step)))].sort((a, b) => a - b);
  const index = new Map(steps.map((step, k) => [step, k]));
  const series = forks.map((fork) => {
    const values = new Array<number>(steps.length).fill(NaN);
    for (const point of fork.loss) {
      const ok = Number.isFinite(point.train) && (!positiveOnly || point.train > 0);
      if (ok) values[index.get(point.step)!] = point.train;
    }
    return values;
  });
  return { steps, series };
}

/** 'diverged at step 131', 'finished, loss 0.0123', '120 of 500 steps, loss 0.2'. */
export function forkStatus(fork: RaceFork, race: Pick<Race, 'steps' | 'status'>): string {
  if (fork.diverged) return `diverged at step ${fork.diverged.step}`;
  const last = fork.loss.at(-1);
  const loss = last ? `, loss ${fmt(last.train)}` : '';
  if (fork.stepsDone >= race.steps) return `finished${loss}`;
  if (race.status === 'cancelled')
    return `stopped after ${countText(fork.stepsDone, 'step')}${loss}`;
  return `${fork.stepsDone} of ${countText(race.steps, 'step')}${loss}`;
}

/** The fork with the lowest final loss among those that did not diverge, or null. */
export function leadingFork(forks: readonly RaceFork[]): number | null {
  let best: number | null = null;
  let bestLoss = Infinity;
  forks.forEach((fork, k) => {
    const last = fork.loss.at(-1)?.train;
    if (fork.diverged || last === undefined || !Number.isFinite(last)) return;
    if (last < bestLoss) {
      best = k;
      bestLoss = last;
    }
  });
  return best;
}

/** Distinct colours for up to four forks, distinguishable with colour blindness, each ≥ 4.5:1 on white. */
export const FORK_COLORS = ['#2166ac', '#b35806', '#1b7837', '#762a83'] as const;
/** Dashes too, so colour is never the only cue. */
export const FORK_DASHES: readonly (readonly number[])[] = [[], [8, 4], [2, 3], [10, 3, 2, 3]];
