/**
 * One owner per room: a lease in Redis (bpl:lease:<code> = this node's id, SET NX PX),
 * renewed every third of its time while the node holds the room, released on shutdown.
 * A node that cannot renew (another node holds the key now, or Redis has not answered for
 * a whole lease time) is told the room is lost and must drop it: someone else may own it.
 *
 * Redis keeps no data across a restart, so a restart takes every lease with it while the
 * owners are alive. A holder therefore takes a vanished lease back at its next renewal (at
 * once when its connection is ready again: node.ts), as long as it confirmed the lease
 * less than a lease time ago (so nobody else can have held it meanwhile), and no node
 * takes over a room it does not run while Redis is younger than that (`mayTakeOver`,
 * redis-restart.ts): by then every living owner has its leases back or has dropped them.
 *
 * The lease alone cannot stop a node that was frozen past its lease (SIGSTOP, a long GC
 * pause) from trying one last commit when it wakes: the store fences that, because the
 * new owner has committed the seqs it would write (unique (session, seq), see
 * store/postgres/postgres-store.ts).
 */
import type { RedisClientType } from 'redis';

/**
 * Extends the lease while this node still holds it (1); takes it back if it is gone and
 * ARGV[3] allows (2: Redis restarted and lost it); 0 when another node holds it.
 */
const RENEW = `local holder = redis.call('get', KEYS[1])
if holder == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end
if not holder and ARGV[3] == '1' then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 2 end
return 0`;
/** Deletes the lease only while this node still holds it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1]) else return 0 end`;

export interface RoomLeaseOptions {
  /** How long a lease lasts without renewal: how long a dead owner's rooms wait. */
  ttlMs?: number;
  /** Called once for a room whose lease this node no longer holds. */
  onLost: (code: string) => void;
  clock?: () => number;
  /**
   * Whether a room this node does not run may be taken now (a restore, a failover): false
   * while Redis may still be missing the leases of living owners (redis-restart.ts).
   * Always, when left out.
   */
  mayTakeOver?: () => Promise<boolean>;
}

export const LEASE_TTL_MS = 3000;

export function leaseKey(code: string): string {
  return `bpl:lease:${code}`;
}

export class RoomLeases {
  readonly ttlMs: number;
  private readonly clock: () => number;
  /** The rooms held, with when each lease was last confirmed. */
  private readonly held = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: RedisClientType,
    readonly nodeId: string,
    private readonly options: RoomLeaseOptions,
  ) {
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Takes the room's lease if nobody holds it (or this node does); false otherwise.
   * `created`: a code this node has just made, which nobody else can own.
   */
  async acquire(code: string, { created = false } = {}): Promise<boolean> {
    const started = this.clock();
    if (!this.held.has(code) && !created && !(await (this.options.mayTakeOver?.() ?? true))) {
      return false;
    }
    const set = await this.redis.set(leaseKey(code), this.nodeId, { NX: true, PX: this.ttlMs });
    if (set !== 'OK' && (await this.renewOne(code, false)) !== true) return false;
    this.held.set(code, started);
    this.timer ??= setInterval(() => void this.renewAll(), Math.max(this.ttlMs / 3, 10));
    return true;
  }

  /** The node holding the room's lease, or null. */
  async owner(code: string): Promise<string | null> {
    return this.redis.get(leaseKey(code));
  }

  holds(code: string): boolean {
    return this.held.has(code);
  }

  /** Gives the room up (it was closed, or the node is shutting down). */
  async release(code: string): Promise<void> {
    this.held.delete(code);
    await this.redis.eval(RELEASE, { keys: [leaseKey(code)], arguments: [this.nodeId] });
  }

  /** On shutdown: every lease released, so other nodes take the rooms at once. */
  async releaseAll(): Promise<void> {
    this.stopRenewing();
    const codes = [...this.held.keys()];
    await Promise.allSettled(codes.map((code) => this.release(code)));
  }

  /** Stops the renewal timer without releasing anything (the leases run out by themselves). */
  stopRenewing(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Renews every lease held; the lost ones are dropped and reported. */
  async renewAll(): Promise<void> {
    await Promise.all([...this.held.keys()].map((code) => this.renewHeld(code)));
  }

  private async renewHeld(code: string): Promise<void> {
    const started = this.clock();
    const confirmed = this.held.get(code);
    // A lease gone from Redis is taken back only if nobody else can have held it since.
    const renewed = await this.renewOne(
      code,
      confirmed !== undefined && started - confirmed < this.ttlMs,
    );
    if (!this.held.has(code)) return; // released meanwhile
    if (renewed === true) {
      this.held.set(code, started);
      return;
    }
    // Held by another node, or unconfirmed for a whole lease time: no longer ours.
    if (renewed === false || started - this.held.get(code)! >= this.ttlMs) {
      this.held.delete(code);
      this.options.onLost(code);
    }
  }

  /**
   * true: renewed (or taken back, with `retake`); false: another node (or nobody) holds
   * it; null: Redis did not answer.
   */
  private async renewOne(code: string, retake: boolean): Promise<boolean | null> {
    try {
      const result = await this.redis.eval(RENEW, {
        keys: [leaseKey(code)],
        arguments: [this.nodeId, String(this.ttlMs), retake ? '1' : '0'],
      });
      return result === 1 || result === 2;
    } catch {
      return null;
    }
  }
}
