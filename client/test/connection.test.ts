import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Sync } from '@backprop/shared/protocol';
import type { SessionEvent } from '@backprop/shared/session';
import {
  Connection,
  JOIN_RETRIES,
  joinRetryDelay,
  type AppSocket,
  type ClientError,
} from '../src/lib/connection.svelte';
import { STUDENT_FRAME_MS } from '../src/lib/socket/frame-pacer';
import { TokenStore } from '../src/lib/tokens';
import { joined, stateAt } from './fixture';

type Ack = (err: Error | null, result: unknown) => void;
type Handler = (...args: unknown[]) => void;

/** Just enough of a Socket.IO client socket: the test plays the server. */
class FakeSocket {
  connected = false;
  active = true;
  readonly sent: { event: string; payload: unknown; ack: Ack }[] = [];
  readonly #handlers = new Map<string, Handler[]>();

  on(event: string, handler: Handler): this {
    this.#handlers.set(event, [...(this.#handlers.get(event) ?? []), handler]);
    return this;
  }
  removeAllListeners(): this {
    this.#handlers.clear();
    return this;
  }
  timeout(): this {
    return this;
  }
  emit(event: string, payload: unknown, ack: Ack): this {
    this.sent.push({ event, payload, ack });
    return this;
  }
  disconnect(): this {
    this.connected = false;
    this.active = false;
    return this;
  }
  connect(): this {
    this.active = true;
    return this;
  }
  // --- the server's side -------------------------------------------------------------------
  fire(event: string, ...args: unknown[]): void {
    for (const handler of this.#handlers.get(event) ?? []) handler(...args);
  }
  open(): void {
    this.connected = true;
    this.fire('connect');
  }
  drop(): void {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  /** Answers the oldest unanswered command, which must be `event`. */
  answer(event: string, result: unknown): unknown {
    const index = this.sent.findIndex((s) => s.event === event);
    expect(index, `a pending ${event}`).toBeGreaterThanOrEqual(0);
    const [sent] = this.sent.splice(index, 1);
    sent!.ack(null, result);
    return sent!.payload;
  }
}

function memoryTokens(): TokenStore {
  const data = new Map<string, string>();
  return new TokenStore({
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  });
}

const snapshot = (seq: number): Sync => ({ kind: 'snapshot', state: stateAt(seq) });
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

let socket: FakeSocket;
let store: TokenStore;
const options = () => ({
  tokens: store,
  socketFactory: () => socket as unknown as AppSocket,
});

beforeEach(() => {
  socket = new FakeSocket();
  store = memoryTokens();
});
afterEach(() => vi.useRealTimers());

describe('joining', () => {
  test('joins, keeps the token per code and applies the snapshot', async () => {
    const connection = new Connection({ kind: 'join', code: 'ABCDEF', name: 'Ada' }, options());
    expect(connection.status).toBe('connecting');
    socket.open();
    expect(
      socket.answer('session:join', {
        ok: true,
        participantId: 'p1',
        token: 't'.repeat(20),
        sync: snapshot(3),
      }),
    ).toEqual({
      code: 'ABCDEF',
      name: 'Ada',
      key: expect.stringMatching(/^[A-Za-z0-9_-]{16,128}$/),
    });
    expect(await connection.ready).toEqual({ ok: true });
    expect(connection.status).toBe('connected');
    expect(connection.role).toBe('student');
    expect(connection.participantId).toBe('p1');
    expect(connection.state?.seq).toBe(3);
    expect(store.get('student', 'ABCDEF')).toBe('t'.repeat(20));
  });

  test('a locked room is a final status', async () => {
    const connection = new Connection({ kind: 'join', code: 'ABCDEF', name: 'Ada' }, options());
    socket.open();
    socket.answer('session:join', { ok: false, error: { code: 'locked', message: 'locked' } });
    expect(await connection.ready).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(connection.status).toBe('locked');
    expect(socket.connected).toBe(false);
  });
});

describe('a join the server is too busy to take', () => {
  const busy: ClientError = { code: 'busy', message: 'Try again shortly.', retryAfterMs: 1000 };

  test('is sent again with backoff and the same key, until it is taken', async () => {
    vi.useFakeTimers();
    const connection = new Connection({ kind: 'join', code: 'ABCDEF', name: 'Ada' }, options());
    socket.open();
    const first = socket.answer('session:join', { ok: false, error: busy }) as { key: string };
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.status).toBe('connecting');
    // The server's wait (1 s) at least; nothing is sent before it.
    await vi.advanceTimersByTimeAsync(999);
    expect(socket.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    const second = socket.answer('session:join', {
      ok: false,
      error: { code: 'timeout', message: 'The server did not answer in time.' },
    });
    // Then the backoff (1 s ±50% for the second retry).
    await vi.advanceTimersByTimeAsync(1500);
    const third = socket.answer('session:join', {
      ok: true,
      participantId: 'p1',
      token: 't'.repeat(20),
      sync: snapshot(3),
    });
    expect([second, third]).toEqual([first, first]);
    expect(await connection.ready).toEqual({ ok: true });
    expect(connection.status).toBe('connected');
    expect(connection.participantId).toBe('p1');
  });

  test('a busy without a wait (the session is full) is shown at once', async () => {
    const connection = new Connection({ kind: 'join', code: 'ABCDEF', name: 'Ada' }, options());
    socket.open();
    socket.answer('session:join', {
      ok: false,
      error: { code: 'busy', message: 'This session is full (200 participants).' },
    });
    expect(await connection.ready).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(connection.status).toBe('error');
  });

  test('the waits double from 0.5 s up to 8 s, never below the server’s; then it gives up', () => {
    const middle = () => 0.5; // no jitter
    const waits = Array.from({ length: JOIN_RETRIES }, (_, k) =>
      joinRetryDelay({ code: 'timeout', message: '' }, k, middle),
    );
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
    expect(joinRetryDelay(busy, 0, middle)).toBe(1000);
    expect(joinRetryDelay(busy, 0, () => 0)).toBe(1000);
    expect(joinRetryDelay({ code: 'timeout', message: '' }, 3, () => 0.999)).toBeCloseTo(5996);
    expect(joinRetryDelay({ code: 'timeout', message: '' }, JOIN_RETRIES, middle)).toBeNull();
    expect(joinRetryDelay({ code: 'rate-limited', message: '', retryAfterMs: 1 }, 0)).toBeNull();
    expect(joinRetryDelay({ code: 'name-taken', message: '' }, 0)).toBeNull();
  });
});

describe('live events', () => {
  async function connected(): Promise<Connection> {
    store.set('student', 'ABCDEF', 's'.repeat(20));
    const connection = new Connection(
      { kind: 'resume', code: 'ABCDEF', role: 'student' },
      options(),
    );
    socket.open();
    expect(
      socket.answer('session:resume', {
        ok: true,
        role: 'student',
        participantId: 'p1',
        sync: snapshot(5),
      }),
    ).toEqual({
      code: 'ABCDEF',
      token: 's'.repeat(20),
      lastSeq: 0,
    });
    await connection.ready;
    return connection;
  }

  test('applies the next event, ignores duplicates', async () => {
    const connection = await connected();
    socket.fire('session:events', [joined(6, 'a')], []);
    socket.fire('session:events', [joined(6, 'a')], []);
    socket.fire('session:events', [joined(4, 'old')], []);
    expect(connection.state?.seq).toBe(6);
    expect(connection.state?.participants.map((p) => p.name)).toEqual(['a']);
    expect(socket.sent).toEqual([]);
  });

  test('a message of several events applies them in order', async () => {
    const connection = await connected();
    socket.fire('session:events', [joined(6, 'a'), joined(7, 'b'), joined(8, 'c')], []);
    expect(connection.state?.seq).toBe(8);
    expect(connection.state?.participants.map((p) => p.name)).toEqual(['a', 'b', 'c']);
    expect(socket.sent).toEqual([]);
  });

  test('a gap asks for a sync once and applies what it brings', async () => {
    const connection = await connected();
    socket.fire('session:events', [joined(8, 'c')], []);
    socket.fire('session:events', [joined(9, 'd')], []);
    expect(connection.state?.seq).toBe(5);
    expect(socket.sent.map((s) => s.event)).toEqual(['session:sync']);
    const events: SessionEvent[] = [joined(6, 'a'), joined(7, 'b')];
    expect(socket.answer('session:sync', { ok: true, sync: { kind: 'events', events } })).toEqual({
      lastSeq: 5,
    });
    await flush();
    expect(connection.state?.seq).toBe(9);
    expect(connection.state?.participants.map((p) => p.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a reconnect resumes from the last seq and keeps the state meanwhile', async () => {
    const connection = await connected();
    socket.fire('session:events', [joined(6, 'a')], []);
    socket.drop();
    expect(connection.status).toBe('reconnecting');
    expect(connection.state?.seq).toBe(6);
    socket.open();
    expect(connection.status).toBe('reconnecting');
    const payload = socket.answer('session:resume', {
      ok: true,
      role: 'student',
      participantId: 'p1',
      sync: { kind: 'events', events: [joined(7, 'b')] },
    });
    expect(payload).toMatchObject({ lastSeq: 6 });
    await flush();
    expect(connection.status).toBe('connected');
    expect(connection.state?.seq).toBe(7);
  });

  test('a kick clears the token and is final', async () => {
    const connection = await connected();
    socket.fire('session:kicked');
    expect(connection.status).toBe('kicked');
    expect(store.get('student', 'ABCDEF')).toBeNull();
  });

  test('the ended event ends the connection', async () => {
    const connection = await connected();
    socket.fire('session:events', [{ seq: 6, t: 0, type: 'ended' }], []);
    expect(connection.status).toBe('ended');
    expect(connection.state?.ended).toBe(true);
  });

  test('commands fail fast when offline and time out without an answer', async () => {
    vi.useFakeTimers();
    const connection = await connected();
    socket.drop();
    expect(await connection.send('host:reset', {})).toMatchObject({
      ok: false,
      error: { code: 'offline' },
    });
  });
});

describe('resume', () => {
  test('without a token on this device it fails at once', async () => {
    const connection = new Connection({ kind: 'resume', code: 'ABCDEF', role: 'host' }, options());
    expect(await connection.ready).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(connection.status).toBe('error');
  });

  test('a kicked participant sees the kicked status and loses the token', async () => {
    store.set('student', 'ABCDEF', 's'.repeat(20));
    const connection = new Connection(
      { kind: 'resume', code: 'ABCDEF', role: 'student' },
      options(),
    );
    socket.open();
    socket.answer('session:resume', { ok: false, error: { code: 'kicked', message: 'kicked' } });
    await connection.ready;
    expect(connection.status).toBe('kicked');
    expect(store.get('student', 'ABCDEF')).toBeNull();
  });

  test('a protocol mismatch stops for good', () => {
    store.set('host', 'ABCDEF', 'h'.repeat(20));
    const connection = new Connection({ kind: 'resume', code: 'ABCDEF', role: 'host' }, options());
    socket.active = false;
    socket.fire('connect_error', new Error('protocol-mismatch'));
    expect(connection.status).toBe('protocol-mismatch');
  });

  test('the host creates a session and takes the snapshot from the reply', async () => {
    const connection = new Connection({ kind: 'create', title: 'Lecture' }, options());
    socket.open();
    expect(
      socket.answer('session:create', {
        ok: true,
        code: 'HJK234',
        hostToken: 'h'.repeat(32),
        sync: snapshot(0),
      }),
    ).toEqual({ title: 'Lecture' });
    expect(await connection.ready).toEqual({ ok: true });
    expect(connection.role).toBe('host');
    expect(connection.code).toBe('HJK234');
    expect(connection.state?.seq).toBe(0);
    expect(store.get('host', 'HJK234')).toBe('h'.repeat(32));
  });
});

describe('the recordings store unavailable', () => {
  const unavailable = {
    ok: false,
    error: { code: 'unavailable', message: 'the recordings store is unavailable' },
  };

  test('the notice holds until something succeeds; a refused resume is asked again', async () => {
    vi.useFakeTimers();
    store.set('host', 'ABCDEF', 'h'.repeat(20));
    const connection = new Connection({ kind: 'resume', code: 'ABCDEF', role: 'host' }, options());
    socket.open();
    socket.answer('session:resume', {
      ok: true,
      role: 'host',
      participantId: null,
      sync: snapshot(5),
    });
    await connection.ready;
    expect(connection.storeAway).toBe(false);

    socket.fire('session:store-unavailable');
    expect(connection.storeAway).toBe(true);
    const step = connection.send('host:step', { granularity: 'batch' });
    socket.answer('host:step', unavailable);
    expect(await step).toEqual(unavailable);
    expect(connection.storeAway).toBe(true);
    // The store is back: the server disconnects the room's sockets, which resume. A resume
    // refused meanwhile is asked again, keeping the last state on screen.
    socket.drop();
    socket.open();
    socket.answer('session:resume', unavailable);
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.status).toBe('reconnecting');
    expect(connection.state?.seq).toBe(5);
    expect(connection.storeAway).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    socket.answer('session:resume', {
      ok: true,
      role: 'host',
      participantId: null,
      sync: { kind: 'events', events: [joined(6, 'a')] },
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.status).toBe('connected');
    expect(connection.storeAway).toBe(false);
    expect(connection.state?.seq).toBe(6);
  });

  test('a join refused while the store is away is asked again, not given up', async () => {
    vi.useFakeTimers();
    const connection = new Connection({ kind: 'join', code: 'ABCDEF', name: 'Ada' }, options());
    socket.open();
    socket.answer('session:join', unavailable);
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.status).toBe('connecting');
    expect(connection.storeAway).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    socket.answer('session:join', {
      ok: true,
      participantId: 'p1',
      token: 't'.repeat(20),
      sync: snapshot(3),
    });
    expect(await connection.ready).toEqual({ ok: true });
    expect(connection.status).toBe('connected');
    expect(connection.storeAway).toBe(false);
  });
});

describe('one state per animation frame', () => {
  let frames: (() => void)[];
  let visibility: 'visible' | 'hidden';
  const listeners = new Map<string, () => void>();
  beforeEach(() => {
    frames = [];
    visibility = 'visible';
    vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
    vi.stubGlobal('document', {
      get visibilityState() {
        return visibility;
      },
      addEventListener: (type: string, listener: () => void) => listeners.set(type, listener),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  async function joinedAt(seq: number, playing = false): Promise<Connection> {
    const connection = new Connection({ kind: 'join', code: 'ABCDEF', name: 'Ada' }, options());
    socket.open();
    socket.answer('session:join', {
      ok: true,
      participantId: 'p1',
      token: 't'.repeat(20),
      sync: { kind: 'snapshot', state: stateAt(seq, { playing }) },
    });
    await connection.ready;
    return connection;
  }

  const frame = (seq: number): SessionEvent => ({
    seq,
    t: seq * 1000,
    type: 'frame',
    step: seq * 50,
    epoch: 0,
    loss: 0.5,
    test: null,
  });
  /** Runs the animation frames asked for so far, as the browser would at its next paint. */
  const paint = () => frames.splice(0).forEach((callback) => callback());

  test('events are reduced at once; the views get the newest at the next frame, once', async () => {
    const connection = await joinedAt(5);
    expect(connection.state?.seq).toBe(5); // the first state at once
    socket.fire('session:events', [joined(6, 'a')], []);
    socket.fire('session:events', [joined(7, 'b')], []);
    socket.fire('session:events', [joined(8, 'c')], []);
    expect(connection.state?.seq).toBe(5);
    expect(frames).toHaveLength(1);
    frames[0]!();
    expect(connection.state?.seq).toBe(8);
    expect(connection.state?.participants.map((p) => p.name)).toEqual(['a', 'b', 'c']);
  });

  test('a hidden tab is shown nothing until it is visible again', async () => {
    const connection = await joinedAt(5);
    visibility = 'hidden';
    socket.fire('session:events', [joined(6, 'a')], []);
    vi.useFakeTimers();
    vi.advanceTimersByTime(5000);
    expect(frames).toHaveLength(0);
    expect(connection.state?.seq).toBe(5);
    visibility = 'visible';
    listeners.get('visibilitychange')!();
    expect(connection.state?.seq).toBe(6);
  });

  test('a visible page whose frames stall still gets the state within 250 ms', async () => {
    vi.useFakeTimers();
    const connection = await joinedAt(5);
    socket.fire('session:events', [joined(6, 'a')], []);
    vi.advanceTimersByTime(249);
    expect(connection.state?.seq).toBe(5);
    vi.advanceTimersByTime(1);
    expect(connection.state?.seq).toBe(6);
  });

  test("a student's play frames are shown at most every STUDENT_FRAME_MS, the newest", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const connection = await joinedAt(5, true);
    socket.fire('session:events', [frame(6)], []);
    // The first of play: none came before it, so it is shown in the task that brought it.
    expect(connection.state?.seq).toBe(6);
    // 20 frames a second: the next two wait for the student's rate, and only the newest shows.
    vi.advanceTimersByTime(50);
    socket.fire('session:events', [frame(7)], []);
    paint();
    expect(connection.state?.seq).toBe(6);
    vi.advanceTimersByTime(40);
    socket.fire('session:events', [frame(8)], []);
    paint();
    expect(connection.state?.seq).toBe(6);
    // Shown by the timer itself: no animation frame is asked for (each cost a phone time).
    vi.advanceTimersByTime(STUDENT_FRAME_MS - 90);
    expect(frames).toHaveLength(0);
    expect(connection.state?.seq).toBe(8);
    expect(connection.state?.step).toBe(400);
    // Paced by when frames come, not by when the last was shown (a phone's timers run late):
    // 85 ms after frame 8 came, 75 after it was shown, frame 9 is shown in its own task.
    vi.advanceTimersByTime(75);
    socket.fire('session:events', [frame(9)], []);
    expect(connection.state?.seq).toBe(9);
    expect(frames).toHaveLength(0);
  });

  test('anything but a play frame is shown at the next animation frame: a pause at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const connection = await joinedAt(5, true);
    socket.fire('session:events', [frame(6)], []);
    paint();
    vi.advanceTimersByTime(10);
    socket.fire('session:events', [frame(7)], []);
    socket.fire('session:events', [{ seq: 8, t: 8000, type: 'play-changed', playing: false }], []);
    paint();
    expect(connection.state?.seq).toBe(8);
    expect(connection.state?.step).toBe(350); // the last frame's step, exactly
    expect(connection.state?.playing).toBe(false);
  });

  test('the host (console, projector) is shown every play frame', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    store.set('host', 'HJK234', 'h'.repeat(32));
    const connection = new Connection({ kind: 'resume', code: 'HJK234', role: 'host' }, options());
    socket.open();
    socket.answer('session:resume', {
      ok: true,
      role: 'host',
      sync: { kind: 'snapshot', state: stateAt(5, { playing: true }) },
    });
    await connection.ready;
    for (const seq of [6, 7, 8]) {
      socket.fire('session:events', [frame(seq)], []);
      paint();
      expect(connection.state?.seq).toBe(seq);
      vi.advanceTimersByTime(50);
    }
  });
});
