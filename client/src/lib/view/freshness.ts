/**
 * How old a view's numbers are next to the weights (DESIGN.md, "a view that cannot keep up
 * says how old it is"). During play the weights change every frame, the fit plot's
 * predictions at most once a second and the shown sample not at all: these say so.
 */
import type { SessionState } from '@backprop/shared/session';

export interface FitFreshness {
  /** The step whose weights made the plotted predictions (the state's step if unknown). */
  fitStep: number;
  weightsStep: number;
  /** "fit of step N, weights of step M" when the fit is older than the weights, else null. */
  note: string | null;
}

export function fitFreshness(state: SessionState): FitFreshness | null {
  if (!state.fit) return null;
  // A state recorded before fits carried their step: nothing to compare with.
  const fitStep = state.fit.step ?? state.step;
  const note =
    fitStep < state.step ? `fit of step ${fitStep}, weights of step ${state.step}` : null;
  return { fitStep, weightsStep: state.step, note };
}

/** Mean absolute error of the plotted predictions, in the data's units. */
export function meanAbsoluteError(actual: number[], predicted: number[]): number {
  const errors = actual.map((a, k) => Math.abs((predicted[k] ?? NaN) - a));
  return errors.reduce((s, e) => s + e, 0) / errors.length;
}

export interface SampleFreshness {
  /** The step the shown sample belongs to (its prediction is from before that update). */
  step: number | null;
  /** Whether the sample goes with the weights on screen (its step's trace is shown). */
  current: boolean;
  /** "sample of step N" when it does not, else null. */
  note: string | null;
  /** "at step N: " to put before its prediction when it does not, else ''. */
  prefix: string;
}

/**
 * The sample comes with a step's trace; frames, epochs and edits move the weights on and
 * drop the trace, leaving the sample of an earlier step.
 */
export function sampleFreshness(state: SessionState): SampleFreshness | null {
  const { sample } = state;
  if (!sample) return null;
  const step = sample.step ?? null;
  const current = state.trace !== null;
  const which = step === null ? 'an earlier step' : `step ${step}`;
  return {
    step,
    current,
    note: current ? null : `sample of ${which}`,
    prefix: current ? '' : `at ${which}: `,
  };
}
