/**
 * The student's socket in a worker (client/src/lib/socket): the page's WorkerSocket and the
 * worker's relay (socketHost), joined by a loop that clones each message as postMessage
 * does, against a real Socket.IO server on port 0.
 */
import { createServer } from 'node:http';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { socketHost } from '../src/lib/socket/socket-host';
import type { FromSocketWorker, ToSocketWorker } from '../src/lib/socket/socket-messages';
import { openSocket } from '../src/lib/socket/socket-options';
import { WorkerSocket } from '../src/lib/socket/worker-socket';
import { ManualClock } from './manual-clock';

/** A worker in the same thread: what crosses is cloned, and arrives in a later task. */
class LoopWorker {
  onmessage: ((event: { data: FromSocketWorker }) => void) | null = null;
  onerror: (() => void) | null = null;
  ended = false;
  terminated = false;
  readonly #receive: (message: ToSocketWorker) => void;
  constructor(clock?: ManualClock) {
    this.#receive = socketHost(
      (message) => {
        const copy = structuredClone(message);
        setTimeout(() => this.onmessage?.({ data: copy }));
      },
      openSocket,
      () => (this.ended = true),
      clock,
    );
  }
  postMessage(message: ToSocketWorker): void {
    const copy = structuredClone(message);
    setTimeout(() => this.#receive(copy));
  }
  terminate(): void {
    this.terminated = true;
  }
}

let io: Server;
let url: string;
let serverSockets: ServerSocket[];
let nextServerSocket: Promise<ServerSocket>;
const waitForServerSocket = () =>
  (nextServerSocket = new Promise((resolve) => io.once('connection', resolve)));

beforeEach(async () => {
  const http = createServer();
  io = new Server(http);
  serverSockets = [];
  io.on('connection', (s) => serverSockets.push(s));
  waitForServerSocket();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
});
afterEach(async () => {
  await io.close();
});

const once = (socket: WorkerSocket, event: string) =>
  new Promise<unknown[]>((resolve) => {
    let done = false;
    socket.on(event, (...args) => {
      if (!done) resolve(args);
      done = true;
    });
  });

function workerSocket(clock?: ManualClock): { socket: WorkerSocket; worker: LoopWorker } {
  const worker = new LoopWorker(clock);
  const socket = new WorkerSocket(url, { protocol: 1 }, () => worker as unknown as Worker);
  return { socket, worker };
}

/** A socket (in a loop worker by default), once connected, with its server side. */
async function connected(socket: WorkerSocket = workerSocket().socket) {
  const connecting = once(socket, 'connect');
  const server = await nextServerSocket;
  await connecting;
  return { socket, server };
}

describe('a socket in a worker', () => {
  test('relays a server event, and acknowledges it only once the page has taken it', async () => {
    const { socket, server } = await connected();
    expect(socket.connected).toBe(true);

    let acked = false;
    server.on('acked?', (reply: (acked: boolean) => void) => reply(acked));
    const ackArrived = new Promise<void>((resolve) =>
      server.emit('session:events', [{ type: 'step', seq: 1 }], [[0, 0]], () => {
        acked = true;
        resolve();
      }),
    );
    const [events, skipped, ack] = await once(socket, 'session:events');
    expect(events).toEqual([{ type: 'step', seq: 1 }]);
    expect(skipped).toEqual([[0, 0]]);
    // Asked on the same connection after the event reached the page: an ack sent by the
    // worker on receipt would have reached the server first.
    const answer = await new Promise((resolve) =>
      socket
        .timeout(2000)
        .emit('acked?', (err: Error | null, value: boolean) => resolve(err ?? value)),
    );
    expect(answer).toBe(false);
    (ack as () => void)();
    await ackArrived;
    expect(acked).toBe(true);
  });

  test('play frames: taken by the worker at once, handed to the page at its pace', async () => {
    const clock = new ManualClock();
    const { socket, server } = await connected(workerSocket(clock).socket);
    const page: { seqs: number[]; skipped: unknown }[] = [];
    const acks: (() => void)[] = [];
    let arrived: () => void = () => {};
    socket.on('session:events', (events, skipped, ack) => {
      page.push({ seqs: (events as { seq: number }[]).map((e) => e.seq), skipped });
      acks.push(ack as () => void);
      arrived();
    });
    const pageGets = (count: number) =>
      new Promise<void>((resolve) => {
        arrived = () => page.length >= count && resolve();
        arrived();
      });
    /** Resolves when the worker has acknowledged the frame: the server may send the next. */
    const send = (seq: number, type = 'frame') =>
      new Promise<void>((resolve) => server.emit('session:events', [{ type, seq }], [], resolve));

    await send(1);
    await pageGets(1);
    // The page has not taken frame 1: frames 2 and 3 are acknowledged, and wait in the worker.
    await send(2);
    await send(3);
    clock.advance(1000);
    // Anything else reaches the page at once, after the newest frame held (2 is dropped).
    const step = send(4, 'step');
    await pageGets(3);
    expect(page).toEqual([
      { seqs: [1], skipped: [] },
      { seqs: [3], skipped: [[2, 2]] },
      { seqs: [4], skipped: [] },
    ]);
    // The server's ack of a non-frame waits for the page; take everything.
    for (const ack of acks) ack();
    await step;
    // The next frame waits for the page's interval since frame 3 went.
    await send(5);
    expect(clock.pending).toBe(1);
    expect(page).toHaveLength(3);
    clock.advance(100);
    await pageGets(4);
    expect(page[3]).toEqual({ seqs: [5], skipped: [] });
  });

  test('a hidden tab: play frames wait in the worker, and the newest comes when it is shown', async () => {
    const tab = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    vi.stubGlobal('document', tab);
    try {
      const clock = new ManualClock();
      const { socket, server } = await connected(workerSocket(clock).socket);
      const page: { seqs: number[]; skipped: unknown }[] = [];
      let arrived: () => void = () => {};
      socket.on('session:events', (events, skipped, ack) => {
        page.push({ seqs: (events as { seq: number }[]).map((e) => e.seq), skipped });
        (ack as () => void)();
        arrived();
      });
      const pageGets = (count: number) =>
        new Promise<void>((resolve) => {
          arrived = () => page.length >= count && resolve();
          arrived();
        });
      const send = (seq: number) =>
        new Promise<void>((resolve) =>
          server.emit('session:events', [{ type: 'frame', seq }], [], resolve),
        );
      server.on('ping', (reply: () => void) => reply());
      /** Everything the page has posted so far has reached the worker. */
      const workerCaughtUp = () =>
        new Promise((resolve) => socket.timeout(2000).emit('ping', resolve));

      await send(1);
      await pageGets(1);
      tab.visibilityState = 'hidden';
      tab.dispatchEvent(new Event('visibilitychange'));
      await workerCaughtUp();
      await send(2);
      await send(3);
      clock.advance(5000);
      // Anything posted to the page before the ping's reply has arrived by then.
      await workerCaughtUp();
      expect(page).toHaveLength(1);
      tab.visibilityState = 'visible';
      tab.dispatchEvent(new Event('visibilitychange'));
      await pageGets(2);
      expect(page[1]).toEqual({ seqs: [3], skipped: [[2, 2]] });
      socket.removeAllListeners();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  test('a command gets its answer, or a timeout error when none comes', async () => {
    const { socket, server } = await connected();
    server.on('session:sync', (payload: unknown, reply: (answer: unknown) => void) =>
      reply({ ok: true, echo: payload }),
    );
    server.on('host:play', () => {}); // never answered
    const answered = await new Promise((resolve) =>
      socket
        .timeout(2000)
        .emit('session:sync', { lastSeq: 3 }, (err: Error | null, result: unknown) =>
          resolve({ err, result }),
        ),
    );
    expect(answered).toEqual({ err: null, result: { ok: true, echo: { lastSeq: 3 } } });
    const unanswered = await new Promise<Error | null>((resolve) =>
      socket.timeout(50).emit('host:play', { playing: true }, (err: Error | null) => resolve(err)),
    );
    expect(unanswered).toBeInstanceOf(Error);
  });

  test('says when the server closes it, and connects again when asked', async () => {
    const { socket, server } = await connected();
    const dropped = once(socket, 'disconnect');
    server.disconnect();
    expect(await dropped).toEqual(['io server disconnect']);
    expect(socket.connected).toBe(false);
    expect(socket.active).toBe(false);
    const again = once(socket, 'connect');
    waitForServerSocket();
    socket.connect();
    await again;
    await nextServerSocket;
    expect(socket.connected).toBe(true);
  });

  test('closed by the page: the worker disconnects and ends', async () => {
    const { socket, worker } = workerSocket();
    const { server } = await connected(socket);
    const gone = new Promise((resolve) => server.once('disconnect', resolve));
    socket.removeAllListeners();
    socket.disconnect();
    await gone;
    expect(worker.ended).toBe(true);
  });
});

describe('without a worker', () => {
  test('a worker that cannot start: a socket on the page, with the same listeners', async () => {
    const { socket, server } = await connected(
      new WorkerSocket(url, { protocol: 1 }, () => {
        throw new Error('no workers here');
      }),
    );
    expect(socket.connected).toBe(true);
    const received = once(socket, 'session:kicked');
    server.emit('session:kicked');
    await received;
  });

  test('a worker that fails: the page disconnects, then connects on its own socket', async () => {
    const { socket, worker } = workerSocket();
    await connected(socket);
    const dropped = once(socket, 'disconnect');
    const reconnected = new Promise<void>((resolve) => {
      let connects = 0;
      socket.on('connect', () => ++connects === 1 && resolve());
    });
    waitForServerSocket();
    worker.onerror!();
    expect(await dropped).toEqual(['transport close']);
    await reconnected;
    const server = await nextServerSocket;
    expect(worker.terminated).toBe(true);
    expect(socket.connected).toBe(true);
    server.on('session:sync', (_: unknown, reply: (answer: unknown) => void) => reply('page'));
    const answered = new Promise((resolve) =>
      socket
        .timeout(2000)
        .emit('session:sync', {}, (err: Error | null, result: unknown) => resolve(err ?? result)),
    );
    expect(await answered).toBe('page');
  });
});
