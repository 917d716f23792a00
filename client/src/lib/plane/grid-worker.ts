/**
 * The network evaluated over the plane off the page's main thread: a phone's frame budget
 * (issue 16) has no room for the 4096 forward passes of a picture (~1 ms on a laptop, ×4 on
 * a phone), and the worker's answer costs the page only its painting. The same PlaneGrid as
 * the page's fallback (grid.ts), so the pictures are the same bits either way.
 */
import { applyFeatures, type FeatureName } from '@backprop/shared/data';
import { PlaneGrid, type InputMap } from './grid';
import type { GridReply, GridRequest } from './grid-messages';

let grid: PlaneGrid | null = null;
let inputs: { key: string; map: InputMap } | null = null;

function inputMap(features: readonly FeatureName[]): InputMap {
  const key = features.join(',');
  // One function per set of features: the grid computes its inputs again only for a new one.
  if (inputs?.key !== key) {
    const names = [...features];
    inputs = { key, map: (x1, x2, out, offset) => applyFeatures(x1, x2, names, out, offset) };
  }
  return inputs.map;
}

const post = (reply: GridReply, transfer: Transferable[] = []) =>
  (self as unknown as Worker).postMessage(reply, transfer);

self.onmessage = ({ data: request }: MessageEvent<GridRequest>) => {
  const { id, shape, features, network } = request;
  if (!grid?.fits(shape)) grid = new PlaneGrid(shape);
  try {
    grid.evaluate(network, inputMap(features));
  } catch (error) {
    post({ id, error: String(error) });
    return;
  }
  // Copies to hand over: the grid keeps its own buffers for the next evaluation.
  const activations = grid.activations.map((layer) => layer.slice());
  post(
    { id, activations },
    activations.map((layer) => layer.buffer),
  );
};
