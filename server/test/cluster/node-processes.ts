/**
 * Cluster node processes for the multi-node tests (node-child.ts, one process each) and
 * socket.io clients connected to them; `cleanup` kills what is left after each test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createClient, type RedisClientType } from 'redis';
import { io as connectClient } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { PROTOCOL_VERSION } from '@backprop/shared/protocol';
import type { Client } from '../helpers/server';
import { freePort, startPostgres, startRedis, type Service } from '../helpers/services';
import { emitAck, Mirror, ok, once } from '../helpers/sockets';

const CHILD = join(import.meta.dirname, 'node-child.ts');

/** A host or student of a lesson: its socket, what it has reduced, and where it is. */
export interface Member {
  socket: Client;
  mirror: Mirror;
  token: string;
  node: NodeProcess;
}

export interface NodeProcess {
  id: string;
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

export class NodeProcesses {
  private readonly nodes: NodeProcess[] = [];
  private readonly sockets: Client[] = [];

  constructor(
    private readonly services: () => { redisUrl: string; databaseUrl: string },
    private readonly leaseTtlMs: number,
  ) {}

  /** A node process; resolves once it listens. `env`: added to its environment. */
  start(id: string, env: Record<string, string> = {}): Promise<NodeProcess> {
    const { redisUrl, databaseUrl } = this.services();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, id, redisUrl, databaseUrl, String(this.leaseTtlMs)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
      if (process.env.DEBUG_NODES) process.stderr.write(`[${id}] ${chunk.toString()}`);
    });
    return new Promise((resolve, reject) => {
      let buffered = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const port = /listening (\d+)\n/.exec(buffered)?.[1];
        if (port) {
          const node = { id, child, url: `http://127.0.0.1:${port}`, exited };
          this.nodes.push(node);
          resolve(node);
        }
      });
      child.once('exit', (code) => reject(new Error(`node ${id} exited (${code}): ${errors}`)));
    });
  }

  async connect(node: NodeProcess): Promise<Client> {
    const socket: Client = connectClient(node.url, {
      auth: { protocol: PROTOCOL_VERSION },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    this.sockets.push(socket);
    await once(socket, 'connect');
    return socket;
  }

  /** A new socket on `node` resuming with `from`'s token and last seq, mirrored from there. */
  async resume(node: NodeProcess, code: string, token: string, from: Mirror) {
    const socket = await this.connect(node);
    const mirror = new Mirror(socket);
    // Set before the reply: an event that came live before it would count as a gap, and
    // the reply's copy of it as a duplicate (so the tests catch one).
    mirror.state = from.state;
    const reply = await emitAck(socket, 'session:resume', { code, token, lastSeq: from.seq });
    if (reply.ok) mirror.sync(reply.sync);
    return { socket, mirror, reply };
  }

  /** A host on `node`: a new session, mirrored from its first snapshot. */
  async host(node: NodeProcess, title: string): Promise<Member & { code: string }> {
    const socket = await this.connect(node);
    const mirror = new Mirror(socket);
    const reply = await ok(socket, 'session:create', { title });
    mirror.sync(reply.sync);
    return { socket, mirror, token: reply.hostToken, node, code: reply.code };
  }

  /** A student joining on `node`, mirrored from the join's snapshot. */
  async join(node: NodeProcess, code: string, name: string): Promise<Member> {
    const socket = await this.connect(node);
    const mirror = new Mirror(socket);
    const reply = await ok(socket, 'session:join', { code, name });
    mirror.sync(reply.sync);
    // Nothing the reply holds also came live (forwarded or not): no duplicate in transit.
    expect(mirror.received.filter((event) => event.seq <= mirror.seq)).toEqual([]);
    return { socket, mirror, token: reply.token, node };
  }

  async cleanup(): Promise<void> {
    for (const socket of this.sockets.splice(0)) socket.disconnect();
    for (const node of this.nodes.splice(0)) {
      if (node.child.exitCode === null && node.child.signalCode === null) {
        node.child.kill('SIGKILL');
      }
      await node.exited;
    }
  }
}

export interface ClusterServices {
  redis: Service;
  postgres: Service;
  /** A client of `redis`, for the tests to look at leases. */
  client: RedisClientType;
}

/**
 * For a test file: Redis and a Postgres, each on a free port (started once), and
 * node processes on them; after each test the nodes and sockets are gone and Redis is empty.
 */
export function useCluster(leaseTtlMs: number) {
  const services = {} as ClusterServices;
  const nodes = new NodeProcesses(
    () => ({ redisUrl: services.redis.url, databaseUrl: services.postgres.url }),
    leaseTtlMs,
  );
  beforeAll(async () => {
    [services.redis, services.postgres] = await Promise.all([
      freePort().then((port) => startRedis(port)),
      freePort().then((port) => startPostgres(port)),
    ]);
    services.client = createClient({ url: services.redis.url });
    // A test may restart Redis: the client reconnects by itself, its errors are expected.
    services.client.on('error', () => undefined);
    await services.client.connect();
  }, 60_000);
  afterEach(async () => {
    await nodes.cleanup();
    await services.client.flushAll();
  });
  afterAll(async () => {
    services.client?.destroy();
    await Promise.all([services.redis?.remove(), services.postgres?.remove()]);
  });
  return { services, nodes };
}
