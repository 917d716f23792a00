/**
 * The node's connection to Redis. It reconnects on its own (backing off up to a second);
 * meanwhile commands fail at once instead of queueing, so that whoever asked (a rate
 * limit, a lease renewal) can fall back or give up now rather than hang until Redis is
 * back (disableOfflineQueue).
 */
import { createClient, type RedisClientType } from 'redis';

export async function connectRedis(
  url: string,
  onError: (err: Error) => void = () => undefined,
): Promise<RedisClientType> {
  const client: RedisClientType = createClient({
    url,
    disableOfflineQueue: true,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) },
  });
  // Without a listener an 'error' event would crash the process; it reconnects by itself.
  client.on('error', onError);
  await client.connect();
  return client;
}
