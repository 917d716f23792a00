/**
 * The child processes of the fan-out benchmarks (bench/fanout, bench/cluster): forked with
 * tsx and an IPC channel, awaited message by message with a bound, and stopped politely.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ClientsReport, FromChild, ToChild } from './messages';

/** Nothing may hang: a phase that takes longer than this aborts the run. */
const PHASE_TIMEOUT_MS = 180_000;

/** Every child still running, for a run that fails to kill on its way out. */
export const children = new Set<ChildProcess>();

export function spawnChild(file: string, argv: string[] = []): ChildProcess {
  const child = fork(file, argv, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export function next<T extends FromChild['type']>(
  child: ChildProcess,
  type: T,
): Promise<Extract<FromChild, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${type}`)),
      PHASE_TIMEOUT_MS,
    );
    const listener = (message: FromChild) => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', listener);
      resolve(message as Extract<FromChild, { type: T }>);
    };
    child.on('message', listener);
    child.once('exit', (code) => code && reject(new Error(`${type}: child exited with ${code}`)));
  });
}

export const tell = (child: ChildProcess, message: ToChild) => child.send(message);

/** Each client process's receipts of the frames stamped within [from, to). */
export async function reports(
  clients: ChildProcess[],
  from: number,
  to: number,
): Promise<ClientsReport[]> {
  const replies = Promise.all(clients.map((c) => next(c, 'report')));
  for (const c of clients) tell(c, { type: 'window', from, to });
  return replies;
}

export async function stop(processes: ChildProcess[]): Promise<void> {
  await Promise.all(
    processes.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          tell(child, { type: 'stop' });
          setTimeout(() => child.kill(), 5000).unref();
        }),
    ),
  );
}

/**
 * Runs a benchmark's `main` and exits: 0 when it resolves, 1 (every child killed) when it
 * fails or is still running after `deadlineMs`, so that nothing is left behind.
 */
export function runToEnd(name: string, main: () => Promise<void>, deadlineMs: number): void {
  const fail = (why: unknown) => {
    console.error(why);
    for (const child of children) child.kill();
    process.exit(1);
  };
  setTimeout(() => fail(`${name}: took too long, stopping`), deadlineMs).unref();
  main().then(() => process.exit(0), fail);
}
