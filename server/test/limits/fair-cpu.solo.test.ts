/**
 * Issue 12 §3: no class can be starved by others playing. Twenty rooms, ten from each of
 * two addresses (the most one address may keep playing), play the largest network the
 * server allows (3 inputs, 6 hidden layers of 64, 1 output) at 1000 steps/s, their hosts
 * connected and receiving frames (in a child process, bench/fair/attackers.ts, so that
 * reading frames is not charged to the server's event loop). Beside them a control class
 * with the default network steps one sample after another while /healthz is asked: after
 * a warm-up (every room's first frame carries its whole network and the fit), over 12 s,
 * the control's step acknowledgement p99 ≤ 150 ms and /healthz p99 ≤ 100 ms (before the
 * play scheduler, play-cpu.ts: 674 ms and 1,479 ms). And every attacking room still trains.
 *
 * CPU timing depends on the machine: when it was already overloaded at the start (load
 * average above 3 × its cores), the test still runs and asserts, and the failure message
 * says so, with the figures of the same control class measured before the attack. The
 * same measurement with more detail: `npm run bench:fair` (docs/benchmarks.md).
 */
import os from 'node:os';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startAttack } from '../../../bench/fair/attack-process';
import { controlHost, measureControl, type ControlFigures } from '../../../bench/fair/control';
import { startServer, type TestServer } from '../helpers/server';

const ROOMS = 20;
/** Two loopback addresses: 10 rooms each, the default MAX_PLAYING_PER_IP. */
const ADDRESSES = ['127.0.0.1', '127.0.0.2'];
const WARMUP_MS = 3000;
const MEASURE_MS = 12_000;
const STEP_P99_MS = 150;
const HEALTH_P99_MS = 100;

let server: TestServer;
beforeAll(async () => {
  // The limits a server runs with, except that the control host may step every 20 ms.
  server = await startServer({
    limits: {
      maxPlayingRoomsPerIp: 10,
      events: { perSecond: 1000, burst: 1000, abuseFactor: 5 },
    },
  });
});
afterAll(async () => {
  await server.close();
});

test('twenty rooms playing the largest network leave a control class responsive', async () => {
  const load = os.loadavg()[0]!;
  const cores = os.cpus().length;
  const control = await controlHost(server.url);
  const before = await measureControl(server.url, control, 2000);

  const attack = await startAttack(server.url, ROOMS, ADDRESSES);
  let during: ControlFigures;
  let steps: number[];
  try {
    await measureControl(server.url, control, WARMUP_MS);
    during = await measureControl(server.url, control, MEASURE_MS);
  } finally {
    steps = await attack.stop();
  }
  control.disconnect();

  const figures =
    `control step ack p99 ${Math.round(during.step.p99)} ms, /healthz p99 ` +
    `${Math.round(during.health.p99)} ms (${during.step.samples} samples); before the ` +
    `attack ${Math.round(before.step.p99)} / ${Math.round(before.health.p99)} ms; steps per ` +
    `room ${Math.min(...steps)}–${Math.max(...steps)}; load ${load.toFixed(1)} on ${cores} ` +
    `cores at the start${load > 3 * cores ? ' (OVERLOADED: other work is on this machine)' : ''}`;
  process.stdout.write(`fair-cpu: ${figures}\n`);

  expect(steps, figures).toHaveLength(ROOMS);
  expect(during.step.samples, figures).toBeGreaterThan(100);
  expect(during.step.p99, figures).toBeLessThanOrEqual(STEP_P99_MS);
  expect(during.health.p99, figures).toBeLessThanOrEqual(HEALTH_P99_MS);
  // No room starves: each one trained while the others played.
  expect(Math.min(...steps), figures).toBeGreaterThan(0);
}, 90_000);
