/**
 * Draws the page's canvases off its main thread (painter.ts): the diagram of a dense network
 * or of fast play, the output heatmap and the unit pictures (their grid evaluated here too),
 * the figures. A canvas's raster and its copy to the compositor, ~8 ms of a phone ×4's frame
 * at every state drawn (measured in bench:client's traces), happen here. The same drawing as
 * on the page (paint-scene.ts).
 */
import type { PaintMessage } from './paint-messages';
import { WorkerCanvases, type PaintReply } from './worker-canvases';

const canvases = new WorkerCanvases(
  (round) => setTimeout(round, 0),
  (reply: PaintReply) => (self as unknown as Worker).postMessage(reply),
);

// A task's messages come as one (painter.ts).
self.onmessage = ({ data: messages }: MessageEvent<PaintMessage[]>) => canvases.receive(messages);
