/**
 * Draws the page's canvases off its main thread (painter.ts): the diagram of a dense network
 * or of fast play, the output heatmap, the unit pictures, the figures. A canvas's raster and
 * its copy to the compositor, ~8 ms of a phone ×4's frame at every state drawn (measured in
 * bench:client's traces), happen here. The same drawing as on the page (paint-scene.ts).
 */
import type { PaintMessage } from './paint-messages';
import { paintScene, type SceneCache } from './paint-scene';

const canvases = new Map<number, { canvas: OffscreenCanvas; cache: SceneCache }>();

// A task's messages come as one (painter.ts).
self.onmessage = ({ data: messages }: MessageEvent<PaintMessage[]>) => {
  for (const message of messages) {
    if (message.kind === 'canvas') canvases.set(message.id, { canvas: message.canvas, cache: {} });
    else if (message.kind === 'drop') canvases.delete(message.id);
    else {
      const drawn = canvases.get(message.id);
      if (drawn) paintScene(drawn.canvas, message.scene, drawn.cache);
    }
  }
};
