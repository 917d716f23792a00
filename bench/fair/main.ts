/**
 * Fair CPU between rooms (issue 12 §3): a control class steps while N rooms play the
 * largest network at 1000 steps/s from two addresses. Prints the control room's step ack
 * and /healthz (p50/p99/max), each attacking room's steps/s, and the load of the machine,
 * first with nothing else playing (the baseline), then under the attack. The server runs
 * in this process (profile it with `node --cpu-prof`), the attackers in a child process.
 *
 *   npm run bench:fair                       20 rooms, 12 s of measurement
 *   npm run bench:fair -- --rooms 5 --seconds 10 --json
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import os from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '../../server/src/app';
import { configFromEnv } from '../../server/src/config';
import { DEFAULT_LIMITS } from '../../server/src/limits';
import { asyncSqliteStore, openSqliteStore } from '../../server/src/store';
import { startAttack } from './attack-process';
import { controlHost, measureControl, type ControlFigures } from './control';

const args = process.argv.slice(2);
const option = (name: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const ROOMS = Number(option('rooms') ?? 20);
const SECONDS = Number(option('seconds') ?? 12);
const WARMUP_MS = 3000;
const ADDRESSES = ['127.0.0.1', '127.0.0.2'];

const dataDir = mkdtempSync(join(tmpdir(), 'bench-fair-'));
const store = openSqliteStore(dataDir);
const app = createApp({
  config: {
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    clientDir: '/nonexistent',
    // The control host steps every 20 ms, faster than a person: its socket's bucket is raised.
    limits: { ...DEFAULT_LIMITS, events: { perSecond: 1000, burst: 1000, abuseFactor: 5 } },
  },
  logger: pino({ level: 'warn' }),
  store: asyncSqliteStore(store),
});
const port = await app.listen();
const url = `http://127.0.0.1:${port}`;
const control = await controlHost(url);

const load = () => os.loadavg()[0]!.toFixed(2);
const show = (label: string, f: ControlFigures) =>
  `${label.padEnd(10)} step ack p50 ${f.step.p50.toFixed(0)} p99 ${f.step.p99.toFixed(0)} max ` +
  `${f.step.max.toFixed(0)} ms (${f.step.samples})   /healthz p50 ${f.health.p50.toFixed(0)} ` +
  `p99 ${f.health.p99.toFixed(0)} max ${f.health.max.toFixed(0)} ms`;

process.stdout.write(
  `bench:fair — ${ROOMS} rooms of 3-64×6-1 at 1000 steps/s, ${SECONDS} s; load ${load()} on ${os.cpus().length} cores\n`,
);
const baseline = await measureControl(url, control, 3000);
process.stdout.write(`${show('baseline', baseline)}\n`);

const attack = await startAttack(url, ROOMS, ADDRESSES);
await measureControl(url, control, WARMUP_MS);
const cpuBefore = process.cpuUsage();
const started = performance.now();
const attacked = await measureControl(url, control, SECONDS * 1000);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const steps = await attack.stop();
const rates = steps.map((s) => s / (seconds + WARMUP_MS / 1000));
process.stdout.write(`${show('attacked', attacked)}\n`);
process.stdout.write(
  `attack     steps/s per room: min ${Math.min(...rates).toFixed(0)} median ${rates.sort((a, b) => a - b)[rates.length >> 1]!.toFixed(0)} max ${Math.max(...rates).toFixed(0)}; ` +
    `server CPU ${(((cpu.user + cpu.system) / 1e6 / seconds) * 100).toFixed(0)}%; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB; load ${load()}\n`,
);
process.stdout.write(
  `ratio      control step p99 attacked/baseline ${(attacked.step.p99 / baseline.step.p99).toFixed(1)}×, /healthz ${(attacked.health.p99 / baseline.health.p99).toFixed(1)}×\n`,
);
if (args.includes('--json')) {
  process.stdout.write(`${JSON.stringify({ rooms: ROOMS, baseline, attacked, rates })}\n`);
}
control.disconnect();
await app.close();
store.close();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
