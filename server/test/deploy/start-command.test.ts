/**
 * The container's start command, as the Dockerfile gives it (read from the file, so the
 * two cannot drift apart), run for real: it serves, its HEALTHCHECK passes, and SIGTERM (what
 * `docker stop` sends) closes it cleanly, exit code 0, with every session intact when the
 * same command starts again on the same data folder. Docker itself is not run here.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { io as connectClient } from 'socket.io-client';
import { afterEach, expect, test } from 'vitest';
import { PROTOCOL_VERSION, type Sync } from '@backprop/shared/protocol';
import type { SessionState } from '@backprop/shared/session';
import type { Client } from '../helpers/server';
import { ok } from '../helpers/sockets';

const ROOT = new URL('../../../', import.meta.url).pathname;
const DOCKERFILE = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
// Generous: tsx compiles the server on start, slow on a loaded test machine.
const START_MS = 90_000;

/** The exec-form command of a Dockerfile line `CMD [...]` or `HEALTHCHECK … CMD [...]`. */
function execForm(instruction: RegExp): string[] {
  const joined = DOCKERFILE.replace(/\\\n\s*/g, ' ');
  const line = joined.split('\n').find((row) => instruction.test(row));
  if (!line) throw new Error(`no ${String(instruction)} in the Dockerfile`);
  return JSON.parse(line.slice(line.indexOf('CMD [') + 4)) as string[];
}

const START = execForm(/^CMD \[/);
const HEALTHCHECK = execForm(/^HEALTHCHECK .*CMD \[/);

interface Started {
  child: ChildProcess;
  port: number;
  logs: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Runs the image's CMD (`node` is this Node) as the image would, with DATA_DIR=`dataDir`. */
async function start(dataDir: string): Promise<Started> {
  expect(START[0]).toBe('node');
  const child = spawn(process.execPath, START.slice(1), {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const logs: Record<string, unknown>[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no start in ${START_MS} ms: ${stderr}`)),
      START_MS,
    );
    void exited.then(({ code }) => reject(new Error(`exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'Backprop Live listening') {
        clearTimeout(timer);
        resolve(entry.port as number);
      }
    });
  });
  return { child, port, logs, exited };
}

/** The HEALTHCHECK's command against `port`: its exit code. */
function healthcheck(port: number): Promise<number> {
  expect(HEALTHCHECK[0]).toBe('node');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      HEALTHCHECK.slice(1),
      { env: { ...process.env, PORT: String(port) }, timeout: 10_000 },
      (err) => resolve(err ? ((err as { code?: number }).code ?? 1) : 0),
    );
  });
}

async function connect(port: number): Promise<Client> {
  const client: Client = connectClient(`http://127.0.0.1:${port}`, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  return client;
}

function snapshot(sync: Sync): SessionState {
  if (sync.kind !== 'snapshot') throw new Error('expected a snapshot');
  return sync.state;
}

test('the Dockerfile keeps its data in /data and runs node itself as PID 1', () => {
  expect(DOCKERFILE).toMatch(/DATA_DIR=\/data/);
  expect(DOCKERFILE).toMatch(/^VOLUME \/data$/m);
  expect(DOCKERFILE).toMatch(/^USER node$/m);
  expect(START).toEqual(['node', '--import', 'tsx', 'server/src/main.ts']);
});

test(
  'the start command serves, passes its health check, and stops on SIGTERM with sessions intact',
  { timeout: 240_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bpl-start-'));
    const first = await start(dataDir);
    expect(await healthcheck(first.port)).toBe(0);

    const host = await connect(first.port);
    const { code, hostToken } = await ok(host, 'session:create', { title: 'Before the stop' });
    const student = await connect(first.port);
    await ok(student, 'session:join', { code, name: 'Ada' });
    for (let k = 0; k < 3; k++) await ok(host, 'host:step', { granularity: 'sample' });
    const before = snapshot((await ok(host, 'session:sync', { lastSeq: 0 })).sync);
    expect(before.step).toBe(3);

    // Sockets still open, as in a class: SIGTERM is what `docker stop` sends.
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.logs.map((entry) => entry.msg)).toContain('shutting down');
    expect(await healthcheck(first.port)).not.toBe(0);
    host.disconnect();
    student.disconnect();

    const second = await start(dataDir);
    const again = await connect(second.port);
    const resumed = await ok(again, 'session:resume', { code, token: hostToken, lastSeq: 0 });
    const after = snapshot(resumed.sync);
    expect(after.step).toBe(before.step);
    expect(after.network).toEqual(before.network);
    expect(after.loss).toEqual(before.loss);
    expect(after.participants.map((p) => p.name)).toEqual(['Ada']);
    expect(after.seq).toBeGreaterThanOrEqual(before.seq);
    again.disconnect();
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  },
);
