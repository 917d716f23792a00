/**
 * Fan-out benchmark: one room, N students, the host playing at full speed (1000 steps/s,
 * at most 20 frames/s broadcast). For each N, the real server (socket.io) and, in the same
 * run, a bare `ws` server broadcasting frames of the same size at the same rate. Every
 * process is on 127.0.0.1; clients run in child processes (two from N = 1000 on, since
 * one client process saturates a core). Prints delivery latency p50/p99 (receive time −
 * server stamp, same machine), frames lost (seq gaps), frames per second, the server
 * process's CPU and RSS, and the socket.io/ws ratio of p99.
 *
 *   npm run bench:fanout                      N = 100, 500, 1000, 2000
 *   npm run bench:fanout -- --quick           N = 100, 500
 *   npm run bench:fanout -- --n 1000 --seconds 10 --json
 */
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { fromWire, PROTOCOL_VERSION, type WireEvent } from '../../shared/src/protocol';
import type { SessionEvent } from '../../shared/src/session';
import { next, reports, runToEnd, spawnChild, stop, tell } from './children';
import { preciseNow, type ServerUsage } from './messages';
import { deliveryColumns, summarize, type Summary } from './summary';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const SIZES =
  option('n')?.split(',').map(Number) ?? (flag('quick') ? [100, 500] : [100, 500, 1000, 2000]);
const SECONDS = Number(option('seconds') ?? 5);
const WARMUP_SECONDS = 1;
const FPS = 20;
const SPEED = 1000;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const spawn = (file: string, argv: string[] = []) => spawnChild(here(file), argv);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function usage(server: ChildProcess): Promise<ServerUsage> {
  const reply = next(server, 'usage');
  tell(server, { type: 'usage' });
  return reply;
}

/** Starts `n` students in 1 or 2 client processes; resolves once all are connected. */
async function startClients(n: number, argv: (count: number, offset: number) => string[]) {
  const processes = n >= 1000 ? 2 : 1;
  const clients: ChildProcess[] = [];
  for (let p = 0; p < processes; p++) {
    const count = Math.floor(n / processes) + (p < n % processes ? 1 : 0);
    const offset = p * Math.floor(n / processes);
    clients.push(spawn('clients.ts', argv(count, offset)));
  }
  const ready = await Promise.all(clients.map((c) => next(c, 'ready')));
  const connected = ready.reduce((sum, r) => sum + r.connected, 0);
  if (connected !== n) throw new Error(`only ${connected} of ${n} students connected`);
  return clients;
}

interface Measured {
  summary: Summary;
  /** Mean bytes of a frame on the wire (socket.io's packet around the event). */
  frameBytes: number;
  templates: string[];
}

async function socketIo(n: number): Promise<Measured> {
  const server = spawn('sio-server.ts');
  const { port } = await next(server, 'listening');
  const url = `http://127.0.0.1:${port}`;
  const host = io(url, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  await new Promise((resolve) => host.once('connect', () => resolve(undefined)));
  const command = (name: string, payload: unknown) =>
    (
      host.timeout(60_000).emitWithAck as (
        e: string,
        p: unknown,
      ) => Promise<{ ok: boolean; code?: string }>
    )(name, payload);
  const created = await command('session:create', { title: 'Fan-out' });
  const code = created.code!;
  const clients = await startClients(n, (count, offset) => [
    'sio',
    url,
    String(count),
    code,
    String(offset),
  ]);

  const frames: SessionEvent[] = [];
  host.on('session:events', (wire: WireEvent[], _skipped: unknown, ack?: () => void) => {
    ack?.();
    const events = wire.map(fromWire);
    // Play frames: 'progressed' events, or compact 'frame' events where the server sends them.
    for (const event of events) {
      if (event.type === 'progressed' || event.type === 'frame') frames.push(event);
    }
  });
  await command('host:hyper', { speed: SPEED });
  await command('host:play', { playing: true });
  await sleep(WARMUP_SECONDS * 1000);
  const from = preciseNow();
  const before = await usage(server);
  await sleep(SECONDS * 1000);
  const to = preciseNow();
  const after = await usage(server);
  await command('host:play', { playing: false });
  await sleep(500); // the last frames arrive
  const received = await reports(clients, from, to);
  const inWindow = frames.filter((f) => f.t >= from && f.t < to);
  const templates = inWindow.map((frame) => JSON.stringify(frame));
  const frameBytes = Math.round(
    templates.reduce((sum, t) => sum + Buffer.byteLength(`42["session:events",[${t}]]`), 0) /
      Math.max(templates.length, 1),
  );
  host.disconnect();
  await stop([...clients, server]);
  return {
    summary: summarize(n, SECONDS, inWindow.length, received, before, after),
    frameBytes,
    templates,
  };
}

async function bareWs(n: number, templates: string[]): Promise<Summary> {
  const server = spawn('ws-server.ts');
  const { port } = await next(server, 'listening');
  const clients = await startClients(n, (count) => ['ws', `ws://127.0.0.1:${port}`, String(count)]);
  tell(server, { type: 'broadcast', templates, seconds: WARMUP_SECONDS + SECONDS + 0.5, fps: FPS });
  await sleep(WARMUP_SECONDS * 1000);
  const from = preciseNow();
  const before = await usage(server);
  await sleep(SECONDS * 1000);
  const to = preciseNow();
  const after = await usage(server);
  await sleep(1000);
  const received = await reports(clients, from, to);
  await stop([...clients, server]);
  const sent = Math.round(SECONDS * FPS);
  return summarize(n, SECONDS, sent, received, before, after);
}

function row(name: string, s: Summary, bytes: number): string {
  return [
    name.padEnd(9),
    String(s.n).padStart(5),
    ...deliveryColumns(s),
    `${s.cpuPercent.toFixed(0)}%`.padStart(6),
    s.rssMb.toFixed(0).padStart(6),
    String(bytes).padStart(7),
  ].join(' ');
}

async function main(): Promise<void> {
  const results: {
    n: number;
    socketIo: Summary;
    ws: Summary;
    frameBytes: number;
    ratio: number;
  }[] = [];
  if (!flag('json')) {
    console.log(
      `fan-out: ${SECONDS} s windows, play at ${SPEED} steps/s, ≤ ${FPS} frames/s, Node ${process.version}`,
    );
    console.log(
      'server        N  srv f/s  cli f/s  p50 ms  p99 ms  max ms  lost  drop    CPU RSS MB  bytes',
    );
  }
  for (const n of SIZES) {
    const sio = await socketIo(n);
    const ws = await bareWs(n, sio.templates);
    const ratio = sio.summary.p99 / Math.max(ws.p99, 0.001);
    results.push({ n, socketIo: sio.summary, ws, frameBytes: sio.frameBytes, ratio });
    if (!flag('json')) {
      console.log(row('socket.io', sio.summary, sio.frameBytes));
      console.log(row('bare ws', ws, sio.frameBytes));
      console.log(`${' '.repeat(10)}p99 ratio socket.io / ws: ${ratio.toFixed(2)}×`);
    }
  }
  if (flag('json')) console.log(JSON.stringify(results, null, 2));
}

runToEnd('fan-out benchmark', main, 30 * 60_000);
