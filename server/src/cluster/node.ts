/**
 * One node of a cluster: the app on the Postgres store, room leases in Redis
 * (room-leases.ts: a room is created or brought back only by the node that holds its
 * lease, and dropped, its sockets disconnected, when the lease is lost), the Redis
 * Streams adapter between the nodes' socket.io servers, with commands forwarded to a
 * room's owner (forwarding.ts), and failover (failover.ts): a node whose clients are in
 * a room nobody holds takes the room over.
 */
import { randomBytes } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import { createApp, type App, type AppDeps } from '../app';
import { openPostgresStore } from '../store/postgres/postgres-store';
import { FailoverWatch } from './failover';
import { connectRedis } from './redis-client';
import { RoomLeases } from './room-leases';

export interface ClusterNodeOptions {
  config: AppDeps['config'];
  logger: Logger;
  redisUrl: string;
  databaseUrl: string;
  /** This node's id in the leases; a random one by default. */
  nodeId?: string;
  /** How long a lease lasts unrenewed (RoomLeases' default when left out). */
  leaseTtlMs?: number;
}

export interface ClusterNode {
  app: App;
  nodeId: string;
  leases: RoomLeases;
  /** Stops serving, gives up every lease (other nodes may take the rooms at once), disconnects. */
  close(): Promise<void>;
}

export async function startClusterNode(options: ClusterNodeOptions): Promise<ClusterNode> {
  const { logger } = options;
  const nodeId = options.nodeId ?? randomBytes(6).toString('hex');
  const store = await openPostgresStore(options.databaseUrl);
  const onRedisError = (err: Error) => logger.warn({ err }, 'redis connection error');
  const redis = await connectRedis(options.redisUrl, onRedisError);
  // The adapter's own client, with Redis's usual offline queue: what it publishes while
  // Redis is briefly away is sent once it is back rather than failing at once.
  const adapterRedis = createClient({
    url: options.redisUrl,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) },
  });
  adapterRedis.on('error', onRedisError);
  await adapterRedis.connect();
  // The app is made below; a lease can only be lost once a room exists, after that.
  let app: App | null = null;
  const leases = new RoomLeases(redis, nodeId, {
    ttlMs: options.leaseTtlMs,
    onLost: (code) => {
      logger.warn({ code, nodeId }, 'room lease lost: the room is dropped here');
      app?.sessions.dispose(code, 'lease-lost');
    },
  });
  app = createApp({
    config: options.config,
    logger,
    store,
    ownership: leases,
    cluster: {
      adapter: createAdapter(adapterRedis),
      nodeId,
      owner: (code) => leases.owner(code),
    },
  });
  const started = app;
  const failover = new FailoverWatch({
    io: started.io,
    sessions: started.sessions,
    owner: (code) => leases.owner(code),
    logger,
    everyMs: Math.min(1000, leases.ttlMs / 3),
  });
  return {
    app: started,
    nodeId,
    leases,
    close: async () => {
      failover.stop();
      await started.close();
      await leases.releaseAll();
      await store.close();
      redis.destroy();
      adapterRedis.destroy();
    },
  };
}
