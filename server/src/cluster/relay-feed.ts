/**
 * A room's events from its owner to the other nodes' sockets, without a gap even when
 * Redis drops some of them. The relays go over Redis PUB/SUB (forward-messages.ts), which
 * loses what is published while a node is cut off from Redis (a Redis restart, a network
 * blip), and Redis loses what was in flight when it died. So:
 *
 * - each node hands a room's relayed events to its sockets strictly in seq order (the
 *   clients never see a gap that Redis made): a relay that does not continue the last one
 *   is held, and the missing events are asked of the owner (`bpl:missed`), which answers
 *   from the room's window of recent events (the same as a client's `session:sync`);
 * - the owner says every `everyMs` what it last relayed of each room it runs
 *   (`bpl:heads`), so a node that missed the last events before a quiet room (the pause
 *   that ended play) learns it is behind and asks, without waiting for a next event.
 *
 * When the owner no longer has all the missing events (a long outage: more than its
 * window), this node's sockets of the room are disconnected: they resume with their last
 * seq and get what they miss, or a snapshot, like any reconnecting client.
 */
import type { Logger } from 'pino';
import type { SessionEvent } from '@backprop/shared/session';
import { channelOf, type AppServer } from '../socket/types';

/** How many held events a node keeps while it waits for the missing ones. */
export const MAX_HELD_EVENTS = 512;

export interface RelayFeedDeps {
  io: AppServer;
  nodeId: string;
  /** Whether this node runs the room now. */
  isLocal(code: string): boolean;
  /**
   * Hands a room's events to this node's sockets (socket/fan-out.ts); `whole` for a
   * catch-up, whose frames must not be dropped for the next relay's.
   */
  deliver(code: string, events: SessionEvent[], whole?: boolean): void;
  /** Owner side: the room's committed events after `seq`, or null when it lacks some. */
  eventsAfter(code: string, seq: number): Promise<SessionEvent[] | null>;
  /**
   * Whether this node's connection to Redis is up. While it is not, nothing is published:
   * node-redis would queue it and send it all at once on reconnect, a burst of frames that
   * the sockets' outboxes would thin out; the other nodes fill the gap instead, whole.
   */
  connected(): boolean;
  logger: Logger;
  /** How often the heads go out. */
  everyMs: number;
  /** How long a question for missing events waits before it may be asked again. */
  timeoutMs: number;
}

/** What this node has handed its sockets of a room run elsewhere. */
interface Feed {
  /** The last seq delivered. */
  last: number;
  /** Relayed events past a gap, in arrival order, until the gap is filled. */
  held: SessionEvent[];
  /** The id of the question in flight, if any. */
  asking: number | null;
  /** The node the relays come from (the owner), asked for what is missing. */
  owner: string | null;
}

export class RelayFeed {
  /** Owner side: the last seq relayed of each room. */
  private readonly relayed = new Map<string, number>();
  private readonly feeds = new Map<string, Feed>();
  private nextId = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly deps: RelayFeedDeps) {
    const { io, nodeId } = deps;
    io.on('bpl:events', (code, events, from) =>
      this.received(code, JSON.parse(events) as SessionEvent[], from),
    );
    io.on('bpl:heads', (from, heads) => {
      for (const [code, seq] of heads) this.head(code, seq, from);
    });
    io.on('bpl:missed', (request) => {
      if (request.to === nodeId)
        void this.answer(request.from, request.id, request.code, request.after);
    });
    io.on('bpl:missed-reply', ({ to, id, events }) => {
      if (to === nodeId)
        this.filled(id, events === null ? null : (JSON.parse(events) as SessionEvent[]));
    });
    this.timer = setInterval(() => this.publishHeads(), deps.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Owner side: a room's committed events, for the other nodes' sockets. */
  relay(code: string, events: SessionEvent[]): void {
    const last = events.at(-1);
    if (!last) return;
    this.relayed.set(code, last.seq);
    if (!this.deps.connected()) return;
    this.deps.io.serverSideEmit('bpl:events', code, JSON.stringify(events), this.deps.nodeId);
  }

  private publishHeads(): void {
    const heads: [string, number][] = [];
    for (const [code, seq] of this.relayed) {
      if (this.deps.isLocal(code)) heads.push([code, seq]);
      else this.relayed.delete(code); // gone from here (closed, or lost to another node)
    }
    if (heads.length > 0 && this.deps.connected())
      this.deps.io.serverSideEmit('bpl:heads', this.deps.nodeId, heads);
  }

  /** The feed of a room run elsewhere that this node has sockets in; null otherwise. */
  private feedOf(code: string): Feed | null | undefined {
    const sockets = this.deps.io.sockets.adapter.rooms.get(channelOf(code));
    if (this.deps.isLocal(code) || !sockets || sockets.size === 0) {
      this.feeds.delete(code); // its own events come from its room; or nobody to feed
      return null;
    }
    return this.feeds.get(code);
  }

  private received(code: string, events: SessionEvent[], from: string | undefined): void {
    const feed = this.feedOf(code);
    if (feed === null || events.length === 0) return;
    // The first relay seen here, or the first of a new owner (a failover: the room's
    // sockets here resumed, their replies up to now): a fresh start.
    if (feed === undefined || (from !== undefined && feed.owner !== from)) {
      this.feeds.set(code, {
        last: events.at(-1)!.seq,
        held: [],
        asking: null,
        owner: from ?? null,
      });
      this.deps.deliver(code, events);
      return;
    }
    const fresh = events.filter((event) => event.seq > feed.last);
    if (fresh.length === 0) return;
    if (feed.asking === null && fresh[0]!.seq === feed.last + 1) {
      feed.last = fresh.at(-1)!.seq;
      this.deps.deliver(code, fresh);
      return;
    }
    feed.held.push(...fresh);
    if (feed.held.length > MAX_HELD_EVENTS) this.resync(code, 'too many events held');
    else if (feed.asking === null && from !== undefined) this.ask(code, feed, from);
  }

  /** The owner's last relayed seq: behind it, this node asks for the rest. */
  private head(code: string, seq: number, from: string): void {
    const feed = this.feedOf(code);
    if (!feed) return;
    // Another node runs the room now: the next relay from it starts afresh (above).
    if (feed.owner !== from) this.feeds.delete(code);
    else if (feed.asking === null && seq > feed.last) this.ask(code, feed, from);
  }

  private ask(code: string, feed: Feed, owner: string): void {
    if (!this.deps.connected()) return; // the next relay or head, once reconnected
    const id = ++this.nextId;
    feed.asking = id;
    this.deps.io.serverSideEmit('bpl:missed', {
      to: owner,
      from: this.deps.nodeId,
      id,
      code,
      after: feed.last,
    });
    // Unanswered (the owner died, Redis went away again): the next relay or head asks again.
    setTimeout(() => {
      if (feed.asking === id) feed.asking = null;
    }, this.deps.timeoutMs).unref();
  }

  /** Owner side. */
  private async answer(to: string, id: number, code: string, after: number): Promise<void> {
    let events: SessionEvent[] | null = null;
    try {
      events = await this.deps.eventsAfter(code, after);
    } catch (err) {
      this.deps.logger.warn({ err, code }, 'reading missed events failed');
    }
    this.deps.io.serverSideEmit('bpl:missed-reply', {
      to,
      id,
      events: events === null ? null : JSON.stringify(events),
    });
  }

  private filled(id: number, events: SessionEvent[] | null): void {
    const found = [...this.feeds].find(([, feed]) => feed.asking === id);
    if (!found) return; // timed out meanwhile, or the feed is gone
    const [code, feed] = found;
    feed.asking = null;
    if (events === null) return this.resync(code, 'the owner no longer has the missed events');
    // The answer and the held relays, in seq order, once each, as far as they continue.
    const bySeq = new Map<number, SessionEvent>();
    for (const event of [...events, ...feed.held])
      if (event.seq > feed.last) bySeq.set(event.seq, event);
    const next: SessionEvent[] = [];
    for (let seq = feed.last + 1; bySeq.has(seq); seq++) next.push(bySeq.get(seq)!);
    if (next.length > 0) {
      feed.last = next.at(-1)!.seq;
      this.deps.deliver(code, next, true);
    }
    feed.held = feed.held.filter((event) => event.seq > feed.last);
    this.deps.logger.info(
      { code, filled: next.length, held: feed.held.length },
      'relay gap filled',
    );
    // Still a gap before what is held (more was lost meanwhile): ask for the rest.
    if (feed.held.length > 0 && feed.owner !== null) this.ask(code, feed, feed.owner);
  }

  /** This node's sockets of the room resume: they get what they lack from the owner. */
  private resync(code: string, why: string): void {
    this.deps.logger.warn({ code, why }, 'relayed events missed: the room’s sockets here resume');
    this.feeds.delete(code);
    this.deps.io.local.in(channelOf(code)).disconnectSockets(true);
  }
}
