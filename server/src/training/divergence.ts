/**
 * When a step must not change the network. The kernel refuses updates that would make a
 * parameter non-finite or larger than ±MAX_ABS_PARAMETER; the room also refuses a step
 * whose loss has exploded, before its update runs.
 */
import { MAX_ABS_PARAMETER, type StepOutcome, type Trace } from '@backprop/shared/nn';
import type { Divergence } from '@backprop/shared/session';

/**
 * A loss this many times the first step's counts as exploding. The first loss is taken
 * as at least 1 so that a network that starts almost perfect (loss 1e-9) is not stopped
 * by a harmless rise; no absolute ceiling, because unnormalized data in large units
 * (prices in cents) starts with a legitimately huge loss.
 */
export const EXPLODING_LOSS_FACTOR = 1e6;

export function isExplodingLoss(loss: number, firstLoss: number | null): boolean {
  return firstLoss !== null && loss > EXPLODING_LOSS_FACTOR * Math.max(firstLoss, 1);
}

/** The check between the backward pass and the update: a divergence, or null to go on. */
export function checkBeforeUpdate(
  trace: Trace,
  firstLoss: number | null,
  step: number,
): Divergence | null {
  const learningRate = trace.learningRate;
  if (!Number.isFinite(trace.loss)) {
    return { step, learningRate, reason: 'the loss is no longer a finite number' };
  }
  if (isExplodingLoss(trace.loss, firstLoss)) {
    return {
      step,
      learningRate,
      reason: `the loss exploded: ${short(trace.loss)}, more than a million times the first step's ${short(firstLoss!)}`,
    };
  }
  return null;
}

/** The divergence for an update the kernel refused. */
export function refusedUpdate(outcome: StepOutcome | null, trace: Trace, step: number): Divergence {
  const learningRate = trace.learningRate;
  const reason =
    outcome && !outcome.ok
      ? {
          'non-finite-loss': 'the loss is no longer a finite number',
          'non-finite-weights': 'the update would make a weight or bias infinite',
          'exploding-weights': `the update would push a weight or bias beyond ±${short(MAX_ABS_PARAMETER)}`,
        }[outcome.reason]
      : 'the update did not run';
  return { step, learningRate, reason };
}

function short(value: number): string {
  return Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(2)
    : String(Number(value.toPrecision(3)));
}
