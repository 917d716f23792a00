/**
 * "Nothing acknowledged is lost": a process killed with SIGKILL in the middle of
 * recording (no chance to close the database) loses no event it had acknowledged, and
 * the database it leaves behind opens, passes integrity_check and loads.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import { applyEvents } from '@backprop/shared/session';
import { DATABASE_FILE, openSqliteStore } from '../../src/store';
import { randomSession, tempDataDir, wire } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** Runs the child until it has acked at least `atLeast`, kills it; the highest seq it acked. */
function recordThenKill(dataDir: string, atLeast: number): Promise<number> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let acked = 0;
  let errors = '';
  let buffered = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) acked = Math.max(acked, Number(line.replace('acked ', '')));
      if (acked >= atLeast && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`the child exited on its own (${_code}): ${errors}`));
    });
  });
}

test('a killed process loses no acknowledged event', async () => {
  const { dir, remove } = tempDataDir();
  cleanups.push(remove);
  const acked = await recordThenKill(dir, 600);
  expect(acked).toBeGreaterThanOrEqual(600);

  const db = new Database(join(dir, DATABASE_FILE));
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();

  const session = randomSession(17, 3000);
  const code = session.initial.code;
  const store = openSqliteStore(dir);
  cleanups.unshift(() => store.close());
  const stored = store.session(code)!;
  // Everything acked is there (and perhaps a few events committed after the last ack read).
  expect(stored.lastSeq).toBeGreaterThanOrEqual(acked);
  expect(store.eventsSince(code, 0)).toStrictEqual(wire(session.events.slice(0, stored.lastSeq)));
  expect(store.latestKeyframe(code)!.seq).toBe(Math.floor(stored.lastSeq / 100) * 100);
  expect(store.loadSession(code)!.state).toStrictEqual(
    wire(applyEvents(session.initial, session.events.slice(0, stored.lastSeq))),
  );
}, 30_000);
