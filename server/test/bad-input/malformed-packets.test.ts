/**
 * Issue 12 §5: a malformed socket.io packet closes its connection and logs one line — no
 * stack trace — and one address sending them nonstop gets at most one line per 10 s.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@backprop/shared/protocol';
import { startServer, type TestServer } from '../helpers/server';
import { waitUntil } from '../helpers/sockets';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

/** Connects with the raw protocol (engine.io 4, socket.io 5), then sends `packet`. */
async function sendMalformed(packet: string): Promise<void> {
  const url = `${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const ws = new WebSocket(url);
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('0')) ws.send(`40${JSON.stringify({ protocol: PROTOCOL_VERSION })}`);
      if (text.startsWith('40')) resolve();
    });
  });
  ws.send(packet);
  await closed;
}

const socketErrors = () => server.logs.filter((line) => line.msg === 'socket error');

test('each malformed packet closes its connection; one short line per address is logged', async () => {
  for (const packet of ['42["session:create",', '4x', '42{"not":"an array"}']) {
    await sendMalformed(packet);
  }
  await waitUntil(() => socketErrors().length >= 1);
  const lines = socketErrors();
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: 40, ip: expect.any(String), reason: expect.any(String) });
  expect(lines[0]).not.toHaveProperty('err');
  expect(JSON.stringify(lines[0])).not.toMatch(/node_modules|at .*\(/);
  expect(JSON.stringify(lines[0]).length).toBeLessThan(400);
  // The server is fine: a well-behaved client still connects.
  const client = await server.connect();
  expect(client.connected).toBe(true);
  client.disconnect();
});
