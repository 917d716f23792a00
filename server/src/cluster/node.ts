/**
 * One node of a cluster, as far as it is built: the app on the Postgres store, with room
 * leases in Redis (room-leases.ts) — a room is created or brought back only by the node
 * that holds its lease, and dropped (its sockets disconnected) when the lease is lost.
 *
 * Not yet here (docs/scaling.md, "What is missing"): the Redis Streams adapter and the
 * forwarding of commands to a room's owner, so a client must reach the node that runs its
 * room (another node answers "running on another server node"). main.ts therefore still
 * refuses cluster mode; the two-node tests start nodes through this function.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { createApp, type App, type AppDeps } from '../app';
import { openPostgresStore } from '../store/postgres/postgres-store';
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
  const redis = await connectRedis(options.redisUrl, (err) =>
    logger.warn({ err }, 'redis connection error'),
  );
  // The app is made below; a lease can only be lost once a room exists, after that.
  let app: App | null = null;
  const leases = new RoomLeases(redis, nodeId, {
    ttlMs: options.leaseTtlMs,
    onLost: (code) => {
      logger.warn({ code, nodeId }, 'room lease lost: the room is dropped here');
      app?.sessions.dispose(code, 'lease-lost');
    },
  });
  app = createApp({ config: options.config, logger, store, ownership: leases });
  const started = app;
  return {
    app: started,
    nodeId,
    leases,
    close: async () => {
      await started.close();
      await leases.releaseAll();
      await store.close();
      redis.destroy();
    },
  };
}
