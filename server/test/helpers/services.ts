/**
 * Real Redis and Postgres for the cluster tests, on loopback, in throwaway folders.
 *
 * Nothing is skipped: a service that cannot start fails the test with a message naming it
 * (and what to install), because a cluster test that silently did not run proves nothing.
 * Each test file passes its own ports, so files running in parallel never share a service.
 *
 * Postgres refuses to run as root, so its cluster is created and run as the `postgres`
 * user (the Debian package creates it), in a temporary folder that user owns.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'redis';

const run = promisify(execFile);
const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';
const POSTGRES_USER = 'postgres';
const READY_MS = 15_000;

export interface Service {
  readonly url: string;
  /** Starts it again after stop(), on the same port and with the same data. */
  start(): Promise<void>;
  /** Stops it (the data stays until remove()). */
  stop(): Promise<void>;
  /** Stops it and deletes its data. */
  remove(): Promise<void>;
}

/** A redis-server on 127.0.0.1:`port`, without persistence to disk (a test's data only). */
export async function startRedis(port: number): Promise<Service> {
  if (!existsSync('/usr/bin/redis-server')) {
    throw new Error('Redis: redis-server is not installed (apt-get install redis-server)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'bpl-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const service: Service = {
    url,
    async start() {
      const started = spawn(
        '/usr/bin/redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      child = started;
      let output = '';
      started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitUntil(
        `Redis on port ${port}`,
        () => redisAnswers(url),
        started,
        () => output,
      );
    },
    async stop() {
      const stopping = child;
      child = null;
      if (!stopping || stopping.exitCode !== null) return;
      const exited = new Promise((resolve) => stopping.once('exit', resolve));
      stopping.kill('SIGKILL');
      await exited;
    },
    async remove() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await service.start();
  return service;
}

/**
 * A throwaway Postgres cluster on 127.0.0.1:`port` (socket in its own folder), user
 * postgres. Tests run it without fsync (nothing to keep); `durable` keeps Postgres's
 * defaults (fsync, synchronous_commit), for benchmarks of what a commit really costs.
 */
export async function startPostgres(
  port: number,
  { durable = false }: { durable?: boolean } = {},
): Promise<Service> {
  if (!existsSync(join(POSTGRES_BIN, 'initdb'))) {
    throw new Error(`Postgres: ${POSTGRES_BIN}/initdb is missing (apt-get install postgresql)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bpl-postgres-'));
  const data = join(dir, 'data');
  const asPostgres = async (command: string, args: string[]): Promise<void> => {
    const [file, argv] =
      userInfo().uid === 0
        ? ['runuser', ['-u', POSTGRES_USER, '--', join(POSTGRES_BIN, command), ...args]]
        : [join(POSTGRES_BIN, command), args];
    try {
      await run(file, argv, { timeout: READY_MS });
    } catch (err) {
      const { stderr, message } = err as { stderr?: string; message: string };
      throw new Error(`Postgres: ${command} failed: ${stderr?.trim() || message}`, {
        cause: err,
      });
    }
  };
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', POSTGRES_USER]).catch(() => {
      throw new Error(`Postgres: there is no user ${POSTGRES_USER} to run it as`);
    });
    const { stdout: gid } = await run('id', ['-g', POSTGRES_USER]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', POSTGRES_USER, '--no-sync']);
  const url = `postgres://${POSTGRES_USER}@127.0.0.1:${port}/postgres`;
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${durable ? '' : ' -c fsync=off'}`;
  const service: Service = {
    url,
    async start() {
      // -w: returns once the server accepts connections (or fails, saying why).
      await asPostgres('pg_ctl', [
        'start',
        '-w',
        '-D',
        data,
        '-l',
        join(dir, 'log'),
        '-o',
        options,
      ]);
    },
    async stop() {
      await asPostgres('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', data]).catch(
        () => undefined, // not running
      );
    },
    async remove() {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await service.start();
  return service;
}

/**
 * A loopback port free now, for a service of a test file's own: test files (and two
 * checkouts on one machine) run at the same time, so no test uses a fixed port.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

async function waitUntil(
  name: string,
  ready: () => Promise<boolean>,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${name} exited at start (${child.exitCode}): ${output().slice(-500)}`);
    }
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer within ${READY_MS / 1000} s`);
}
