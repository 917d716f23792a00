/**
 * Room leases on a real Redis: one holder at a time, kept while renewed, taken over once
 * the holder stops renewing (dead or frozen), and the frozen one told it lost the room
 * when it wakes; released on shutdown so that another node can take over at once.
 */
import type { RedisClientType } from 'redis';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { connectRedis } from '../../src/cluster/redis-client';
import { leaseKey, RoomLeases } from '../../src/cluster/room-leases';
import { freePort, startRedis, type Service } from '../helpers/services';

const TTL = 300;
let redis: Service;
const clients: RedisClientType[] = [];
const nodes: RoomLeases[] = [];

beforeAll(async () => {
  redis = await startRedis(await freePort());
}, 30_000);
afterEach(async () => {
  for (const node of nodes.splice(0)) node.stopRenewing();
  const [first] = clients;
  if (first?.isReady) await first.flushAll();
});
afterAll(async () => {
  for (const client of clients) if (client.isOpen) client.destroy();
  await redis?.remove();
});

async function node(id: string): Promise<{ leases: RoomLeases; lost: string[] }> {
  const client = await connectRedis(redis.url);
  clients.push(client);
  const lost: string[] = [];
  const leases = new RoomLeases(client, id, { ttlMs: TTL, onLost: (code) => lost.push(code) });
  nodes.push(leases);
  return { leases, lost };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('one holder at a time; renewal keeps it past its time; release hands it over', async () => {
  const a = await node('node-a');
  const b = await node('node-b');
  expect(await a.leases.acquire('ROOM01')).toBe(true);
  expect(await b.leases.acquire('ROOM01')).toBe(false);
  expect(await a.leases.acquire('ROOM01')).toBe(true); // its own: kept
  // Three lease times later, still A's: renewed meanwhile.
  await pause(TTL * 3);
  expect(await b.leases.owner('ROOM01')).toBe('node-a');
  expect(await b.leases.acquire('ROOM01')).toBe(false);
  expect(a.lost).toEqual([]);

  await a.leases.releaseAll();
  expect(await b.leases.owner('ROOM01')).toBeNull();
  expect(await b.leases.acquire('ROOM01')).toBe(true);
});

test('a frozen holder loses the room to another node, and is told so when it wakes', async () => {
  const a = await node('node-a');
  const b = await node('node-b');
  expect(await a.leases.acquire('ROOM02')).toBe(true);
  a.leases.stopRenewing(); // as if SIGSTOPped: no renewal, nothing released
  const deadline = Date.now() + TTL * 10;
  while (!(await b.leases.acquire('ROOM02'))) {
    expect(Date.now()).toBeLessThan(deadline);
    await pause(TTL / 6);
  }
  expect(await a.leases.owner('ROOM02')).toBe('node-b');

  // A wakes and renews: the lease is B's now, so A must drop the room.
  await a.leases.renewAll();
  expect(a.lost).toEqual(['ROOM02']);
  expect(a.leases.holds('ROOM02')).toBe(false);
  // Releasing what it no longer holds does not take B's lease away.
  await a.leases.release('ROOM02');
  expect(await b.leases.owner('ROOM02')).toBe('node-b');
});

test('a holder cut off from Redis for a whole lease time gives the room up', async () => {
  const client = await connectRedis(redis.url);
  clients.push(client);
  let now = 1_000;
  const lost: string[] = [];
  const leases = new RoomLeases(client, 'node-a', {
    ttlMs: TTL,
    onLost: (code) => lost.push(code),
    clock: () => now,
  });
  nodes.push(leases);
  expect(await leases.acquire('ROOM03')).toBe(true);
  leases.stopRenewing();
  client.destroy(); // this node's connection is gone; Redis and the key stay
  // Unanswered renewals within the lease time: the room may still be ours, kept.
  now += TTL - 1;
  await leases.renewAll();
  expect(lost).toEqual([]);
  expect(leases.holds('ROOM03')).toBe(true);
  // A whole lease time unconfirmed: someone else may hold it now, so it is given up.
  now += 1;
  await leases.renewAll();
  expect(lost).toEqual(['ROOM03']);
  expect(leases.holds('ROOM03')).toBe(false);
});

test('a lease Redis lost (a restart keeps nothing) is taken back by its holder, not by others', async () => {
  const a = await node('node-a');
  const client = await connectRedis(redis.url);
  clients.push(client);
  let settled = false;
  const b = new RoomLeases(client, 'node-b', {
    ttlMs: TTL,
    onLost: () => undefined,
    mayTakeOver: () => Promise.resolve(settled),
  });
  nodes.push(b);
  expect(await a.leases.acquire('ROOM04')).toBe(true);
  a.leases.stopRenewing(); // its renewals below are the test's
  await client.flushAll(); // as after a restart: every lease gone, node-a alive
  // Before Redis is older than a lease time, node-b takes over nothing (a new code it may).
  expect(await b.acquire('ROOM04')).toBe(false);
  expect(await b.acquire('ROOM05', { created: true })).toBe(true);
  // The holder's next renewal (at once on reconnect, in node.ts) takes it back.
  await a.leases.renewAll();
  expect(await b.owner('ROOM04')).toBe('node-a');
  expect(a.lost).toEqual([]);
  settled = true;
  expect(await b.acquire('ROOM04')).toBe(false);
});

test('a lease gone after a whole lease time unconfirmed is not taken back: the room is lost', async () => {
  const client = await connectRedis(redis.url);
  clients.push(client);
  let now = 1_000;
  const lost: string[] = [];
  const leases = new RoomLeases(client, 'node-a', {
    ttlMs: TTL,
    onLost: (code) => lost.push(code),
    clock: () => now,
  });
  nodes.push(leases);
  expect(await leases.acquire('ROOM06')).toBe(true);
  leases.stopRenewing();
  await client.del(leaseKey('ROOM06'));
  // Someone else may have held it meanwhile (it ran out): given up, not re-taken.
  now += TTL;
  await leases.renewAll();
  expect(lost).toEqual(['ROOM06']);
  expect(await leases.owner('ROOM06')).toBeNull();
});
