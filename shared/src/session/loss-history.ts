import { MAX_LOSS_POINTS, type LossPoint } from './state';

/** Appends loss points, halving the history when it grows past `max` (deterministic). */
export function appendLoss(
  history: LossPoint[],
  points: LossPoint[],
  max: number = MAX_LOSS_POINTS,
): LossPoint[] {
  let next = history.concat(points);
  while (next.length > max) next = next.filter((_, k) => k % 2 === 1 || k === next.length - 1);
  return next;
}
