/**
 * The stages of one training step, in the order a class walks through them:
 * forward through each weight matrix (input to output), the error at the output, backward
 * through each weight matrix (output to input), then the update of every parameter.
 */
import type { NetworkSpec } from './network';

/** `layer` is the 0-based index of the weight matrix whose forward or backward pass runs. */
export type Stage =
  | { kind: 'forward'; layer: number }
  | { kind: 'error' }
  | { kind: 'backward'; layer: number }
  | { kind: 'update' };

export function stagesOf(spec: NetworkSpec): Stage[] {
  const matrices = spec.layers.length - 1;
  const stages: Stage[] = [];
  for (let l = 0; l < matrices; l++) stages.push({ kind: 'forward', layer: l });
  stages.push({ kind: 'error' });
  for (let l = matrices - 1; l >= 0; l--) stages.push({ kind: 'backward', layer: l });
  stages.push({ kind: 'update' });
  return stages;
}
