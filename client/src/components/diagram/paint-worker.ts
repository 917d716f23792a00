/**
 * Draws the page's diagram canvases off its main thread (painter.ts): a canvas's raster and
 * its copy to the compositor, ~8 ms of a phone ×4's frame at every state drawn (measured in
 * bench:client's traces), happen here. The same drawing as on the page (draw.ts).
 */
import type { DiagramLayout } from '../../lib/view/diagram-layout';
import { paintDense } from './draw';
import { unflattenWeights, type PaintMessage } from './paint-messages';

const canvases = new Map<number, { canvas: OffscreenCanvas; layout: DiagramLayout | null }>();

self.onmessage = ({ data: message }: MessageEvent<PaintMessage>) => {
  if (message.kind === 'canvas') {
    canvases.set(message.id, { canvas: message.canvas, layout: null });
    return;
  }
  if (message.kind === 'drop') {
    canvases.delete(message.id);
    return;
  }
  const drawn = canvases.get(message.id);
  if (!drawn) return;
  if (message.kind === 'layout') {
    drawn.layout = message.layout;
    return;
  }
  if (!drawn.layout) return;
  const { size, layers, weights, activations, selected, bands } = message;
  paintDense(drawn.canvas, size, {
    layout: drawn.layout,
    layers,
    weights: unflattenWeights(layers, weights),
    activations,
    selected,
    bands,
  });
};
