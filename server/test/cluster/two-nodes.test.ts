/**
 * Two node processes on loopback, one Redis, one Postgres: the room leases wired into the
 * registry (cluster/node.ts). A room runs on the node that created it, which holds its
 * lease; the other node refuses to bring it back while that lease lives. When the owner
 * is killed (kill -9, no release), its lease runs out and the other node brings the room
 * back from Postgres by the restore path: the host resumes there with nothing lost. A
 * node that finds its lease taken drops the room and disconnects its clients; a node
 * that shuts down releases its leases at once.
 * Real services (helpers/services.ts): the test fails, naming the service, if one cannot start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createClient, type RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { io as connectClient } from 'socket.io-client';
import { PROTOCOL_VERSION } from '@backprop/shared/protocol';
import { leaseKey } from '../../src/cluster/room-leases';
import type { Client } from '../helpers/server';
import { freePort, startPostgres, startRedis, type Service } from '../helpers/services';
import { emitAck, Mirror, ok, once } from '../helpers/sockets';

const REDIS_PORT = 6391;
const LEASE_TTL_MS = 1000;
const CHILD = join(import.meta.dirname, 'node-child.ts');

let redis: Service;
let postgres: Service;
let client: RedisClientType;
const nodes: Node[] = [];
const sockets: Client[] = [];

interface Node {
  id: string;
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([
    startRedis(REDIS_PORT),
    freePort().then((port) => startPostgres(port)),
  ]);
  client = createClient({ url: redis.url });
  await client.connect();
}, 60_000);
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect();
  for (const node of nodes.splice(0)) {
    if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL');
    await node.exited;
  }
  await client.flushAll();
});
afterAll(async () => {
  client?.destroy();
  await Promise.all([redis?.remove(), postgres?.remove()]);
});

/** A node process; resolves once it listens. */
function startNode(id: string): Promise<Node> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, id, redis.url, postgres.url, String(LEASE_TTL_MS)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const port = /listening (\d+)\n/.exec(buffered)?.[1];
      if (port) {
        const node = { id, child, url: `http://127.0.0.1:${port}`, exited };
        nodes.push(node);
        resolve(node);
      }
    });
    child.once('exit', (code) => reject(new Error(`node ${id} exited (${code}): ${errors}`)));
  });
}

async function connect(node: Node): Promise<Client> {
  const socket: Client = connectClient(node.url, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  sockets.push(socket);
  await once(socket, 'connect');
  return socket;
}

async function hostOn(node: Node) {
  const socket = await connect(node);
  const mirror = new Mirror(socket);
  const reply = await ok(socket, 'session:create', { title: 'Two nodes' });
  mirror.sync(reply.sync);
  return { socket, mirror, code: reply.code, token: reply.hostToken };
}

async function resumeOn(node: Node, code: string, token: string, from: Mirror) {
  const socket = await connect(node);
  const mirror = new Mirror(socket);
  mirror.state = from.state;
  const reply = await emitAck(socket, 'session:resume', { code, token, lastSeq: from.seq });
  if (reply.ok) mirror.sync(reply.sync);
  return { socket, mirror, reply };
}

test('a room runs where its lease is; when that node dies, the other brings it back', async () => {
  const [a, b] = await Promise.all([startNode('node-a'), startNode('node-b')]);
  const host = await hostOn(a);
  expect(await client.get(leaseKey(host.code))).toBe('node-a');
  const ada = await connect(a);
  const adaMirror = new Mirror(ada);
  adaMirror.sync((await ok(ada, 'session:join', { code: host.code, name: 'Ada' })).sync);
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  for (let k = 0; k < 5; k++) await ok(host.socket, 'host:step', { granularity: 'batch' });

  // Node b does not bring back a room node a runs.
  const bob = await connect(b);
  const refused = await emitAck(bob, 'session:join', { code: host.code, name: 'Bob' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'busy' } });
  expect((refused as { error: { message: string } }).error.message).toMatch(/another server node/);
  expect(await client.get(leaseKey(host.code))).toBe('node-a');

  // kill -9: no release. Once the lease runs out, node b takes the room from Postgres.
  const acked = host.mirror.seq;
  a.child.kill('SIGKILL');
  await a.exited;
  let back = await resumeOn(b, host.code, host.token, host.mirror);
  const deadline = Date.now() + 5 * LEASE_TTL_MS;
  while (!back.reply.ok && Date.now() < deadline) {
    back.socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 100));
    back = await resumeOn(b, host.code, host.token, host.mirror);
  }
  expect(back.reply).toMatchObject({ ok: true, role: 'host' });
  expect(await client.get(leaseKey(host.code))).toBe('node-b');
  // Nothing acknowledged was lost: the host's stream continues without a gap.
  expect(back.mirror.seq).toBeGreaterThan(acked);
  expect(back.mirror.gaps + back.mirror.duplicates).toBe(0);
  expect(back.mirror.state!.step).toBe(host.mirror.state!.step);
  await ok(back.socket, 'host:step', { granularity: 'batch' });
  expect(back.mirror.state!.step).toBe(host.mirror.state!.step + 1);
}, 60_000);

test('a node that finds its lease taken drops the room and disconnects its clients', async () => {
  const a = await startNode('node-a');
  const host = await hostOn(a);
  const dropped = once(host.socket, 'disconnect');
  // Another node holds the room now (as after a pause past the lease).
  await client.set(leaseKey(host.code), 'node-x', { PX: 10 * LEASE_TTL_MS });
  expect((await dropped)[0]).toBe('io server disconnect');
  const again = await resumeOn(a, host.code, host.token, host.mirror);
  expect(again.reply).toMatchObject({ ok: false, error: { code: 'busy' } });
  expect(await client.get(leaseKey(host.code))).toBe('node-x');
}, 30_000);

test('a node that shuts down gives its leases up at once', async () => {
  const a = await startNode('node-a');
  const host = await hostOn(a);
  expect(await client.get(leaseKey(host.code))).toBe('node-a');
  a.child.kill('SIGTERM');
  expect(await a.exited).toBe(0);
  expect(await client.get(leaseKey(host.code))).toBeNull();
}, 30_000);
