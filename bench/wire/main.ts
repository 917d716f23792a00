/**
 * npm run bench:wire — what one student receives per second while the host plays at 1000
 * steps/s, per network, for the wire format of protocol 4 (frames as JSON, `json`) and the
 * current one (binary frame numbers, `binary`), side by side in one run; then a slow
 * client among fast ones (the outbox: no backlog). Real server (createApp) on 127.0.0.1
 * port 0 in this process, N socket.io students (websocket transport) counting the bytes
 * they receive at the engine.io level. Figures: docs/benchmarks.md, "Wire".
 *
 *   npm run bench:wire                       N = 20, 30 s per case after a 2 s warm-up
 *   npm run bench:wire -- --n 50 --seconds 20 --json
 */
import { io } from 'socket.io-client';
import { createApp } from '../../server/src/app';
import { configFromEnv } from '../../server/src/config';
import type { FrameEncoding } from '../../server/src/socket/fan-out';
import { outboxOf } from '../../server/src/socket/fan-out';
import {
  fromWire,
  PROTOCOL_VERSION,
  type SkippedSeqs,
  type WireEvent,
} from '../../shared/src/protocol';
import { NETWORKS, type NetworkCase } from './networks';
import { Student } from './student';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const N = Number(option('n') ?? 20);
/** Long enough for the largest network's weights (every ~14 s: frames.ts) to come twice. */
const SECONDS = Number(option('seconds') ?? 30);
const WARM_MS = 2000;
/** A student's share of the room's Wi-Fi: 200 phones in 20 Mbit/s (issue 16). */
const TARGET_KIB = 12.5;
/** Frames a second of play at full rate (play-loop.ts). */
const FULL_RATE = 20;
/** The slow client's handling time per message of frames (a phone throttled ×20). */
const SLOW_ACK_MS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Measured {
  kibPerSecond: number;
  framesPerSecond: number;
  upBytesPerSecond: number;
  /** Per second, from the host's copy of the frames: JSON bytes of params, fit, the rest. */
  share: { params: number; fit: number; rest: number };
}

async function room(network: NetworkCase, encoding: FrameEncoding) {
  const config = configFromEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
  });
  const app = createApp({ config, frameEncoding: encoding });
  const url = `http://127.0.0.1:${await app.listen()}`;
  const host = io(url, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
  });
  await new Promise((resolve) => host.once('connect', () => resolve(null)));
  const ask = async (event: string, payload: unknown) => {
    const reply = (await (
      host.timeout(30_000).emitWithAck as (e: string, p: unknown) => Promise<unknown>
    )(event, payload)) as { ok: boolean; code?: string };
    if (!reply.ok) throw new Error(`${event}: ${JSON.stringify(reply)}`);
    return reply;
  };
  const { code } = (await ask('session:create', { title: 'Wire bench' })) as { code: string };
  if (network.setup) await ask('host:setup', network.setup);
  await ask('host:hyper', { speed: 1000 });
  const serverStep = () => app.sessions.get(code)?.state.step ?? 0;
  return { app, url, host, code, ask, serverStep };
}

async function measure(network: NetworkCase, encoding: FrameEncoding): Promise<Measured> {
  const { app, url, host, code, ask } = await room(network, encoding);
  const students = Array.from({ length: N }, () => new Student(url));
  for (const [k, student] of students.entries()) await student.join(code, `S${k}`);
  const share = { params: 0, fit: 0, rest: 0 };
  let counting = false;
  host.on('session:events', (events: WireEvent[], _skipped: SkippedSeqs, ack?: () => void) => {
    ack?.();
    if (!counting) return;
    for (const event of events.map(fromWire)) {
      if (event.type !== 'frame') continue;
      const { params, fit, ...rest } = event;
      const params_ = params ? JSON.stringify(params).length + 10 : 0;
      const fit_ = fit ? JSON.stringify(fit).length + 7 : 0;
      share.params += params_;
      share.fit += fit_;
      share.rest += wireOverhead(JSON.stringify(rest).length);
    }
  });
  await ask('host:play', { playing: true });
  await sleep(WARM_MS);
  for (const student of students) student.reset();
  counting = true;
  await sleep(SECONDS * 1000);
  counting = false;
  const down = students.reduce((sum, s) => sum + s.down, 0) / N;
  const up = students.reduce((sum, s) => sum + s.up, 0) / N;
  const frames = students.reduce((sum, s) => sum + s.frames, 0) / N;
  await ask('host:play', { playing: false });
  for (const student of students) student.close();
  host.disconnect();
  await app.close();
  return {
    kibPerSecond: down / SECONDS / 1024,
    framesPerSecond: frames / SECONDS,
    upBytesPerSecond: up / SECONDS,
    share: {
      params: share.params / SECONDS,
      fit: share.fit / SECONDS,
      rest: share.rest / SECONDS,
    },
  };
}

/** socket.io's `42["session:events",[…],[]]` and the WebSocket header around a frame's JSON. */
function wireOverhead(json: number): number {
  const payload = json + '42["session:events",[],[]]'.length + 2; // + an ack id
  return payload + (payload <= 125 ? 2 : 4);
}

interface SlowMeasured {
  network: string;
  slow: { framesPerSecond: number; skipped: number; maxBehind: number; p95Behind: number };
  fast: { framesPerSecond: number; skipped: number; maxBehind: number };
  maxWaiting: number;
}

async function slowScenario(network: NetworkCase): Promise<SlowMeasured> {
  const { app, url, host, code, ask, serverStep } = await room(network, 'binary');
  host.on('session:events', (_e: unknown, _s: unknown, ack?: () => void) => ack?.());
  const fast = Array.from({ length: N - 1 }, () => new Student(url, 0, serverStep));
  const slow = new Student(url, SLOW_ACK_MS, serverStep);
  for (const [k, student] of [...fast, slow].entries()) await student.join(code, `S${k}`);
  await ask('host:play', { playing: true });
  await sleep(WARM_MS);
  for (const student of [...fast, slow]) student.reset();
  let maxWaiting = 0;
  const sampler = setInterval(() => {
    for (const socket of app.io.sockets.sockets.values()) {
      maxWaiting = Math.max(maxWaiting, outboxOf(socket).waiting);
    }
  }, 20);
  await sleep(SECONDS * 1000);
  clearInterval(sampler);
  await ask('host:play', { playing: false });
  const sorted = [...slow.behind].sort((a, b) => a - b);
  const result: SlowMeasured = {
    network: network.name,
    slow: {
      framesPerSecond: slow.frames / SECONDS,
      skipped: slow.skipped,
      maxBehind: sorted[sorted.length - 1] ?? 0,
      p95Behind: sorted[Math.floor(0.95 * (sorted.length - 1))] ?? 0,
    },
    fast: {
      framesPerSecond: fast.reduce((sum, s) => sum + s.frames, 0) / fast.length / SECONDS,
      skipped: fast.reduce((sum, s) => sum + s.skipped, 0),
      maxBehind: Math.max(...fast.flatMap((s) => s.behind)),
    },
    maxWaiting,
  };
  for (const student of [...fast, slow]) student.close();
  host.disconnect();
  await app.close();
  return result;
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const rows: string[] = [];
const results: Record<string, { json: Measured; binary: Measured }> = {};
for (const network of NETWORKS) {
  const json = await measure(network, 'json');
  const binary = await measure(network, 'binary');
  results[network.name] = { json, binary };
  const { share } = json;
  const total = share.params + share.fit + share.rest;
  const percent = (part: number) => `${Math.round((100 * part) / Math.max(total, 1))}%`;
  const perFrame = (m: Measured) => (m.kibPerSecond * 1024) / Math.max(m.framesPerSecond, 1e-9);
  // A loaded machine plays big networks at fewer than 20 frames/s. At full rate a student
  // gets the same weights and fits a second (frames.ts paces them per second) and more of
  // the rest (step, losses, framing): add the missing frames' rest.
  const restPerFrame = binary.share.rest / Math.max(binary.framesPerSecond, 1e-9);
  const missing = Math.max(0, FULL_RATE - binary.framesPerSecond);
  const atFullRate = (binary.kibPerSecond * 1024 + missing * restPerFrame) / 1024;
  rows.push(
    `| ${network.name} | ${fixed(json.kibPerSecond)} (${fixed(perFrame(json), 0)} B) | ` +
      `${fixed(binary.kibPerSecond)} (${fixed(perFrame(binary), 0)} B) | ` +
      `${fixed(perFrame(binary) / perFrame(json), 2)}× | ` +
      `${fixed(json.framesPerSecond)} / ${fixed(binary.framesPerSecond)} | ` +
      `${percent(share.params)} / ${percent(share.fit)} / ${percent(share.rest)} | ` +
      `${fixed(binary.upBytesPerSecond, 0)} | ${fixed(atFullRate)} | ` +
      `${Math.max(atFullRate, binary.kibPerSecond) <= TARGET_KIB ? 'yes' : 'NO'} |`,
  );
  console.error(`measured ${network.name}`);
}
const slow: SlowMeasured[] = [];
for (const network of [NETWORKS[0]!, NETWORKS[NETWORKS.length - 1]!]) {
  slow.push(await slowScenario(network));
  console.error(`measured the slow client on ${network.name}`);
}

if (args.includes('--json')) {
  console.log(JSON.stringify({ n: N, seconds: SECONDS, results, slow }, null, 2));
} else {
  console.log(`\n${N} students, ${SECONDS} s after a ${WARM_MS / 1000} s warm-up, 1000 steps/s\n`);
  console.log(
    '| network | protocol 4 (JSON): KiB/s (per frame) | binary: KiB/s (per frame) | binary / JSON per frame | frames/s (JSON / binary) | JSON bytes: params / fit / rest | up B/s (acks) | binary at 20 frames/s, KiB/s | ≤ 12.5 KiB/s |',
  );
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|:-:|');
  for (const row of rows) console.log(row);
  console.log(
    `\nOne slow client (acks each message of frames after ${SLOW_ACK_MS} ms) among ${N - 1} fast ones:\n`,
  );
  console.log(
    '| network | slow: frames/s | slow: skipped | slow: steps behind p95 / max | fast: frames/s | fast: skipped | fast: max behind | most messages waiting in one outbox |',
  );
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const s of slow) {
    console.log(
      `| ${s.network} | ${fixed(s.slow.framesPerSecond)} | ${s.slow.skipped} | ` +
        `${s.slow.p95Behind} / ${s.slow.maxBehind} | ${fixed(s.fast.framesPerSecond)} | ` +
        `${s.fast.skipped} | ${s.fast.maxBehind} | ${s.maxWaiting} |`,
    );
  }
}
process.exit(0);
