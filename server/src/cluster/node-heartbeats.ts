/**
 * Which nodes are alive: each node keeps `bpl:node:<id>` in Redis, set with a time to live
 * (the lease time) and renewed every third of it; a node whose key is gone has stopped
 * (kill -9, a crash, frozen, cut off) for at least that long. A room's owner uses it to
 * let go of the stand-ins of a dead node's sockets (forwarding.ts): those clients are
 * shown disconnected within about a lease time, as a departure on one node would be.
 *
 * Why keys with a TTL and not the adapter's `serverCount`/`fetchSockets`: a key names the
 * node that died (a count does not), a frozen node's connection to Redis stays open while
 * its heartbeat runs out, and the bound is the same as for a dead owner's lease. A Redis
 * restart forgets the keys too: nothing is concluded until every living node has written
 * its key again (redis-restart.ts), which each does as soon as it reconnects.
 */
import type { RedisClientType } from 'redis';
import type { RedisRestartGrace } from './redis-restart';

export function nodeKey(nodeId: string): string {
  return `bpl:node:${nodeId}`;
}

export class NodeHeartbeats {
  private readonly timer: NodeJS.Timeout;
  private readonly beatNow = () => void this.beat();

  constructor(
    private readonly redis: RedisClientType,
    private readonly nodeId: string,
    private readonly ttlMs: number,
    private readonly grace: RedisRestartGrace,
  ) {
    this.timer = setInterval(this.beatNow, Math.max(ttlMs / 3, 10));
    this.timer.unref();
    redis.on('ready', this.beatNow);
  }

  /** Writes this node's key now (at start, and at once after a reconnect). */
  async beat(): Promise<void> {
    try {
      await this.redis.set(nodeKey(this.nodeId), '1', { PX: this.ttlMs });
    } catch {
      // Redis away: the next beat, or the reconnect, writes it.
    }
  }

  /** Of `ids`, the nodes whose heartbeat has run out; none while Redis may have just restarted. */
  async dead(ids: string[]): Promise<string[]> {
    const others = ids.filter((id) => id !== this.nodeId);
    if (others.length === 0 || !(await this.grace.passed())) return [];
    const beats = await this.redis.mGet(others.map(nodeKey));
    return others.filter((_, k) => beats[k] === null);
  }

  /** On shutdown: the key goes at once, so the owners let go of this node's sockets now. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.redis.off('ready', this.beatNow);
    await this.redis.del(nodeKey(this.nodeId)).catch(() => undefined);
  }
}
