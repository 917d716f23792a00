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

/**
 * A label for the UI. Layers are numbered from 1 (the input layer) as people count them,
 * so weight matrix l (the source's w{l+1}) joins layer l+1 and layer l+2.
 */
export function stageLabel(stage: Stage): string {
  switch (stage.kind) {
    case 'forward':
      return `Forward: layer ${stage.layer + 1} → ${stage.layer + 2}`;
    case 'error':
      return 'Error: ŷ − y';
    case 'backward':
      return `Backward: layer ${stage.layer + 2} → ${stage.layer + 1}`;
    case 'update':
      return 'Update: w ← w − α·∂E/∂w';
  }
}
