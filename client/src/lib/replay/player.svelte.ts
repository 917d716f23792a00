/**
 * The replay player: shows a recorded session as the class saw it, fed by the same reducer
 * (`applyEvent`) from the recorded events. It never re-simulates training.
 *
 * Seeking asks the server for the state at a point (a keyframe plus a bounded number of
 * events, server-side) unless the cache can reach it with a few events it already holds;
 * then it streams the events that follow in chunks, fetching ahead while playing. The
 * shown state stays until the new one arrives, and a seek overtaken by a newer one is
 * dropped (its state is kept in the cache).
 *
 * Time is the recording's own (server event times); the pure clock (./clock) says how far
 * it moves per frame at the chosen speed, with idle stretches compressed or not.
 */
import type { TimelineMarker } from '@backprop/shared/recording';
import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import type { RecordingMeta, RecordingsApi, SeekTarget } from './api';
import { ReplayCache, type CacheLimits } from './cache';
import { advance, dueCount, IDLE_SKIP, SPEEDS, type IdleSkip } from './clock';

export type PlayerStatus = 'loading' | 'ready' | 'not-found' | 'error';

export interface PlayerDeps {
  api: Pick<RecordingsApi, 'meta' | 'state' | 'events'>;
  /** A monotonic clock in ms (performance.now). */
  now?: () => number;
  /** Runs `callback` before the next paint (requestAnimationFrame). */
  frame?: (callback: () => void) => number;
  cancelFrame?: (handle: number) => void;
  cache?: Partial<CacheLimits>;
  idle?: IdleSkip;
  /** How often a live (not yet ended) recording's summary is fetched again; 0 = never. */
  liveRefreshMs?: number;
  /** How long a slider drag rests before its seek is sent. */
  dragDebounceMs?: number;
}

/** Events per /events request. */
export const CHUNK = 1000;
/** Fetch the next chunk when fewer events than this are buffered ahead of the playhead. */
export const LOW_WATER = 600;
/** The most events applied in one frame (the rest wait for the next frame). */
const MAX_EVENTS_PER_FRAME = 256;
/** A frame after a long pause (a hidden tab) counts as this long at most. */
const MAX_FRAME_MS = 250;

export class ReplayPlayer {
  readonly replayId: string;
  status: PlayerStatus = $state('loading');
  /** Why the recording could not be opened, or why the last seek failed. */
  problem: string | null = $state(null);
  meta: RecordingMeta | null = $state.raw(null);
  /** The shown state: replaced, never mutated. */
  state: SessionState | null = $state.raw(null);
  /** The playhead, in recording time (ms since the epoch, like event times). */
  time = $state(0);
  playing = $state(false);
  speed: number = $state(1);
  skipIdle = $state(true);
  /** A seek waits for the server; the last state stays on screen meanwhile. */
  seeking = $state(false);
  /** Playback waits for events still being fetched. */
  buffering = $state(false);

  readonly #api: PlayerDeps['api'];
  readonly #now: () => number;
  readonly #frame: (callback: () => void) => number;
  readonly #cancelFrame: (handle: number) => void;
  readonly #idle: IdleSkip | undefined;

  /** How idle stretches are shortened when skipped (the timeline draws them the same way). */
  get idle(): IdleSkip {
    return this.#idle ?? IDLE_SKIP;
  }
  readonly #cache: ReplayCache;
  readonly #liveRefreshMs: number;
  readonly #dragDebounceMs: number;
  /** Time of the event the shown state is at (where the current gap between events began). */
  #gapStart = 0;
  /** Counts seeks: an answer for an older one is not shown. */
  #seekToken = 0;
  #fetching: Promise<void> | null = null;
  /** After a failed fetch, the next waits a moment (the frames would ask 60 times a second). */
  #retryAt = 0;
  #frameHandle: number | null = null;
  #lastFrame = 0;
  #dragging = false;
  #dragTimer: ReturnType<typeof setTimeout> | null = null;
  #liveTimer: ReturnType<typeof setInterval> | null = null;
  #destroyed = false;

  constructor(replayId: string, deps: PlayerDeps) {
    this.replayId = replayId;
    this.#api = deps.api;
    this.#now = deps.now ?? (() => performance.now());
    this.#frame = deps.frame ?? ((callback) => requestAnimationFrame(callback));
    this.#cancelFrame = deps.cancelFrame ?? ((handle) => cancelAnimationFrame(handle));
    this.#idle = deps.idle;
    this.#cache = new ReplayCache(deps.cache);
    this.#liveRefreshMs = deps.liveRefreshMs ?? 5000;
    this.#dragDebounceMs = deps.dragDebounceMs ?? 150;
  }

  /** The seq of the shown state. */
  get seq(): number {
    return this.state?.seq ?? this.meta?.firstSeq ?? 0;
  }

  /** Milliseconds from the start of the recording to the playhead. */
  get position(): number {
    return this.meta ? this.time - this.meta.firstT : 0;
  }

  get duration(): number {
    return this.meta ? Math.max(0, this.meta.lastT - this.meta.firstT) : 0;
  }

  get atEnd(): boolean {
    return !!this.meta && this.seq >= this.meta.lastSeq && this.time >= this.meta.lastT;
  }

  /** Fetches the summary and the state at the start, then the first events. */
  async load(): Promise<void> {
    const reply = await this.#api.meta(this.replayId);
    if (this.#destroyed) return;
    if (!reply.ok) {
      this.status = reply.problem.status === 404 ? 'not-found' : 'error';
      this.problem = reply.problem.message;
      return;
    }
    const meta = reply.value;
    this.meta = meta;
    this.time = meta.firstT;
    this.#gapStart = meta.firstT;
    const start = await this.#api.state(this.replayId, { seq: meta.firstSeq });
    if (this.#destroyed) return;
    if (!start.ok) {
      this.status = start.problem.status === 404 ? 'not-found' : 'error';
      this.problem = start.problem.message;
      return;
    }
    this.#cache.addState(start.value.state);
    this.#show(start.value.state, meta.firstT);
    this.status = 'ready';
    await this.#fetchAhead();
    if (meta.endedAt === null && this.#liveRefreshMs > 0) {
      this.#liveTimer = setInterval(() => void this.refreshMeta(), this.#liveRefreshMs);
    }
  }

  /** Fetches the summary again: a live recording grows (new events, markers, steps). */
  async refreshMeta(): Promise<void> {
    const reply = await this.#api.meta(this.replayId);
    if (this.#destroyed || !reply.ok) return;
    this.meta = reply.value;
    if (reply.value.endedAt !== null && this.#liveTimer !== null) {
      clearInterval(this.#liveTimer);
      this.#liveTimer = null;
    }
    void this.#fetchAhead();
  }

  destroy(): void {
    this.#destroyed = true;
    this.#stopFrames();
    if (this.#dragTimer !== null) clearTimeout(this.#dragTimer);
    if (this.#liveTimer !== null) clearInterval(this.#liveTimer);
  }

  // --- Playback ------------------------------------------------------------------------

  play(): void {
    if (this.status !== 'ready' || this.playing) return;
    // At the end of an ended recording, Play starts again; a live one waits for more instead.
    if (this.atEnd && this.meta && this.meta.endedAt !== null) {
      void this.seekSeq(this.meta.firstSeq, this.meta.firstT);
    }
    this.playing = true;
    this.#lastFrame = this.#now();
    this.#frameHandle = this.#frame(this.#tick);
  }

  pause(): void {
    this.playing = false;
    this.buffering = false;
    this.#stopFrames();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    if ((SPEEDS as readonly number[]).includes(speed)) this.speed = speed;
  }

  setSkipIdle(skip: boolean): void {
    this.skipIdle = skip;
  }

  /**
   * Moves the playhead by `wallMs` of playback. The animation frames call it; tests call
   * it directly.
   */
  advanceBy(wallMs: number): void {
    const meta = this.meta;
    const state = this.state;
    if (!meta || !state || this.seeking || this.#dragging) return;
    const ahead = this.#cache.eventsAfter(state.seq, MAX_EVENTS_PER_FRAME);
    const reachesEnd = state.seq + ahead.length >= meta.lastSeq;
    const times = ahead.map((event) => event.t);
    const moved = advance(
      {
        t: this.time,
        gapStart: this.#gapStart,
        upcoming: times,
        // A live recording is never complete: at its end the playhead waits for more.
        complete: reachesEnd && meta.endedAt !== null,
        endT: meta.lastT,
        wallMs,
      },
      { speed: this.speed, skipIdle: this.skipIdle, idle: this.#idle },
    );
    const due = dueCount(times, moved.t);
    if (due > 0) this.#apply(ahead.slice(0, due));
    this.time = moved.t;
    this.buffering = moved.stalled && !reachesEnd && ahead.length < MAX_EVENTS_PER_FRAME;
    if (moved.ended) this.pause();
    void this.#fetchAhead();
  }

  readonly #tick = (): void => {
    this.#frameHandle = null;
    if (!this.playing || this.#destroyed) return;
    const now = this.#now();
    const wall = Math.min(MAX_FRAME_MS, Math.max(0, now - this.#lastFrame));
    this.#lastFrame = now;
    this.advanceBy(wall);
    if (this.playing) this.#frameHandle = this.#frame(this.#tick);
  };

  #stopFrames(): void {
    if (this.#frameHandle !== null) this.#cancelFrame(this.#frameHandle);
    this.#frameHandle = null;
  }

  // --- Seeking ---------------------------------------------------------------------------

  /** Shows the state after event `seq`; `t` places the playhead (the event's time by default). */
  async seekSeq(seq: number, t?: number): Promise<void> {
    const meta = this.meta;
    if (!meta) return;
    const target = clamp(Math.round(seq), meta.firstSeq, meta.lastSeq);
    const knownT = t ?? this.#timeOfSeq(target);
    const local = this.#cache.stateAt(target);
    if (local) {
      this.#seekToken++;
      this.seeking = false;
      this.#show(local, knownT ?? this.time);
      void this.#fetchAhead();
      return;
    }
    await this.#serverSeek({ seq: target }, knownT);
  }

  /** Puts the playhead at recording time `t` and shows the state current then. */
  async seekTime(t: number): Promise<void> {
    const meta = this.meta;
    if (!meta) return;
    const target = clamp(t, meta.firstT, meta.lastT);
    const seq = this.#cache.seqAtTime(target, this.seq, meta);
    const local = seq === null ? null : this.#cache.stateAt(seq);
    if (local) {
      this.#seekToken++;
      this.seeking = false;
      this.#show(local, target);
      void this.#fetchAhead();
      return;
    }
    await this.#serverSeek({ t: target }, target);
  }

  /** The first moment training has taken `step` steps. */
  async seekStep(step: number): Promise<void> {
    const meta = this.meta;
    if (!meta) return;
    const exact = meta.stepIndex.find(([s]) => s === step);
    if (exact) return this.seekSeq(exact[1]);
    await this.#serverSeek({ step: Math.max(0, Math.round(step)) }, undefined);
  }

  seekMarker(marker: TimelineMarker): Promise<void> {
    return this.seekSeq(marker.seq, marker.t);
  }

  /** One recorded event on: applied from the cache when it is there (no round trip). */
  async nextEvent(): Promise<void> {
    this.pause();
    const meta = this.meta;
    const state = this.state;
    if (!meta || !state || state.seq >= meta.lastSeq) return;
    const event = this.#cache.event(state.seq + 1);
    if (event && !this.seeking) {
      this.#seekToken++;
      this.#apply([event]);
      this.time = event.t;
      void this.#fetchAhead();
      return;
    }
    await this.seekSeq(state.seq + 1);
  }

  /** One recorded event back. */
  async previousEvent(): Promise<void> {
    this.pause();
    const meta = this.meta;
    if (!meta || this.seq <= meta.firstSeq) return;
    await this.seekSeq(this.seq - 1);
  }

  /** A slider being dragged: move the playhead now, seek once the drag rests. */
  preview(t: number): void {
    const meta = this.meta;
    if (!meta) return;
    this.#dragging = true;
    this.time = clamp(t, meta.firstT, meta.lastT);
    if (this.#dragTimer !== null) clearTimeout(this.#dragTimer);
    this.#dragTimer = setTimeout(() => {
      this.#dragTimer = null;
      // A drag that rests counts as let go (a lost pointer never sends 'change').
      this.#dragging = false;
      this.#lastFrame = this.#now();
      void this.seekTime(this.time);
    }, this.#dragDebounceMs);
  }

  /** The slider was let go (or moved by a key): seek there now. */
  commit(t: number): Promise<void> {
    if (this.#dragTimer !== null) clearTimeout(this.#dragTimer);
    this.#dragTimer = null;
    this.#dragging = false;
    this.#lastFrame = this.#now();
    return this.seekTime(t);
  }

  // --- Internals -------------------------------------------------------------------------

  async #serverSeek(target: SeekTarget, knownT: number | undefined): Promise<void> {
    const token = ++this.#seekToken;
    this.seeking = true;
    const reply = await this.#api.state(this.replayId, target);
    if (this.#destroyed) return;
    if (reply.ok) this.#cache.addState(reply.value.state);
    if (token !== this.#seekToken) return; // a newer seek took over
    if (!reply.ok) {
      this.seeking = false;
      this.problem = reply.problem.message;
      return;
    }
    const { seq, state } = reply.value;
    let t = knownT ?? this.#timeOfSeq(seq);
    if (t === undefined) {
      // The playhead belongs at the time of event `seq`: fetch from it on, which also fills
      // the buffer ahead.
      await this.#fetchEvents(seq - 1);
      if (token !== this.#seekToken || this.#destroyed) return;
      t = this.#timeOfSeq(seq) ?? this.time;
    }
    this.problem = null;
    this.seeking = false;
    this.#show(state, t);
    this.#lastFrame = this.#now();
    void this.#fetchAhead();
  }

  #show(state: SessionState, t: number): void {
    this.problem = null;
    this.state = state;
    this.#gapStart = this.#timeOfSeq(state.seq) ?? t;
    this.time = t;
  }

  /** Applies recorded events to the shown state (the live clients' reducer, nothing else). */
  #apply(events: readonly SessionEvent[]): void {
    let state = this.state;
    if (!state) return;
    for (const event of events) {
      if (event.seq !== state.seq + 1) break;
      state = applyEvent(state, event);
      this.#cache.addState(state);
      this.#gapStart = event.t;
    }
    this.state = state;
  }

  #timeOfSeq(seq: number): number | undefined {
    const meta = this.meta;
    if (meta && seq <= meta.firstSeq) return meta.firstT;
    return this.#cache.event(seq)?.t;
  }

  /** Keeps LOW_WATER events buffered ahead of the playhead; one request at a time. */
  async #fetchAhead(): Promise<void> {
    const meta = this.meta;
    if (!meta || this.#fetching || this.#destroyed || this.#now() < this.#retryAt) return;
    const end = this.#cache.contiguousEnd(this.seq);
    if (end >= meta.lastSeq || end - this.seq >= LOW_WATER) return;
    await this.#fetchEvents(end);
    // Still short (a small chunk, the playhead ran ahead): go on.
    const after = this.#cache.contiguousEnd(this.seq);
    if (after > end && after < (this.meta?.lastSeq ?? 0) && after - this.seq < LOW_WATER) {
      await this.#fetchAhead();
    }
  }

  async #fetchEvents(after: number): Promise<void> {
    while (this.#fetching) await this.#fetching;
    const run = (async () => {
      const reply = await this.#api.events(this.replayId, after, CHUNK);
      if (!reply.ok) this.#retryAt = this.#now() + 2000;
      if (!reply.ok || this.#destroyed) return;
      this.#cache.addEvents(reply.value.events);
      this.#cache.prune(this.seq);
    })();
    this.#fetching = run;
    try {
      await run;
    } finally {
      if (this.#fetching === run) this.#fetching = null;
    }
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
