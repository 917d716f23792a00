/**
 * One node of a cluster: the app on the Postgres store, room leases in Redis
 * (room-leases.ts: a room is created or brought back only by the node that holds its
 * lease, and dropped, its sockets disconnected, when the lease is lost), the Redis
 * Streams adapter between the nodes' socket.io servers, with commands forwarded to a
 * room's owner (forwarding.ts), and failover (failover.ts): a node whose clients are in
 * a room nobody holds takes the room over. Each node keeps a heartbeat in Redis
 * (node-heartbeats.ts), so a room's owner learns when a node with clients of it died.
 *
 * A Redis restart (it keeps nothing) takes the leases and heartbeats with it: each node
 * writes its own again as soon as it has reconnected, and until Redis has run for a lease
 * time and a renewal no node concludes anything from a missing one (redis-restart.ts).
 */
import { randomBytes } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import { createApp, type App, type AppDeps } from '../app';
import { openPostgresStore } from '../store/postgres/postgres-store';
import { FailoverWatch } from './failover';
import { NodeHeartbeats } from './node-heartbeats';
import { outageWarning } from './outage-log';
import { connectRedis } from './redis-client';
import { RedisRestartGrace } from './redis-restart';
import { LEASE_TTL_MS, RoomLeases } from './room-leases';

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
  const redis = await connectRedis(options.redisUrl, redisOutageLog(logger, 'leases'));
  // The adapter's own client, with Redis's usual offline queue: what it publishes while
  // Redis is briefly away (a forwarded command's reply) is sent once it is back rather
  // than failing at once. Relays are not published meanwhile (relay-feed.ts: `connected`).
  const adapterRedis = createClient({
    url: options.redisUrl,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 1000) },
  });
  adapterRedis.on('error', redisOutageLog(logger, 'adapter'));
  await adapterRedis.connect();
  const ttlMs = options.leaseTtlMs ?? LEASE_TTL_MS;
  // A lease time and one renewal: see redis-restart.ts.
  const grace = new RedisRestartGrace(redis, Math.ceil((ttlMs * 4) / 3));
  // The app is made below; a lease can only be lost once a room exists, after that.
  let app: App | null = null;
  const leases = new RoomLeases(redis, nodeId, {
    ttlMs,
    onLost: (code) => {
      logger.warn({ code, nodeId }, 'room lease lost: the room is dropped here');
      app?.sessions.dispose(code, 'lease-lost');
    },
    mayTakeOver: () => grace.passed(),
  });
  // Reconnected (perhaps to a Redis that restarted empty): this node's leases again, now.
  redis.on('ready', () => void leases.renewAll());
  for (const [client, name] of [
    [redis, 'leases'],
    [adapterRedis, 'adapter'],
  ] as const) {
    client.on('ready', () => logger.info({ client: name }, 'redis connection ready'));
  }
  const heartbeats = new NodeHeartbeats(redis, nodeId, ttlMs, grace);
  await heartbeats.beat();
  app = createApp({
    config: options.config,
    logger,
    store,
    ownership: leases,
    cluster: {
      adapter: createAdapter(adapterRedis),
      counters: redis,
      nodeId,
      // A lease missing just after a Redis restart may be a living owner's not yet re-taken:
      // the command is refused for now (forwarding.ts) rather than taken for a dead owner.
      owner: async (code) => {
        const holder = await leases.owner(code);
        if (holder === null && !(await grace.passed())) {
          throw new Error(
            'Redis restarted moments ago: the room owners are taking their leases back',
          );
        }
        return holder;
      },
      connected: () => adapterRedis.isReady,
      deadNodes: (ids) => heartbeats.dead(ids),
      everyMs: Math.min(1000, ttlMs / 3),
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
      await Promise.all([leases.releaseAll(), heartbeats.stop()]);
      await store.close();
      redis.destroy();
      adapterRedis.destroy();
    },
  };
}

/** The 'error' listener of a Redis connection: not one warning per reconnection attempt. */
function redisOutageLog(logger: Logger, client: string): (err: Error) => void {
  const warn = outageWarning(logger, 'redis connection lost: reconnecting');
  return (err) => warn({ err, client });
}
