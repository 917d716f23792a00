/**
 * Redis runs without persistence: a restart forgets every room lease and node heartbeat
 * while their nodes are alive. The living nodes write theirs again as soon as they are
 * reconnected (room-leases.ts, node-heartbeats.ts), but they reconnect one by one (each
 * backs off up to a second), so for a moment a missing key does not mean a dead node.
 *
 * So nothing is concluded from a missing key while Redis is younger than `graceMs` (a
 * lease time and one renewal: by then every living owner has re-taken its leases, or has
 * gone a whole lease time unconfirmed and dropped its rooms). Redis's own uptime says how
 * young it is, the same for every node, including one that started after the restart.
 */
import { ErrorReply, type RedisClientType } from 'redis';

export class RedisRestartGrace {
  /** Once Redis is known to be older than the grace, until this client reconnects. */
  private settled = false;

  constructor(
    private readonly redis: RedisClientType,
    private readonly graceMs: number,
  ) {
    // A reconnect may be to a restarted Redis: ask again.
    redis.on('ready', () => (this.settled = false));
  }

  /** Whether a missing lease or heartbeat means what it says (rejects if Redis is away). */
  async passed(): Promise<boolean> {
    if (this.settled) return true;
    this.settled = (await redisUptimeMs(this.redis)) >= this.graceMs;
    return this.settled;
  }
}

/**
 * How long Redis has run, to the second (INFO's uptime_in_seconds, rounded down). A Redis
 * that does not say (INFO refused by an ACL or a managed service, a proxy in front) has
 * nothing to wait for: infinite, so that takeovers are never refused for good. It rejects
 * only when Redis cannot be reached.
 */
export async function redisUptimeMs(redis: RedisClientType): Promise<number> {
  let info: string;
  try {
    info = await redis.info('server');
  } catch (err) {
    if (err instanceof ErrorReply) return Number.POSITIVE_INFINITY;
    throw err;
  }
  const seconds = /uptime_in_seconds:(\d+)/.exec(info)?.[1];
  return seconds === undefined ? Number.POSITIVE_INFINITY : Number(seconds) * 1000;
}
