/**
 * The relay feed (cluster/relay-feed.ts) on a stand-in for socket.io's server: a node
 * hands a room's relayed events to its sockets in seq order only, fills a gap from the
 * owner (whole), learns from the owner's heads that it missed a tail, starts afresh with a
 * new owner, and makes its sockets resume when the owner no longer has what it missed.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { SessionEvent } from '@backprop/shared/session';
import { RelayFeed } from '../../src/cluster/relay-feed';
import { channelOf, type AppServer } from '../../src/socket/types';

const EVERY_MS = 1000;
const CODE = 'ROOM01';

type Handler = (...args: unknown[]) => void;

/** What the feed uses of the server: handlers, server-side emits, channels, disconnects. */
class FakeServer {
  readonly handlers = new Map<string, Handler>();
  readonly emitted: unknown[][] = [];
  readonly rooms = new Map<string, Set<string>>();
  readonly disconnected: string[] = [];
  readonly sockets = { adapter: { rooms: this.rooms } };
  readonly local = {
    in: (channel: string) => ({ disconnectSockets: () => this.disconnected.push(channel) }),
  };
  on(event: string, handler: Handler) {
    this.handlers.set(event, handler);
  }
  serverSideEmit(...args: unknown[]) {
    this.emitted.push(args);
  }
  /** A message from another node. */
  receive(event: string, ...args: unknown[]) {
    this.handlers.get(event)!(...args);
  }
  sent(event: string) {
    return this.emitted.filter(([name]) => name === event).map(([, ...args]) => args);
  }
}

const events = (...seqs: number[]) =>
  seqs.map((seq) => ({ seq, t: seq, type: 'frame' }) as unknown as SessionEvent);
const json = (...seqs: number[]) => JSON.stringify(events(...seqs));

let io: FakeServer;
let feed: RelayFeed;
let delivered: { seqs: number[]; whole: boolean }[];
let local: Set<string>;
let connected: boolean;
let windowOf: (after: number) => SessionEvent[] | null;

beforeEach(() => {
  vi.useFakeTimers();
  io = new FakeServer();
  io.rooms.set(channelOf(CODE), new Set(['socket-1']));
  delivered = [];
  local = new Set();
  connected = true;
  windowOf = () => null;
  feed = new RelayFeed({
    io: io as unknown as AppServer,
    nodeId: 'node-b',
    isLocal: (code) => local.has(code),
    deliver: (_code, list, whole = false) =>
      delivered.push({ seqs: list.map((e) => e.seq), whole }),
    eventsAfter: (_code, after) => Promise.resolve(windowOf(after)),
    connected: () => connected,
    logger: pino({ level: 'silent' }),
    everyMs: EVERY_MS,
    timeoutMs: 3000,
  });
});

afterEach(() => {
  feed.stop();
  vi.useRealTimers();
});

/** The question this node sent last: [request]. */
const lastQuestion = () => io.sent('bpl:missed').at(-1)![0] as { id: number; after: number };

test('relays that follow each other are handed on as they come', () => {
  io.receive('bpl:events', CODE, json(1, 2), 'node-a');
  io.receive('bpl:events', CODE, json(3), 'node-a');
  io.receive('bpl:events', CODE, json(3), 'node-a'); // again: dropped
  expect(delivered).toEqual([
    { seqs: [1, 2], whole: false },
    { seqs: [3], whole: false },
  ]);
  expect(io.sent('bpl:missed')).toEqual([]);
});

test('a gap: later relays are held, the missing events asked of the owner and sent whole', () => {
  io.receive('bpl:events', CODE, json(1, 2), 'node-a');
  io.receive('bpl:events', CODE, json(5), 'node-a');
  io.receive('bpl:events', CODE, json(6), 'node-a');
  expect(delivered).toHaveLength(1);
  const question = lastQuestion();
  expect(question).toMatchObject({ to: 'node-a', from: 'node-b', code: CODE, after: 2 });
  expect(io.sent('bpl:missed')).toHaveLength(1); // one question at a time
  io.receive('bpl:missed-reply', { to: 'node-b', id: question.id, events: json(3, 4, 5) });
  expect(delivered.at(-1)).toEqual({ seqs: [3, 4, 5, 6], whole: true });
  io.receive('bpl:events', CODE, json(7), 'node-a');
  expect(delivered.at(-1)).toEqual({ seqs: [7], whole: false });
});

test('the owner’s head shows a missed tail (nothing follows it): the node asks', () => {
  io.receive('bpl:events', CODE, json(1, 2), 'node-a');
  io.receive('bpl:heads', 'node-a', [[CODE, 2]]);
  expect(io.sent('bpl:missed')).toEqual([]);
  io.receive('bpl:heads', 'node-a', [[CODE, 4]]);
  io.receive('bpl:missed-reply', { to: 'node-b', id: lastQuestion().id, events: json(3, 4) });
  expect(delivered.at(-1)).toEqual({ seqs: [3, 4], whole: true });
});

test('an unanswered question is asked again after its time, by the next relay', () => {
  io.receive('bpl:events', CODE, json(1), 'node-a');
  io.receive('bpl:events', CODE, json(3), 'node-a');
  vi.advanceTimersByTime(3000);
  io.receive('bpl:events', CODE, json(4), 'node-a');
  expect(io.sent('bpl:missed')).toHaveLength(2);
  io.receive('bpl:missed-reply', { to: 'node-b', id: lastQuestion().id, events: json(2, 3, 4) });
  expect(delivered.at(-1)).toEqual({ seqs: [2, 3, 4], whole: true });
});

test('a new owner (a failover: the sockets resumed) starts the feed afresh', () => {
  io.receive('bpl:events', CODE, json(1, 2), 'node-a');
  io.receive('bpl:events', CODE, json(6), 'node-c');
  expect(delivered.at(-1)).toEqual({ seqs: [6], whole: false });
  expect(io.sent('bpl:missed')).toEqual([]);
  // A head from yet another node drops the feed: its next relay starts it.
  io.receive('bpl:heads', 'node-d', [[CODE, 9]]);
  io.receive('bpl:events', CODE, json(10), 'node-d');
  expect(delivered.at(-1)).toEqual({ seqs: [10], whole: false });
  expect(io.sent('bpl:missed')).toEqual([]);
});

test('what the owner no longer has: this node’s sockets of the room resume', () => {
  io.receive('bpl:events', CODE, json(1), 'node-a');
  io.receive('bpl:events', CODE, json(400), 'node-a');
  io.receive('bpl:missed-reply', { to: 'node-b', id: lastQuestion().id, events: null });
  expect(io.disconnected).toEqual([channelOf(CODE)]);
  expect(delivered).toHaveLength(1);
});

test('nothing is fed for a room run here, or without sockets here', () => {
  local.add(CODE);
  io.receive('bpl:events', CODE, json(1), 'node-a');
  local.delete(CODE);
  io.rooms.clear();
  io.receive('bpl:events', CODE, json(2), 'node-a');
  expect(delivered).toEqual([]);
});

test('owner side: relays and heads go out while connected; questions are answered', async () => {
  local.add(CODE);
  feed.relay(CODE, events(1, 2));
  expect(io.sent('bpl:events')).toEqual([[CODE, json(1, 2), 'node-b']]);
  connected = false; // not queued for a burst on reconnect: the others fill the gap
  feed.relay(CODE, events(3));
  vi.advanceTimersByTime(EVERY_MS);
  expect(io.sent('bpl:events')).toHaveLength(1);
  expect(io.sent('bpl:heads')).toEqual([]);
  connected = true;
  vi.advanceTimersByTime(EVERY_MS);
  expect(io.sent('bpl:heads')).toEqual([['node-b', [[CODE, 3]]]]);

  windowOf = (after) => events(3).filter((e) => e.seq > after);
  io.receive('bpl:missed', { to: 'node-b', from: 'node-c', id: 7, code: CODE, after: 2 });
  await vi.waitFor(() => expect(io.sent('bpl:missed-reply')).toHaveLength(1));
  expect(io.sent('bpl:missed-reply')[0]).toEqual([{ to: 'node-c', id: 7, events: json(3) }]);
  // A question for another node is not this node's to answer.
  io.receive('bpl:missed', { to: 'node-x', from: 'node-c', id: 8, code: CODE, after: 2 });
  await Promise.resolve();
  expect(io.sent('bpl:missed-reply')).toHaveLength(1);
});
