/**
 * The baseline: a bare `ws` server that broadcasts the same frames (same byte size, each
 * encoded once and sent as one buffer to every client) at the same rate, to bare ws clients.
 */
import { WebSocketServer } from 'ws';
import { preciseNow, type FromChild, type ToChild } from './messages';

const send = (message: FromChild) => process.send!(message);
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
server.on('listening', () => {
  const address = server.address();
  send({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});

/** Sends the socket.io run's frames again, in order (cycled), so sizes match frame by frame. */
function broadcast(templates: string[], seconds: number, fps: number): void {
  const frames = templates.map((t) => JSON.parse(t) as Record<string, unknown>);
  const end = preciseNow() + seconds * 1000;
  let seq = 1;
  const tick = () => {
    const startedAt = performance.now();
    const frame = frames[(seq - 1) % frames.length];
    const data = Buffer.from(JSON.stringify({ ...frame, seq: seq++, t: preciseNow() }));
    for (const client of server.clients) client.send(data, { binary: false });
    if (preciseNow() < end)
      setTimeout(tick, Math.max(0, 1000 / fps - (performance.now() - startedAt)));
  };
  tick();
}

process.on('message', (message: ToChild) => {
  if (message.type === 'usage') {
    send({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  } else if (message.type === 'broadcast') {
    broadcast(message.templates, message.seconds, message.fps);
  } else if (message.type === 'stop') {
    server.close(() => process.exit(0));
    for (const client of server.clients) client.terminate();
  }
});
