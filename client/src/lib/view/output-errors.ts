/**
 * What the error stage adds to the diagram: beside each output unit's prediction ŷ (the
 * value in its circle) the target y and the error ŷ − y, for the shown sample. In the
 * network's units, as the circle's value is (normalized where the setup normalizes).
 */
import type { SessionState } from '@backprop/shared/session';
import { fmt } from './format';
import { currentAndNext } from './stage-progress';

export interface OutputError {
  /** The output unit (0-based). */
  unit: number;
  prediction: number;
  target: number;
  /** ŷ − y, as the trace holds it (δ of the output layer starts from it). */
  error: number;
}

/** No errors shown: one list, so that a derived of it stays unchanged through play. */
const NO_ERRORS: readonly OutputError[] = Object.freeze([]);

/** The output units' errors while the error stage is the one that just ran; none otherwise. */
export function outputErrors(state: SessionState): readonly OutputError[] {
  const { trace } = state;
  if (!trace?.error) return NO_ERRORS;
  if (currentAndNext(state).current?.kind !== 'error') return NO_ERRORS;
  const prediction = trace.a.at(-1);
  if (!prediction) return NO_ERRORS;
  return trace.error.map((error, unit) => ({
    unit,
    prediction: prediction[unit] ?? NaN,
    target: trace.target[unit] ?? NaN,
    error,
  }));
}

/** The lines printed beside an output unit: its target, then its error. */
export function outputErrorLines(e: OutputError): [string, string] {
  return [`y = ${fmt(e.target)}`, `ŷ−y = ${fmt(e.error)}`];
}

/** The same for a screen reader, added to the unit's label. */
export function outputErrorLabel(e: OutputError): string {
  return `target y ${fmt(e.target)}, error ŷ − y ${fmt(e.error)}`;
}
