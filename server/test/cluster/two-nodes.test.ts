/**
 * Two node processes on loopback, one Redis, one Postgres: the room leases wired into the
 * registry (cluster/node.ts). A room runs on the node that created it, which holds its
 * lease; the other node does not bring it back while that lease lives, it forwards its
 * clients' commands there. When the owner is killed (kill -9, no release), its lease runs
 * out and the other node brings the room back from Postgres by the restore path: the host
 * resumes there with nothing lost. When Postgres stops during play, the owner holds the
 * room and its lease, and a student on the other node is told and refused like the host;
 * once Postgres is back play goes on by itself and both resume without a gap. A
 * node that finds its lease taken drops the room and disconnects its clients; a node
 * that shuts down releases its leases at once.
 * Real services (helpers/services.ts): the test fails, naming the service, if one cannot start.
 */
import { spawn } from 'node:child_process';
import { PROTOCOL_VERSION } from '@backprop/shared/protocol';
import { io as connectClient } from 'socket.io-client';
import { expect, test } from 'vitest';
import { leaseKey } from '../../src/cluster/room-leases';
import { ResumingClient } from '../helpers/resuming';
import { emitAck, Mirror, ok, once, waitUntil } from '../helpers/sockets';
import { REFUSED } from '../helpers/store-away';
import { useCluster, type NodeProcess as Node } from './node-processes';

const LEASE_TTL_MS = 1000;

const { services, nodes: cluster } = useCluster(LEASE_TTL_MS);
const startNode = (id: string, env?: Record<string, string>) => cluster.start(id, env);
const connect = (node: Node) => cluster.connect(node);
const resumeOn = (node: Node, code: string, token: string, from: Mirror) =>
  cluster.resume(node, code, token, from);

async function hostOn(node: Node) {
  const socket = await connect(node);
  const mirror = new Mirror(socket);
  const reply = await ok(socket, 'session:create', { title: 'Two nodes' });
  mirror.sync(reply.sync);
  return { socket, mirror, code: reply.code, token: reply.hostToken };
}

test('a room runs where its lease is; when that node dies, the other brings it back', async () => {
  const [a, b] = await Promise.all([startNode('node-a'), startNode('node-b')]);
  const host = await hostOn(a);
  expect(await services.client.get(leaseKey(host.code))).toBe('node-a');
  const ada = await connect(a);
  const adaMirror = new Mirror(ada);
  adaMirror.sync((await ok(ada, 'session:join', { code: host.code, name: 'Ada' })).sync);
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  for (let k = 0; k < 5; k++) await ok(host.socket, 'host:step', { granularity: 'batch' });

  // Node b does not bring back a room node a runs: it forwards Bob's join to node a.
  const bob = await connect(b);
  await ok(bob, 'session:join', { code: host.code, name: 'Bob' });
  expect(await services.client.get(leaseKey(host.code))).toBe('node-a');

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
  expect(await services.client.get(leaseKey(host.code))).toBe('node-b');
  // Nothing acknowledged was lost: the host's stream continues without a gap.
  expect(back.mirror.seq).toBeGreaterThan(acked);
  expect(back.mirror.gaps + back.mirror.duplicates).toBe(0);
  expect(back.mirror.state!.step).toBe(host.mirror.state!.step);
  await ok(back.socket, 'host:step', { granularity: 'batch' });
  expect(back.mirror.state!.step).toBe(host.mirror.state!.step + 1);
}, 60_000);

test('Postgres stopped: the owner holds the room, a client of the other node is refused too, and play goes on once it is back', async () => {
  const [a, b] = await Promise.all([startNode('node-a'), startNode('node-b')]);
  const created = await hostOn(a);
  const { code } = created;
  // Bob is on node b: his commands are forwarded to node a, which runs the room.
  const bobSocket = await connect(b);
  const bobMirror = new Mirror(bobSocket);
  const joined = await ok(bobSocket, 'session:join', { code, name: 'Bob' });
  bobMirror.sync(joined.sync);
  const host = new ResumingClient({ connect: () => connect(a) }, code, created.token, created);
  const bob = new ResumingClient({ connect: () => connect(b) }, code, joined.token, {
    socket: bobSocket,
    mirror: bobMirror,
  });
  try {
    await ok(host.socket, 'host:play', { playing: true });
    await waitUntil(() => (bob.state?.step ?? 0) > 5, 10_000);

    await services.postgres.stop();
    // Both told (Bob through node b), both refused (Bob's command forwarded to node a).
    await waitUntil(() => host.notices === 1 && bob.notices === 1, 10_000);
    expect(await emitAck(host.socket, 'host:step', { granularity: 'batch' })).toEqual(REFUSED);
    expect(await emitAck(bob.socket, 'student:ready', { ready: true })).toEqual(REFUSED);
    // Node a keeps the lease while it waits: node b does not take the room over. (Nothing
    // to wait for but time: two lease times, past which a lease not renewed is gone.)
    await new Promise((resolve) => setTimeout(resolve, 2 * LEASE_TTL_MS));
    expect(await services.client.get(leaseKey(code))).toBe('node-a');
    expect(host.connected && bob.connected).toBe(true);
    const heldAt = Math.max(host.seq, bob.seq);

    await services.postgres.start();
    await waitUntil(() => host.resumes === 1 && bob.resumes === 1 && bob.connected, 15_000);
    // Play went on by itself (nobody pressed play), on node a.
    await waitUntil(() => bob.state?.playing === true, 10_000);
    const step = bob.state!.step;
    await waitUntil(() => bob.state!.step > step + 5, 10_000);
    await ok(host.socket, 'host:play', { playing: false });
    await waitUntil(() => bob.seq === host.seq, 10_000);
    expect(bob.state).toEqual(host.state);
    expect(host.seq).toBeGreaterThan(heldAt);
    for (const client of [host, bob]) expect(client.gaps + client.duplicates).toBe(0);
    expect(await services.client.get(leaseKey(code))).toBe('node-a');
  } finally {
    host.close();
    bob.close();
  }
}, 90_000);

test('a node that finds its lease taken drops the room and disconnects its clients', async () => {
  const a = await startNode('node-a');
  const host = await hostOn(a);
  const dropped = once(host.socket, 'disconnect');
  // Another node holds the room now (as after a pause past the lease).
  await services.client.set(leaseKey(host.code), 'node-x', { PX: 10 * LEASE_TTL_MS });
  expect((await dropped)[0]).toBe('io server disconnect');
  const again = await resumeOn(a, host.code, host.token, host.mirror);
  expect(again.reply).toMatchObject({ ok: false, error: { code: 'busy' } });
  expect(await services.client.get(leaseKey(host.code))).toBe('node-x');
}, 30_000);

test('limits of an address are counted across the nodes: new sessions, failed joins', async () => {
  const limit = { JOIN_FAILURES_PER_IP: '3', SESSIONS_PER_IP: '2' };
  const [a, b] = await Promise.all([startNode('node-a', limit), startNode('node-b', limit)]);
  const host = await hostOn(a);
  const [onA, onB] = await Promise.all([connect(a), connect(b)]);
  // Four wrong codes, spread over the two nodes: one over the limit of 3 for the address.
  for (const socket of [onA, onB, onA, onB]) {
    const wrong = await emitAck(socket, 'session:join', { code: 'ZZZZZZ', name: 'Guess' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'not-found' } });
  }
  // The right code is refused now wherever the next attempt arrives.
  for (const socket of [onA, onB]) {
    const refused = await emitAck(socket, 'session:join', { code: host.code, name: 'Eve' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
  }
  // Two new sessions from the address (one here, one there): the third is refused on either.
  await ok(onB, 'session:create', { title: 'Second' });
  for (const socket of [onA, onB]) {
    const third = await emitAck(socket, 'session:create', { title: 'Third' });
    expect(third).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
  }
}, 30_000);

test('a node that shuts down gives its leases up at once', async () => {
  const a = await startNode('node-a');
  const host = await hostOn(a);
  expect(await services.client.get(leaseKey(host.code))).toBe('node-a');
  a.child.kill('SIGTERM');
  expect(await a.exited).toBe(0);
  expect(await services.client.get(leaseKey(host.code))).toBeNull();
}, 30_000);

test('with REDIS_URL and DATABASE_URL, main.ts runs as a cluster node', async () => {
  const main = new URL('../../src/main.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      REDIS_URL: services.redis.url,
      DATABASE_URL: services.postgres.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    // The "listening" log line (JSON) names the bound port and comes after the node's line.
    const lines: Record<string, unknown>[] = [];
    let buffered = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
          const line = JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>;
          buffered = buffered.slice(nl + 1);
          lines.push(line);
          if (line.msg === 'Backprop Live listening') resolve(line.port as number);
        }
      });
      child.once('exit', (code) => reject(new Error(`main.ts exited (${code})`)));
    });
    const nodeId = lines.find((line) => line.msg === 'running as a cluster node')?.nodeId;
    expect(typeof nodeId).toBe('string');
    const socket = connectClient(`http://127.0.0.1:${port}`, {
      auth: { protocol: PROTOCOL_VERSION },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    await once(socket, 'connect');
    const { code } = await ok(socket, 'session:create', { title: 'npm start' });
    // The room is on Postgres with its lease in Redis: this process is a cluster node.
    expect(await services.client.get(leaseKey(code))).toBe(nodeId);
    socket.disconnect();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await services.client.get(leaseKey(code))).toBeNull();
  } finally {
    child.kill('SIGKILL');
  }
}, 60_000);
