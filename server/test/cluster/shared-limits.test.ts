/**
 * In a cluster, failed joins are counted in Redis: a guesser who spreads attempts over
 * the nodes is blocked as on one node. While Redis is away each node counts on its own
 * (never failing open for everyone, never refusing everyone), and shares again once back.
 */
import type { RedisClientType } from 'redis';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fail, type Result } from '@backprop/shared/protocol';
import { connectRedis } from '../../src/cluster/redis-client';
import { JoinGuard } from '../../src/security/join-guard';
import { freePort, startRedis, type Service } from '../helpers/services';

const LIMITS = {
  joinFailuresPerIp: { points: 3, seconds: 600, blockSeconds: 300 },
  joinFailuresPerCode: { points: 100, seconds: 300, blockSeconds: 60 },
};
let redis: Service;
const clients: RedisClientType[] = [];

beforeAll(async () => {
  redis = await startRedis(await freePort());
}, 30_000);
afterAll(async () => {
  for (const client of clients) if (client.isOpen) client.destroy();
  await redis?.remove();
});

async function node(): Promise<JoinGuard> {
  const client = await connectRedis(redis.url);
  clients.push(client);
  return new JoinGuard(LIMITS, client);
}

const wrong = (): Result<{ joined: true }> => fail('not-found', 'No session has this code.');
const JOINED = { ok: true as const, joined: true as const };
const right = (): Result<{ joined: true }> => JOINED;

test('failures on one node block the address on the others', async () => {
  const [a, b, c] = await Promise.all([node(), node(), node()]);
  for (const guard of [a, b, c, a]) await guard.join('10.0.0.1', 'AAAAAA', wrong);
  // 4 failures over 3 nodes: over the limit of 3 wherever the next attempt arrives.
  for (const guard of [a, b, c]) {
    const refused = await guard.join('10.0.0.1', 'BBBBBB', right);
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
  }
  // Another address is untouched.
  expect(await b.join('10.0.0.2', 'BBBBBB', right)).toEqual(JOINED);
});

test('Redis away: each node limits on its own; back: shared again', async () => {
  const [a, b] = await Promise.all([node(), node()]);
  await redis.stop();
  // Each client has noticed (it reconnects in the background from now on).
  await Promise.all(
    clients.map((client) =>
      client.isReady ? new Promise((resolve) => client.once('reconnecting', resolve)) : undefined,
    ),
  );
  // No error reaches the caller, and a node's own counter still blocks.
  expect(await a.join('10.0.0.3', 'CCCCCC', right)).toEqual(JOINED);
  for (let k = 0; k < 4; k++) await a.join('10.0.0.3', 'CCCCCC', wrong);
  expect(await a.join('10.0.0.3', 'CCCCCC', right)).toMatchObject({ ok: false });
  // The other node did not see those (they were never shared).
  expect(await b.join('10.0.0.3', 'CCCCCC', right)).toEqual(JOINED);

  await redis.start();
  await waitForReady(clients);
  for (let k = 0; k < 4; k++) await b.join('10.0.0.4', 'DDDDDD', wrong);
  expect(await a.join('10.0.0.4', 'DDDDDD', right)).toMatchObject({
    ok: false,
    error: { code: 'rate-limited' },
  });
}, 30_000);

async function waitForReady(all: RedisClientType[]): Promise<void> {
  await Promise.all(
    all.map((client) =>
      client.isReady ? undefined : new Promise((resolve) => client.once('ready', resolve)),
    ),
  );
}
