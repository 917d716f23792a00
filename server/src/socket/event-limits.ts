/**
 * Rate limits on everything a socket sends, as a socket.io middleware (socket.use), so it
 * runs before any handler and for every event, known or not:
 *
 * 1. abuse: a socket sending `abuseFactor` times what the bucket allows is disconnected
 *    (a script gone wrong, or a flood); nothing else disconnects for rate alone;
 * 2. the per-socket token bucket (limits.events);
 * 3. the per-command table (limits.commands), keyed by socket, member or address.
 *
 * A refused event is not handled; its ack (if the client asked for one) gets
 * {code: 'rate-limited'} with a message that says which limit and how long to wait.
 */
import type { Logger } from 'pino';
import { fail } from '@backprop/shared/protocol';
import type { CommandLimit, LimitKey, Limits } from '../limits';
import {
  bucketLimiter,
  windowLimiter,
  type Limiter,
  type SharedCounters,
} from '../security/limiter';
import { clientAddress } from './client-address';
import type { AppSocket } from './types';

type Ack = (result: unknown) => void;

export class EventLimits {
  private readonly bucket: Limiter;
  private readonly abuse: Limiter;
  private readonly commands = new Map<string, { limit: CommandLimit; limiter: Limiter }>();

  /**
   * `counters`: in a cluster, the limits of an address or a member are counted in Redis,
   * so that sockets on several nodes share one allowance (a socket's own stay in memory).
   */
  constructor(
    private readonly limits: Limits,
    private readonly trustProxy: boolean,
    private readonly logger: Logger,
    counters?: SharedCounters['redis'],
  ) {
    const { perSecond, burst, abuseFactor } = limits.events;
    this.bucket = bucketLimiter(perSecond, burst);
    this.abuse = bucketLimiter(abuseFactor * perSecond, abuseFactor * burst);
    for (const [command, limit] of Object.entries(limits.commands)) {
      if (!limit) continue;
      const shared =
        counters && limit.key !== 'socket' ? { redis: counters, name: command } : undefined;
      this.commands.set(command, { limit, limiter: windowLimiter(limit, shared) });
    }
  }

  /** Puts every incoming event of `socket` through the limits, in arrival order. */
  attach(socket: AppSocket): void {
    // One check at a time per socket: the counters answer asynchronously, and commands
    // must still reach their handlers in the order they were sent.
    let tail: Promise<void> = Promise.resolve();
    socket.use((packet, next) => {
      tail = tail
        .then(() => this.admit(socket, packet))
        .then(
          (admitted) => {
            if (admitted) next();
          },
          (err: unknown) => this.logger.error({ err, socket: socket.id }, 'rate limit failed'),
        );
    });
    socket.on('disconnect', () => {
      this.bucket.forget(socket.id);
      this.abuse.forget(socket.id);
      for (const { limit, limiter } of this.commands.values()) {
        if (limit.key === 'socket') limiter.forget(socket.id);
      }
    });
  }

  private async admit(socket: AppSocket, packet: unknown[]): Promise<boolean> {
    const last = packet.at(-1);
    const ack = typeof last === 'function' ? (last as Ack) : null;
    if ((await this.abuse.take(socket.id)) !== null) {
      if (socket.connected) {
        this.logger.warn(
          { socket: socket.id, ip: clientAddress(socket, this.trustProxy) },
          'socket disconnected: far over the event rate limit',
        );
        socket.disconnect(true);
      }
      return false;
    }
    const { perSecond, burst } = this.limits.events;
    const bucketWait = await this.bucket.take(socket.id);
    if (bucketWait !== null) {
      ack?.(
        fail(
          'rate-limited',
          `Too many messages: at most ${perSecond} a second (bursts of ${burst}). ` +
            `Try again in ${seconds(bucketWait)}.`,
          bucketWait,
        ),
      );
      return false;
    }
    const command = typeof packet[0] === 'string' ? this.commands.get(packet[0]) : undefined;
    if (!command) return true;
    const { limit, limiter } = command;
    const wait = await limiter.take(this.keyOf(socket, limit.key));
    if (wait === null) return true;
    ack?.(
      fail(
        'rate-limited',
        `Too many ${limit.what}: at most ${limit.points} in ${limit.seconds} s` +
          `${limit.key === 'ip' ? ' from one network' : ''}. Try again in ${seconds(wait)}.`,
        wait,
      ),
    );
    return false;
  }

  private keyOf(socket: AppSocket, key: LimitKey): string {
    if (key === 'ip') return clientAddress(socket, this.trustProxy);
    const membership = socket.data.membership;
    if (key === 'socket' || !membership) return socket.id;
    const { identity } = membership;
    return `${membership.code}/${identity.role === 'host' ? 'host' : identity.participantId}`;
  }
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}
