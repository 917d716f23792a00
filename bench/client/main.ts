/**
 * npm run bench:client — what a frame of play costs a phone: the student view in Chromium at
 * 390×844 with the CPU throttled ×4 (DevTools' usual approximation of a mid-range phone),
 * while a host (a socket.io client) plays the default session at 1000 steps/s. After a
 * warm-up, over a fixed window: main-thread busy time per second and per frame received
 * (CDP Performance.getMetrics TaskDuration), the longest gap between painted frames
 * (requestAnimationFrame), DOM nodes and heap. One scenario so far (the default network);
 * issue 16 lists the rest. Figures: docs/benchmarks.md.
 */
import { chromium } from '@playwright/test';
import { io } from 'socket.io-client';
import { createApp } from '../../server/src/app';
import { configFromEnv } from '../../server/src/config';
import { PROTOCOL_VERSION } from '../../shared/src/protocol';

const WARM_MS = 5000;
const WINDOW_MS = 20_000;
const CPU_SLOWDOWN = 4;

const config = configFromEnv({
  PORT: '0',
  HOST: '127.0.0.1',
  DATA_DIR: ':memory:',
  LOG_LEVEL: 'silent',
});
const app = createApp({ config });
const url = `http://127.0.0.1:${await app.listen()}`;

const host = io(url, { auth: { protocol: PROTOCOL_VERSION }, transports: ['websocket'] });
await new Promise((resolve) => host.once('connect', () => resolve(null)));
const ask = (event: string, payload: unknown) =>
  new Promise<{ ok: boolean; code?: string }>((resolve) =>
    (host.emit as (e: string, p: unknown, ack: (r: unknown) => void) => void)(
      event,
      payload,
      (reply) => resolve(reply as { ok: boolean; code?: string }),
    ),
  );
const created = await ask('session:create', { title: 'Phone bench' });
if (!created.ok || !created.code) throw new Error('could not create a session');
let framesSent = 0;
host.on('session:events', (events: { type: string }[], _skipped: unknown, ack?: () => void) => {
  ack?.(); // else the host's outbox sends it a frame every 5 s (server/src/socket/outbox.ts)
  for (const event of events) if (event.type === 'frame') framesSent++;
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
});
const page = await browser.newPage({
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
});
const cdp = await page.context().newCDPSession(page);
await page.goto(`${url}/#/join/${created.code}`);
await page.getByLabel('Your name').fill('Ada');
await page.getByRole('button', { name: 'Join', exact: true }).click();
await page.getByTestId('my-name').waitFor();
await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
await cdp.send('Performance.enable');
// A string, not a function: tsx would add helpers the page does not have.
await page.evaluate(`(() => {
  window.paintGaps = [];
  let last = performance.now();
  const tick = (t) => { window.paintGaps.push(t - last); last = t; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})()`);
await ask('host:hyper', { speed: 1000 });
await ask('host:play', { playing: true });
await new Promise((resolve) => setTimeout(resolve, WARM_MS));

const metrics = async () =>
  Object.fromEntries(
    (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
  ) as Record<string, number>;
const before = await metrics();
const sentBefore = framesSent;
await page.evaluate('window.paintGaps = []');
await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
const after = await metrics();
const frames = framesSent - sentBefore;
const gaps = ((await page.evaluate('window.paintGaps')) as number[]).sort((a, b) => a - b);
const busyMs = (after.TaskDuration! - before.TaskDuration!) * 1000;

const figures = {
  scenario: 'student, default 3-4-1 houses, 390×844, CPU ×4, 1000 steps/s',
  framesSent: frames,
  busyMsPerSecond: Math.round(busyMs / (WINDOW_MS / 1000)),
  busyMsPerFrame: Number((busyMs / frames).toFixed(1)),
  longestPaintGapMs: Math.round(gaps.at(-1) ?? 0),
  paintGapsOver50ms: gaps.filter((gap) => gap > 50).length,
  domNodes: after.Nodes,
  heapMB: Number((after.JSHeapUsedSize! / 1e6).toFixed(1)),
};
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
await browser.close();
host.disconnect();
await app.close();
process.exit(0);
