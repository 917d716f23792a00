/**
 * npm run bench:room-commit [-- --steps N] [-- --seconds S] [-- --rounds R]
 *
 * What a room's commit costs on the SQLite store on disk (the single node's default): in
 * process, the time of a room task that records one event (its commit included, no
 * socket), over 5000 tasks; then seen from a client, the ack latency of N host steps in a
 * row (one commit each), and play at 1000 steps/s for R rounds of S seconds (steps/s and
 * frames/s; one commit per frame). The room awaits each commit (AsyncStore) before it acks
 * and broadcasts. (The figures from before that move, docs/benchmarks.md, came from this
 * script run in a checkout of the older server, given the synchronous store.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { asyncSqliteStore, openSqliteStore } from '../../server/src/store';
import { startServer } from '../../server/test/helpers/server';
import { createSession } from '../../server/test/helpers/session';
import { ok } from '../../server/test/helpers/sockets';

const { values } = parseArgs({
  options: {
    steps: { type: 'string' },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
  },
});
const steps = Number(values.steps ?? 500);
const seconds = Number(values.seconds ?? 3);
const rounds = Number(values.rounds ?? 3);

const dir = mkdtempSync(join(os.tmpdir(), 'bpl-room-commit-'));
const sqlite = openSqliteStore(dir);
const server = await startServer({ store: asyncSqliteStore(sqlite) });

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

try {
  // In process: tasks of one event each, through the registry's room and log.
  const { room: bare } = await server.app.sessions.create('Tasks');
  const TASKS = 5000;
  for (let k = 0; k < 500; k++) await bare.run(() => bare.record({ type: 'marker', label: 'w' }));
  let started = performance.now();
  for (let k = 0; k < TASKS; k++) await bare.run(() => bare.record({ type: 'marker', label: 'm' }));
  const taskUs = ((performance.now() - started) * 1000) / TASKS;
  // The same tasks recording nothing: the queue's own cost, without a commit.
  started = performance.now();
  for (let k = 0; k < TASKS; k++) await bare.run(() => undefined);
  const emptyUs = ((performance.now() - started) * 1000) / TASKS;

  const host = await createSession(server, 'Bench');
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  for (let k = 0; k < 20; k++) await ok(host.socket, 'host:step', { granularity: 'batch' });
  const acks: number[] = [];
  for (let k = 0; k < steps; k++) {
    const started = performance.now();
    await ok(host.socket, 'host:step', { granularity: 'batch' });
    acks.push(performance.now() - started);
  }
  acks.sort((a, b) => a - b);

  await ok(host.socket, 'host:hyper', { speed: 1000 });
  const room = server.app.sessions.get(host.code)!;
  const stepRates: number[] = [];
  const frameRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    await ok(host.socket, 'host:play', { playing: true });
    const from = { step: room.state.step, seq: room.state.seq };
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    stepRates.push((room.state.step - from.step) / seconds);
    frameRates.push((room.state.seq - from.seq) / seconds);
    await ok(host.socket, 'host:play', { playing: false });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(
    `room-commit (async store, SQLite on disk), load ` +
      `${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores: a task of one event ` +
      `${Math.round(taskUs)} µs (an empty task ${Math.round(emptyUs)} µs); step ack ` +
      `p50 ${round(percentile(acks, 50))} p99 ${round(percentile(acks, 99))} ` +
      `max ${round(acks.at(-1)!)} ms (n=${steps}); play at 1000 steps/s: median ` +
      `${Math.round(median(stepRates))} steps/s, ${round(median(frameRates), 1)} frames/s ` +
      `(rounds: ${stepRates.map(Math.round).join(', ')} steps/s)`,
  );
} finally {
  await server.close();
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
}
