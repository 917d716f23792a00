/**
 * Run by churn.test.ts as `node --expose-gc --import tsx churn-child.ts ROOMS`: creates
 * and disposes ROOMS rooms through real sockets (a host creates, a student joins, the
 * host steps, both leave, the idle sweep disposes), and prints the heap before and after
 * as one JSON line. A child process, so that gc() is there and nothing else is on the heap.
 */
import { pino } from 'pino';
import { io as connectClient } from 'socket.io-client';
import { PROTOCOL_VERSION } from '@backprop/shared/protocol';
import { createApp } from '../../src/app';
import { configFromEnv } from '../../src/config';
import { MemoryEventLog } from '../../src/room/event-log';
import { SessionRegistry } from '../../src/sessions/registry';
import { TEST_LIMITS, type Client } from '../helpers/server';
import { ok, waitUntil } from '../helpers/sockets';

const ROOMS = Number(process.argv[2] ?? 1000);
const BATCH = 25;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

let now = 0;
const clock = { now: () => now };
const logger = pino({ level: 'silent' });
const limits = { ...TEST_LIMITS, maxRooms: 10 * BATCH };
const sessions = new SessionRegistry({
  clock,
  logger,
  createLog: () => new MemoryEventLog(),
  broadcast: () => undefined,
  limits,
});
const app = createApp({
  config: {
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    clientDir: '/nonexistent',
    limits,
  },
  logger,
  clock,
  sessions,
});
const url = `http://127.0.0.1:${await app.listen()}`;

async function connected(): Promise<Client> {
  const socket: Client = connectClient(url, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

async function oneRoom(k: number): Promise<string> {
  const host = await connected();
  const { code } = await ok(host, 'session:create', { title: `Room ${k}` });
  const student = await connected();
  await ok(student, 'session:join', { code, name: `Student ${k}` });
  await ok(host, 'host:step', { granularity: 'sample' });
  host.disconnect();
  student.disconnect();
  return code;
}

async function churn(rooms: number): Promise<void> {
  for (let start = 0; start < rooms; start += BATCH) {
    const codes = await Promise.all(
      Array.from({ length: Math.min(BATCH, rooms - start) }, (_, k) => oneRoom(start + k)),
    );
    await waitUntil(() => codes.every((code) => sessions.get(code)?.socketCount === 0), 10_000);
    sessions.sweepIdle();
    now += limits.roomIdleMs;
    sessions.sweepIdle();
    if (sessions.size !== 0) throw new Error(`${sessions.size} rooms left after a sweep`);
  }
}

async function settledHeap(): Promise<number> {
  for (let k = 0; k < 5; k++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc!();
  }
  return process.memoryUsage().heapUsed;
}

await churn(100); // warm-up: JIT, pools, socket.io internals
const baseline = await settledHeap();
const started = performance.now();
await churn(ROOMS);
const seconds = (performance.now() - started) / 1000;
const after = await settledHeap();
await app.close();
process.stdout.write(
  `${JSON.stringify({ rooms: ROOMS, baseline, after, growth: after - baseline, seconds, left: sessions.size })}\n`,
);
process.exit(0);
