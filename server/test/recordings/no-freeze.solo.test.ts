/**
 * Issue 12 §1: one visitor importing or exporting a 50 MB recording must not freeze the
 * other classes. A control class steps throughout while a 50 MB file (480,000 markers)
 * is imported, the same file with a bad last line is refused, and the imported recording
 * is exported; the control room's step acknowledgements and /healthz stay under 100 ms
 * at the 99th percentile (before the fix they waited 2–5 s).
 *
 * That target holds as stated on a quiet machine (the control class's p99 with nothing else
 * going on, measured first, under 50 ms). On a machine shared with others an idle class
 * already waits hundreds of ms for the CPU, and the test can only check that the work adds
 * no freeze: p99 within 3 × the idle one and under 1 s. The figures are printed.
 *
 * A solo test (vitest.solo.config.ts): among the other test files, on 2 cores, one of its
 * ~100 samples once waited 206 ms for their CPU (CI, 2026-12-04), where alone it measures
 * 43–47 ms.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RecordingImportReply } from '@backprop/shared/protocol';
import {
  createRecordingHeader,
  decodeRecording,
  stringifyFinite,
} from '@backprop/shared/recording';
import { replayIdOf, storeOf } from '../helpers/recordings';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, type Host } from '../helpers/session';
import { ok } from '../helpers/sockets';

const MARKERS = 480_000;
const P99_LIMIT_MS = 100;

let server: TestServer;
let control: Host;
let file: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  server = await startServer();
  control = await createSession(server, 'Control class');
  file = await bigRecording(server);
}, 60_000);
afterAll(async () => {
  await server.close();
});

/** A valid recording of about 50 MB: a real session's start, then 480,000 markers. */
async function bigRecording(server: TestServer): Promise<Uint8Array<ArrayBuffer>> {
  const host = await createSession(server, 'Big');
  const url = `${server.url}/api/recordings/${await replayIdOf(server, host)}/export`;
  const { header } = decodeRecording(await (await fetch(url)).text());
  const { initial } = header;
  // Markers change no summary: the header of no events, but counting them.
  const lines = [
    stringifyFinite({
      ...createRecordingHeader({ initial, events: [], app: 'test', exportedAt: Date.now() }),
      events: MARKERS,
    }),
  ];
  for (let k = 1; k <= MARKERS; k++) {
    const label = `Marker ${k} `.padEnd(52, 'x');
    lines.push(
      stringifyFinite({ seq: initial.seq + k, t: initial.createdAt + k, type: 'marker', label }),
    );
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** Steps the control class and asks /healthz, every 20 ms, until `work` is done. */
async function measureDuring<T>(work: Promise<T>) {
  const step: number[] = [];
  const health: number[] = [];
  let done = false;
  const finished = work.finally(() => (done = true));
  const timed = async <R>(samples: number[], call: () => Promise<R>) => {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  };
  while (!done) {
    await Promise.all([
      timed(step, () => ok(control.socket, 'host:step', { granularity: 'sample' })),
      timed(health, () => fetch(`${server.url}/healthz`).then((res) => res.json())),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { result: await finished, step: p99(step), health: p99(health), samples: step.length };
}

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

test('a 50 MB import, a refused 50 MB import and a 50 MB export leave a control class responsive', async () => {
  expect(file.length).toBeGreaterThan(50 * 1000 * 1000);
  // What the machine gives a control class with nothing else going on, for comparison.
  const idle = await measureDuring(new Promise((resolve) => setTimeout(resolve, 2000)));
  const post = (body: Uint8Array<ArrayBuffer>) =>
    fetch(`${server.url}/api/recordings/import`, { method: 'POST', body });

  const imported = await measureDuring(
    post(file).then(async (res) => ({ status: res.status, body: await res.json() })),
  );
  expect(imported.result.status).toBe(201);
  const { replayId } = imported.result.body as RecordingImportReply;

  const lastLine = file.lastIndexOf(10, file.length - 2) + 1;
  const broken = new Uint8Array(
    Buffer.concat([file.subarray(0, lastLine), Buffer.from('{"seq":\n')]),
  );
  const before = (await storeOf(server).listRecordings()).length;
  const refused = await measureDuring(
    post(broken).then(async (res) => ({ status: res.status, body: await res.json() })),
  );
  expect(refused.result).toMatchObject({
    status: 400,
    body: { error: { code: 'bad-recording', line: MARKERS + 1 } },
  });
  expect(await storeOf(server).listRecordings()).toHaveLength(before);

  const exported = await measureDuring(
    fetch(`${server.url}/api/recordings/${replayId}/export`).then(async (res) => ({
      status: res.status,
      length: Number(res.headers.get('content-length')),
      bytes: await drainBody(res),
    })),
  );
  expect(exported.result.status).toBe(200);
  expect(exported.result.bytes).toBe(exported.result.length);
  expect(exported.result.bytes).toBeGreaterThan(50 * 1000 * 1000);

  const figures = { idle, imported, refused, exported };
  process.stdout.write(
    Object.entries(figures)
      .map(
        ([what, m]) =>
          `${what}: step p99 ${ms(m.step)}, /healthz p99 ${ms(m.health)} (${m.samples} samples)`,
      )
      .join('\n') + '\n',
  );
  const idleP99 = Math.max(idle.step, idle.health);
  const limit = idleP99 < P99_LIMIT_MS / 2 ? P99_LIMIT_MS : Math.min(1000, 3 * idleP99);
  for (const m of [imported, refused, exported]) {
    expect(m.samples).toBeGreaterThan(5);
    expect(m.step).toBeLessThan(limit);
    expect(m.health).toBeLessThan(limit);
  }
}, 300_000);

const ms = (value: number) => `${Math.round(value)} ms`;

/**
 * Counts the body's bytes as they arrive. The test's own client shares the server's event
 * loop: `arrayBuffer()` joins 50 MB in one go at the end, a 500 ms stall of its own that
 * would be measured as the server's.
 */
async function drainBody(res: Response): Promise<number> {
  let n = 0;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.byteLength;
  }
}
