/**
 * 200 students (real socket.io clients over loopback) propose and vote at the same moment,
 * each ballot sent twice with the same key and a quarter of them changed afterwards, under
 * the production per-command limits: no ballot is lost or counted twice, no proposal is
 * lost, every client ends with the server's state, and the host's commands keep getting
 * prompt acks. The figures are in docs/benchmarks.md ("Participation").
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/limits';
import { TestClock } from '../helpers/participation';
import { startServer, type TestServer } from '../helpers/server';
import { runStorm } from '../helpers/storm';

let server: TestServer;
const clock = new TestClock();
beforeAll(async () => {
  server = await startServer({ clock, limits: { commands: DEFAULT_LIMITS.commands } });
});
afterAll(async () => {
  await server.close();
});

test('200 students proposing and voting at once: every ballot counted once, host acks prompt', async () => {
  const report = await runStorm(server, clock, 200);
  expect(report.refused).toEqual([]);
  expect(report.tallies).toEqual(report.expectedTallies);
  expect(report.tallies.reduce((a, b) => a + b, 0)).toBe(200);
  expect(report.supporters).toBe(report.expectedSupporters);
  expect(report.mirrorsAgree).toBe(true);
  expect(report.hostAcks.length).toBeGreaterThan(5);
  // Loose enough for a loaded CI machine; the measured figures are far lower (benchmarks.md).
  expect(report.p99).toBeLessThan(1500);
}, 60_000);
