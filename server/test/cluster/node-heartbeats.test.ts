/**
 * Node heartbeats on a real Redis (cluster/node-heartbeats.ts): a node whose key ran out
 * is dead, a living one is not, none is while Redis may just have restarted, and a node
 * that shuts down is gone at once.
 */
import type { RedisClientType } from 'redis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeHeartbeats } from '../../src/cluster/node-heartbeats';
import { connectRedis } from '../../src/cluster/redis-client';
import { RedisRestartGrace, redisUptimeMs } from '../../src/cluster/redis-restart';
import { freePort, startRedis, type Service } from '../helpers/services';

const TTL = 300;
let redis: Service;
let client: RedisClientType;

beforeAll(async () => {
  redis = await startRedis(await freePort());
  client = await connectRedis(redis.url);
}, 30_000);
afterAll(async () => {
  client?.destroy();
  await redis?.remove();
});

function grace(passed: () => boolean): RedisRestartGrace {
  return { passed: () => Promise.resolve(passed()) } as RedisRestartGrace;
}

test('a node whose heartbeat ran out is dead; not while Redis may have just restarted', async () => {
  let settled = true;
  const beats = grace(() => settled);
  const a = new NodeHeartbeats(client, 'node-a', TTL, beats);
  const bClient = await connectRedis(redis.url);
  const b = new NodeHeartbeats(bClient, 'node-b', TTL, beats);
  await Promise.all([a.beat(), b.beat()]);
  expect(await a.dead(['node-a', 'node-b', 'node-c'])).toEqual(['node-c']);
  // Three heartbeat times later node-b is alive: it renews by itself.
  await new Promise((resolve) => setTimeout(resolve, TTL * 3));
  expect(await a.dead(['node-b'])).toEqual([]);
  // node-b's process is gone (kill -9: nothing deleted): dead once its key has run out.
  bClient.destroy();
  expect(await a.dead(['node-b'])).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, TTL * 2));
  expect(await a.dead(['node-b'])).toEqual(['node-b']);
  await b.stop();
  // A Redis younger than the grace: a missing key proves nothing yet.
  settled = false;
  expect(await a.dead(['node-b'])).toEqual([]);
  await a.stop();
});

test('a node that shuts down deletes its heartbeat: the owners let go at once', async () => {
  const a = new NodeHeartbeats(
    client,
    'node-a',
    60_000,
    grace(() => true),
  );
  const b = new NodeHeartbeats(
    client,
    'node-b',
    60_000,
    grace(() => true),
  );
  await Promise.all([a.beat(), b.beat()]);
  expect(await a.dead(['node-b'])).toEqual([]);
  await b.stop();
  expect(await a.dead(['node-b'])).toEqual(['node-b']);
  await a.stop();
});

test('the restart grace reads Redis’s own uptime', async () => {
  expect(await redisUptimeMs(client)).toBeGreaterThanOrEqual(0);
  expect(await new RedisRestartGrace(client, 0).passed()).toBe(true);
  // A Redis started moments ago (this file's) is younger than a minute.
  expect(await new RedisRestartGrace(client, 60_000).passed()).toBe(false);
});

test('a Redis that refuses INFO (an ACL, a managed service) never blocks a takeover', async () => {
  await client.sendCommand(['ACL', 'SETUSER', 'no-info', 'on', 'nopass', '~*', '+@all', '-info']);
  const limited = await connectRedis(redis.url.replace('redis://', 'redis://no-info:x@'));
  try {
    expect(await redisUptimeMs(limited)).toBe(Number.POSITIVE_INFINITY);
    expect(await new RedisRestartGrace(limited, 60_000).passed()).toBe(true);
  } finally {
    limited.destroy();
  }
});
