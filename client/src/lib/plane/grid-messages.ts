/**
 * What the page and the grid's worker (grid-worker.ts) say to each other: the network and
 * the setup's shape and features go in, every layer's activations over the grid come back
 * (their buffers transferred, not copied).
 */
import type { FeatureName } from '@backprop/shared/data';
import type { NetworkValues } from '@backprop/shared/session';
import type { GridShape } from './grid';

export interface GridRequest {
  id: number;
  shape: GridShape;
  features: readonly FeatureName[];
  network: NetworkValues;
}

export type GridReply =
  | { id: number; activations: Float64Array[] }
  /** Weights of another shape than the setup (a frame between a setup and its network). */
  | { id: number; error: string };
