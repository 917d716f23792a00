import {
  PROTOCOL_VERSION,
  type CommandName,
  type CommandReplies,
  type ErrorCode,
  type HandshakeAuth,
  type Payload,
  fromWire,
  type SkippedSeqs,
  type Sync,
} from '@backprop/shared/protocol';
import type { SessionEvent, SessionState } from '@backprop/shared/session';
import { EMPTY, receiveMessage, receiveSync, type Sequenced } from './sequence';
import { ServerClock } from './participation/countdown';
import { newKey } from './participation/attempts';
import { tokens as defaultTokens, type TokenStore } from './tokens';
import { openSocket, type AppSocket } from './socket/socket-options';
import { WorkerSocket } from './socket/worker-socket';
import { STUDENT_FRAME_MS } from './socket/frame-pacer';

export type { AppSocket };

export type ConnectionStatus =
  | 'connecting'
  | 'connected'
  | 'reconnecting'
  | 'kicked'
  | 'locked'
  | 'ended'
  | 'protocol-mismatch'
  | 'not-found'
  | 'error';

/** Statuses after which the socket is closed for good. */
const FINAL: ReadonlySet<ConnectionStatus> = new Set([
  'kicked',
  'locked',
  'ended',
  'protocol-mismatch',
  'not-found',
  'error',
]);

export type Role = 'host' | 'student';

/** What the connection does on its first connect; every later connect resumes. */
export type Intent =
  | { kind: 'create'; title?: string }
  | { kind: 'join'; code: string; name: string }
  | { kind: 'resume'; code: string; role: Role };

/** The server's error codes plus the two the client makes up itself. */
export type ClientErrorCode = ErrorCode | 'timeout' | 'offline';
export interface ClientError {
  code: ClientErrorCode;
  message: string;
  /** From a 'rate-limited' answer: when the limit lifts. */
  retryAfterMs?: number;
}
export type SendResult<T = object> = ({ ok: true } & T) | { ok: false; error: ClientError };

/** What a page says while a create, join or resume waits for the recordings store. */
export const STORE_AWAY_HINT =
  'The server cannot save sessions right now (the recordings store is unavailable). Trying again by itself…';

export interface ConnectionOptions {
  /** Server origin; defaults to the page's own. */
  url?: string;
  tokens?: TokenStore;
  /** How long a command waits for its acknowledgement. */
  commandTimeoutMs?: number;
  /** Builds the socket (tests pass their own). */
  socketFactory?: (url: string | undefined, auth: HandshakeAuth) => AppSocket;
}

type RetryKind = 'connect' | 'handshake' | 'sync';

const DEFAULT_TIMEOUT_MS = 10_000;
/** How long to wait before asking again when a sync or resume could not close a gap. */
const RETRY_MS = 1_000;
/**
 * A join answered `busy` with a wait (the session's server node is slow, say a whole class
 * joining at once, or moving: server/src/cluster/forwarding.ts) or not answered at all is
 * sent again, with the same key, so the server answers with the first attempt's student if
 * it went through (never a second one). At most JOIN_RETRIES times, waiting 0.5 s, 1 s,
 * 2 s … up to 8 s (±50%, and never less than the server asks): about 40 s in all before
 * the student is shown the refusal.
 */
export const JOIN_RETRIES = 8;
const JOIN_RETRY_MS = 500;
const JOIN_RETRY_MAX_MS = 8_000;

/** How long to wait before retrying a join that got `error` after `retried` retries; null: don't. */
export function joinRetryDelay(
  error: ClientError,
  retried: number,
  random: () => number = Math.random,
): number | null {
  const retryable =
    error.code === 'timeout' || (error.code === 'busy' && error.retryAfterMs !== undefined);
  if (!retryable || retried >= JOIN_RETRIES) return null;
  const backoff = Math.min(JOIN_RETRY_MAX_MS, JOIN_RETRY_MS * 2 ** retried) * (0.5 + random());
  return Math.max(error.retryAfterMs ?? 0, backoff);
}

/**
 * How much earlier than STUDENT_FRAME_MS after the last one a student's play frame may come
 * and still be paced (the socket worker posts them that far apart; a message's trip varies
 * by a few ms).
 */
const DUE_EARLY_MS = 20;

/** How long a state may wait for an animation frame in a visible tab. */
const FALLBACK_MS = 250;
/**
 * A student's socket runs in a worker (socket/worker-socket.ts: a phone's main thread is the
 * scarce one); the host's console and the projector, on laptops, keep theirs on the page.
 */
function defaultSocket(
  intent: Intent,
): (url: string | undefined, auth: HandshakeAuth) => AppSocket {
  const student = intent.kind === 'join' || (intent.kind === 'resume' && intent.role === 'student');
  if (!student || typeof Worker === 'undefined') return openSocket;
  // It stands for the part of a socket that Connection uses (SessionSocket).
  return (url, auth) => new WorkerSocket(url, auth) as unknown as AppSocket;
}

/**
 * Catch-up after a reconnect is ours (seq + session:resume/sync), not Socket.IO's
 * best-effort connection state recovery.
 *
 * One live session, seen from this browser: owns the socket and the state reduced from the
 * server's events. Events are applied strictly in seq order (see ./sequence); a gap asks
 * the server for the missing events, and every reconnect resumes with the token kept in
 * localStorage, so a reload or a dropped phone comes back as the same person.
 */
export class Connection {
  /**
   * The session as the views see it: a new object per change (never mutated). Events are
   * reduced as they arrive, but handed to the views at most once per animation frame, the
   * newest winning: a phone that receives three frames during one slow paint draws only the
   * last, and a hidden tab (no animation frames) draws nothing until it is shown again.
   */
  state: SessionState | null = $state.raw(null);
  status: ConnectionStatus = $state('connecting');
  role: Role | null = $state(null);
  participantId: string | null = $state(null);
  code: string | null = $state(null);
  /** The address of the session's recording (#/replay/:replayId); null until known, or none kept. */
  replayId: string | null = $state(null);
  /** A readable reason when a create, join or resume was refused. */
  problem: ClientError | null = $state.raw(null);
  /**
   * The server cannot save the session right now (its recordings store is unavailable): the
   * session is on hold, commands are refused, and it goes on by itself once the store is
   * back (the server then has this client resume). Set by the server's notice or an
   * 'unavailable' answer; cleared by the next command or resume that succeeds.
   */
  storeAway: boolean = $state(false);
  /** The server's time as seen from here (live events carry it): quiz countdowns use it. */
  readonly clock = new ServerClock();
  /** Resolves once the first create, join or resume has succeeded or failed. */
  readonly ready: Promise<SendResult>;

  readonly #socket: AppSocket;
  readonly #tokens: TokenStore;
  readonly #timeoutMs: number;
  readonly #intent: Intent;
  #sequenced: Sequenced = EMPTY;
  #token: string | null = null;
  #connectedOnce = false;
  #syncing = false;
  /** Sent with every attempt of this connection's join (joinRetryDelay). */
  readonly #joinKey = newKey();
  #joinRetries = 0;
  /** Counts connects, so an answer that arrives after a reconnect is recognised as stale. */
  #epoch = 0;
  /** Pending retries, one per kind (plain, not reactive: nothing renders them). */
  #timers: Partial<Record<RetryKind, ReturnType<typeof setTimeout>>> = {};
  #settle: (result: SendResult) => void = () => {};
  /** An animation frame is asked for to show the newest state. */
  #showPending = false;
  /** When the views were last handed a state (performance.now()). */
  #shownAt = -Infinity;
  /** When a student's last play frame came (performance.now()). */
  #playFrameAt = -Infinity;
  /** A student's next play frame, waiting for STUDENT_FRAME_MS to pass. */
  #frameTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(intent: Intent, options: ConnectionOptions = {}) {
    this.#intent = intent;
    this.#tokens = options.tokens ?? defaultTokens;
    this.#timeoutMs = options.commandTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.ready = new Promise((resolve) => (this.#settle = resolve));
    if (intent.kind === 'resume') {
      this.code = intent.code;
      this.role = intent.role;
      this.#token = this.#tokens.get(intent.role, intent.code);
    }
    const factory = options.socketFactory ?? defaultSocket(intent);
    this.#socket = factory(options.url, { protocol: PROTOCOL_VERSION });
    this.#listen();
    if (intent.kind === 'resume' && !this.#token) {
      this.#fail({ code: 'forbidden', message: 'This device has no key for this session.' });
    }
  }

  get isHost(): boolean {
    return this.role === 'host';
  }

  /** The secret that resumes this session (for the host's "open on another device" link). */
  get token(): string | null {
    return this.#token;
  }

  /** Sends a command and waits for its acknowledgement (or a timeout). Never rejects. */
  send<C extends CommandName>(
    command: C,
    payload: Payload<C>,
    timeoutMs = this.#timeoutMs,
  ): Promise<SendResult<CommandReplies[C]>> {
    if (!this.#socket.connected) {
      // Socket.IO would buffer the command and send it on reconnect: a "step" the instructor
      // pressed a minute ago should not run then. Refuse it now instead.
      return Promise.resolve(failure('offline', 'Not connected to the server right now.'));
    }
    // The typed emit cannot follow a generic command name; the payload type is checked above.
    const timed = this.#socket.timeout(timeoutMs) as unknown as {
      emit(
        event: string,
        payload: unknown,
        ack: (err: Error | null, result: unknown) => void,
      ): void;
    };
    return new Promise((resolve) => {
      timed.emit(command, payload, (err, result) => {
        if (err) resolve(failure('timeout', 'The server did not answer in time.'));
        else if (isResult(result)) {
          const answer = result as SendResult<CommandReplies[C]>;
          if (answer.ok) this.storeAway = false;
          else if (answer.error.code === 'unavailable') this.storeAway = true;
          resolve(answer);
        } else
          resolve(failure('internal', 'The server sent an answer this app does not understand.'));
      });
    });
  }

  /** Closes the socket for good (leaving the page). */
  close(): void {
    this.#clearRetry();
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
  }

  #listen(): void {
    const socket = this.#socket;
    socket.on('connect', () => {
      const first = !this.#connectedOnce;
      this.#connectedOnce = true;
      if (!first && !FINAL.has(this.status)) this.status = 'reconnecting';
      this.#epoch += 1;
      void this.#handshake();
    });
    socket.on('disconnect', (reason) => {
      if (FINAL.has(this.status)) return;
      if (this.#connectedOnce) this.status = 'reconnecting';
      // The server closed this socket without a kick: come back (Socket.IO will not by itself).
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (err) => {
      if (err.message === 'protocol-mismatch') {
        this.#finish('protocol-mismatch', {
          code: 'bad-request',
          message: 'Please reload: the app was updated.',
        });
        return;
      }
      if (this.#connectedOnce && !FINAL.has(this.status)) this.status = 'reconnecting';
      // A refusal by a server middleware is not retried by Socket.IO: retry it ourselves.
      if (!socket.active) this.#retryLater('connect', () => socket.connect());
    });
    socket.on('session:events', (events, skipped, ack) => {
      // Taken: the server (server/src/socket/outbox.ts), or a student's socket worker
      // (socket/frame-pacer.ts), may send the next frame. A page too busy to run this handler
      // acks late, and so gets fewer frames rather than late ones.
      ack?.();
      this.#receive(events.map(fromWire), skipped);
    });
    socket.on('session:store-unavailable', () => {
      this.storeAway = true;
    });
    socket.on('session:kicked', () => {
      if (this.code) this.#tokens.clear('student', this.code);
      this.#finish('kicked', { code: 'kicked', message: 'The instructor removed you.' });
    });
  }

  /** What every connect does: the first runs the intent, later ones resume. */
  async #handshake(): Promise<void> {
    if (FINAL.has(this.status)) return;
    if (this.#token && this.code && this.role) {
      await this.#resume(this.code, this.role, this.#token);
    } else if (this.#intent.kind === 'create') {
      await this.#create(this.#intent.title);
    } else if (this.#intent.kind === 'join') {
      await this.#join(this.#intent.code, this.#intent.name);
    }
  }

  async #create(title: string | undefined): Promise<void> {
    const epoch = this.#epoch;
    const created = await this.send('session:create', title ? { title } : {});
    if (epoch !== this.#epoch) return; // reconnected meanwhile: that connect tries again
    if (!created.ok) return this.#refused(created.error);
    this.code = created.code;
    this.role = 'host';
    this.replayId = created.replayId ?? null;
    this.#token = created.hostToken;
    this.#tokens.set('host', created.code, created.hostToken);
    // The creating socket is already the host; the reply carries the first snapshot.
    this.#applySync(created.sync);
    this.#connected();
  }

  async #join(code: string, name: string): Promise<void> {
    const epoch = this.#epoch;
    const joined = await this.send('session:join', { code, name, key: this.#joinKey });
    if (epoch !== this.#epoch) return;
    if (!joined.ok) {
      // Offline: the next connect joins again, with the same key.
      if (joined.error.code === 'offline') return;
      const wait = joinRetryDelay(joined.error, this.#joinRetries);
      if (wait === null) return this.#refused(joined.error);
      this.#joinRetries += 1;
      this.#retryLater('handshake', () => void this.#handshake(), wait);
      return;
    }
    this.code = code;
    this.role = 'student';
    this.participantId = joined.participantId;
    this.replayId = joined.replayId ?? null;
    this.#token = joined.token;
    this.#tokens.set('student', code, joined.token);
    this.#applySync(joined.sync);
    this.#connected();
  }

  async #resume(code: string, role: Role, token: string): Promise<void> {
    const lastSeq = this.#sequenced.state?.seq ?? 0;
    const epoch = this.#epoch;
    const resumed = await this.send('session:resume', { code, token, lastSeq });
    if (epoch !== this.#epoch) return; // a newer connect is resuming already
    if (!resumed.ok) {
      const { code: reason } = resumed.error;
      if (
        reason === 'timeout' ||
        reason === 'busy' ||
        reason === 'rate-limited' ||
        reason === 'unavailable'
      ) {
        // Still there, only slow: keep the last state and try again.
        this.#retryLater('handshake', () => void this.#handshake());
        return;
      }
      if (reason === 'offline') return; // the next connect resumes
      if (reason === 'kicked' || reason === 'forbidden') this.#tokens.clear(role, code);
      return this.#fail(resumed.error);
    }
    this.role = resumed.role;
    this.participantId = resumed.participantId;
    this.replayId = resumed.replayId ?? this.replayId;
    this.#applySync(resumed.sync);
    this.#connected();
  }

  #connected(): void {
    if (!this.#sequenced.state) {
      this.#fail({ code: 'internal', message: 'The server sent no snapshot of the session.' });
      return;
    }
    if (this.#sequenced.state.ended) {
      this.#finish('ended', null);
      return;
    }
    this.status = 'connected';
    this.problem = null;
    this.#settle({ ok: true });
  }

  #receive(events: SessionEvent[], skipped: SkippedSeqs): void {
    for (const event of events) this.clock.observe(event.t);
    const { next, gap } = receiveMessage(this.#sequenced, events, skipped);
    // Play frames alone may wait for a student's frame rate; any other event may not.
    this.#commit(next, !events.every((event) => event.type === 'frame'));
    if (gap) void this.#sync();
  }

  #applySync(sync: Sync): void {
    const { next, gap } = receiveSync(this.#sequenced, sync);
    this.#commit(next);
    if (gap) this.#retryLater('sync', () => void this.#sync());
  }

  /** Asks for what is missing after a gap; one request at a time. */
  async #sync(): Promise<void> {
    if (this.#syncing || !this.#sequenced.state || FINAL.has(this.status)) return;
    this.#syncing = true;
    try {
      const before = this.#sequenced.state.seq;
      const synced = await this.send('session:sync', { lastSeq: before });
      if (!synced.ok) {
        if (synced.error.code !== 'offline') this.#retryLater('sync', () => void this.#sync());
        return;
      }
      const { next, gap } = receiveSync(this.#sequenced, synced.sync);
      this.#commit(next);
      if (gap) this.#retryLater('sync', () => void this.#sync());
    } finally {
      this.#syncing = false;
    }
  }

  #commit(next: Sequenced, urgent = true): void {
    if (next === this.#sequenced) return;
    const changed = next.state !== this.#sequenced.state;
    this.#sequenced = next;
    if (!changed) return;
    this.#show(urgent || !next.state?.playing);
    if (next.state?.ended && this.status !== 'ended') this.#finish('ended', null);
  }

  /**
   * Shows the newest state at the next animation frame (at once where there are none). A
   * hidden tab is shown nothing until it is visible again; a page whose animation frames
   * stall while visible (an occluded window) still gets it within FALLBACK_MS.
   */
  #show(urgent: boolean): void {
    const nextFrame = globalThis.requestAnimationFrame;
    // The first state at once: the page has nothing to draw before it.
    if (typeof nextFrame !== 'function' || typeof document === 'undefined' || this.state === null) {
      this.state = this.#sequenced.state;
      return;
    }
    if (this.#showPending) return;
    if (!urgent && this.role === 'student') {
      // A student's views take play frames at most every STUDENT_FRAME_MS (10 a second; the
      // server sends up to 20): a phone draws half as many, and what it shows is at most this
      // old. The socket worker hands the page only those (socket/frame-pacer.ts); a socket on
      // the page (no worker) hands over every frame, and the newest is shown at that pace.
      // Anything else (a pause, a step, a vote, a new setup) is shown at the next animation
      // frame, so the view shows the final state exactly when play stops. The host's console
      // and the projector, on laptops, draw every frame.
      const now = performance.now();
      // Paced (as every frame the socket worker hands over is: STUDENT_FRAME_MS after the
      // last): shown in the task that brought it, as a paused state is. A timer of its own was
      // one more task per state shown, with its fixed cost (bench:client's traces). Paced by
      // when frames come, not by when the last was shown: a phone's timers run late, and a
      // frame shown late by one then made the next look early, and the next, for as long as
      // play ran (a trace of phone-default: all 99 frames of 10 s shown by a timer).
      const paced = now - this.#playFrameAt >= STUDENT_FRAME_MS - DUE_EARLY_MS;
      this.#playFrameAt = now;
      if (paced && this.#frameTimer === null && document.visibilityState !== 'hidden') {
        this.#present();
        return;
      }
      const wait = Math.max(
        0,
        Math.min(STUDENT_FRAME_MS, STUDENT_FRAME_MS - (now - this.#shownAt)),
      );
      // Shown by a timer, not at an animation frame asked for then: the page renders at the
      // next frame anyway (a phone ×4 paid ~2 ms per state shown for a timer and a frame
      // request), and the paint worker's canvases, posted in the timer, are ready for that
      // frame (posted in the frame, they arrive after it and cost one more: traces of
      // bench:client).
      this.#frameTimer ??= setTimeout(() => {
        this.#frameTimer = null;
        if (this.#showPending) return;
        if (document.visibilityState === 'hidden') this.#show(true);
        else this.#present();
      }, wait);
      return;
    }
    if (this.#frameTimer !== null) {
      clearTimeout(this.#frameTimer);
      this.#frameTimer = null;
    }
    if (document.visibilityState === 'hidden') {
      this.#showPending = true;
      document.addEventListener('visibilitychange', () => this.#showNow(), { once: true });
      return;
    }
    this.#showPending = true;
    const timer = setTimeout(() => this.#showNow(), FALLBACK_MS);
    nextFrame(() => {
      clearTimeout(timer);
      this.#showNow();
    });
  }

  #showNow(): void {
    if (!this.#showPending) return;
    this.#showPending = false;
    this.#present();
  }

  /** Hands the views the newest state. */
  #present(): void {
    this.#shownAt = performance.now();
    this.state = this.#sequenced.state;
  }

  /**
   * A create or join refused: while the store is unavailable nothing was done, so it is
   * asked again (the page says why meanwhile); any other refusal is final.
   */
  #refused(error: ClientError): void {
    if (error.code === 'unavailable') {
      this.#retryLater('handshake', () => void this.#handshake());
      return;
    }
    this.#fail(error);
  }

  /** A refusal of create, join or resume: the status says which, problem says why. */
  #fail(error: ClientError): void {
    const status: ConnectionStatus =
      error.code === 'kicked'
        ? 'kicked'
        : error.code === 'locked'
          ? 'locked'
          : error.code === 'ended'
            ? 'ended'
            : error.code === 'not-found'
              ? 'not-found'
              : 'error';
    this.#finish(status, error);
  }

  #finish(status: ConnectionStatus, problem: ClientError | null): void {
    this.status = status;
    this.problem = problem;
    this.#clearRetry();
    this.#socket.disconnect();
    this.#settle(problem ? { ok: false, error: problem } : { ok: true });
  }

  #retryLater(
    kind: RetryKind,
    retry: () => void,
    delayMs = RETRY_MS * (0.5 + Math.random()),
  ): void {
    if (this.#timers[kind] !== undefined || FINAL.has(this.status)) return;
    this.#timers[kind] = setTimeout(() => {
      delete this.#timers[kind];
      if (!FINAL.has(this.status)) retry();
    }, delayMs);
  }

  #clearRetry(): void {
    for (const timer of Object.values(this.#timers)) clearTimeout(timer);
    this.#timers = {};
    if (this.#frameTimer !== null) clearTimeout(this.#frameTimer);
    this.#frameTimer = null;
  }
}

function failure(code: ClientErrorCode, message: string): { ok: false; error: ClientError } {
  return { ok: false, error: { code, message } };
}

function isResult(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return true;
  return (
    value.ok === false &&
    'error' in value &&
    typeof value.error === 'object' &&
    value.error !== null &&
    'message' in value.error
  );
}

/** A page's way to send a command and have a refusal shown to the person who asked. */
export type RunCommand = <C extends CommandName>(
  command: C,
  payload: Payload<C>,
) => Promise<SendResult<CommandReplies[C]>>;
