import { describe, expect, test } from 'vitest';
import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import type { ApiResult, RecordingMeta, SeekTarget } from '../src/lib/replay/api';
import { ReplayPlayer } from '../src/lib/replay/player.svelte';
import { stateAt } from './fixture';

const T0 = 1_700_000_000_000;

/** A recorded session: event k renames the session "t{k}" and sets steps to k (for seekStep). */
function recording(times: number[]): { initial: SessionState; events: SessionEvent[] } {
  const events = times.map((t, k): SessionEvent => ({
    seq: k + 1,
    t: T0 + t,
    type: 'title-set',
    title: `t${k + 1}`,
  }));
  return { initial: stateAt(0, { title: 't0' }), events };
}

/** The server's side: answers from the whole recording, counting requests; can hold answers. */
class FakeApi {
  requests: string[] = [];
  hold = false;
  readonly held: (() => void)[] = [];
  constructor(
    readonly initial: SessionState,
    readonly recorded: SessionEvent[],
    readonly endedAt: number | null = T0 + 1e9,
  ) {}

  stateAtSeq(seq: number): SessionState {
    return this.recorded.slice(0, seq).reduce(applyEvent, this.initial);
  }

  #answer<T>(value: ApiResult<T>): Promise<ApiResult<T>> {
    if (!this.hold) return Promise.resolve(value);
    return new Promise((resolve) => this.held.push(() => resolve(value)));
  }

  meta(): Promise<ApiResult<RecordingMeta>> {
    this.requests.push('meta');
    const last = this.recorded.at(-1);
    return Promise.resolve({
      ok: true,
      value: {
        replayId: 'r',
        title: 'Test',
        createdAt: T0,
        endedAt: this.endedAt,
        durationMs: (last?.t ?? T0) - T0,
        steps: 0,
        participants: 0,
        dataset: { id: 'xor', title: 'XOR' },
        network: { layers: [2, 2, 1], activations: ['tanh', 'sigmoid'] },
        firstSeq: 0,
        lastSeq: this.recorded.length,
        firstT: T0,
        lastT: last?.t ?? T0,
        markers: [],
        stepIndex: [],
        idle: [],
      },
    });
  }

  state(_id: string, target: SeekTarget) {
    this.requests.push(`state ${JSON.stringify(target)}`);
    let seq = 0;
    if ('seq' in target) seq = target.seq;
    else if ('t' in target) seq = this.recorded.filter((e) => e.t <= target.t).length;
    return this.#answer({ ok: true as const, value: { seq, state: this.stateAtSeq(seq) } });
  }

  events(_id: string, after: number, limit: number) {
    this.requests.push(`events ${after}`);
    return this.#answer({
      ok: true as const,
      value: { events: this.recorded.filter((e) => e.seq > after).slice(0, limit) },
    });
  }
}

function playerFor(api: FakeApi) {
  return new ReplayPlayer('r', {
    api,
    now: () => 0,
    frame: () => 1,
    cancelFrame: () => {},
    idle: { thresholdMs: 2000, compressedMs: 500 },
    liveRefreshMs: 0,
  });
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ReplayPlayer', () => {
  test('loads the start state and the first events', async () => {
    const { initial, events } = recording([0, 100, 200]);
    const api = new FakeApi(initial, events);
    const player = playerFor(api);
    await player.load();
    expect(player.status).toBe('ready');
    expect(player.state?.title).toBe('t0');
    expect(player.time).toBe(T0);
    expect(api.requests).toEqual(['meta', 'state {"seq":0}', 'events 0']);
  });

  test('plays by applying the recorded events as their time comes', async () => {
    const { initial, events } = recording([0, 100, 200, 300]);
    const player = playerFor(new FakeApi(initial, events));
    await player.load();
    player.play();
    player.advanceBy(150);
    expect(player.state?.seq).toBe(2);
    expect(player.state?.title).toBe('t2');
    player.setSpeed(2);
    player.advanceBy(50); // 100 ms of recording
    expect(player.state?.seq).toBe(3);
    player.advanceBy(1000);
    expect(player.state?.seq).toBe(4);
    expect(player.playing).toBe(false); // the end
    expect(player.atEnd).toBe(true);
  });

  test('skipping idle stretches shortens a long gap', async () => {
    const { initial, events } = recording([0, 60_000]);
    const skipping = playerFor(new FakeApi(initial, events));
    await skipping.load();
    skipping.play();
    skipping.advanceBy(600);
    expect(skipping.state?.seq).toBe(2);

    const realTime = playerFor(new FakeApi(initial, events));
    await realTime.load();
    realTime.setSkipIdle(false);
    realTime.play();
    realTime.advanceBy(600);
    expect(realTime.state?.seq).toBe(1);
  });

  test('seeks within the cache without asking the server', async () => {
    const { initial, events } = recording([0, 100, 200, 300, 400]);
    const api = new FakeApi(initial, events);
    const player = playerFor(api);
    await player.load();
    api.requests = [];
    await player.seekSeq(4);
    expect(player.state?.title).toBe('t4');
    expect(player.time).toBe(T0 + 300);
    await player.seekTime(T0 + 150);
    expect(player.state?.seq).toBe(2);
    expect(player.time).toBe(T0 + 150);
    await player.previousEvent();
    expect(player.state?.seq).toBe(1);
    await player.nextEvent();
    await player.nextEvent();
    expect(player.state?.seq).toBe(3);
    expect(api.requests).toEqual([]);
  });

  test('a far seek asks the server, then streams the events after it', async () => {
    const times = Array.from({ length: 3000 }, (_, k) => k * 10);
    const { initial, events } = recording(times);
    const api = new FakeApi(initial, events);
    const player = playerFor(api);
    await player.load();
    api.requests = [];
    await player.seekSeq(2500);
    expect(player.state?.seq).toBe(2500);
    expect(player.state).toEqual(api.stateAtSeq(2500));
    expect(player.time).toBe(T0 + 2499 * 10);
    expect(api.requests).toEqual(['state {"seq":2500}', 'events 2499']);
    // Playing on uses the streamed events.
    player.play();
    player.advanceBy(25);
    expect(player.state?.seq).toBe(2502);
  });

  test('while a seek waits, the old state stays; an overtaken seek is not shown', async () => {
    const times = Array.from({ length: 3000 }, (_, k) => k * 10);
    const { initial, events } = recording(times);
    const api = new FakeApi(initial, events);
    const player = playerFor(api);
    await player.load();
    api.hold = true;
    const first = player.seekSeq(2000);
    const second = player.seekSeq(2900);
    await flush();
    expect(player.seeking).toBe(true);
    expect(player.state?.seq).toBe(0);
    // The server answers the older seek first: it must not be shown.
    api.hold = false;
    while (api.held.length) api.held.shift()!();
    await Promise.all([first, second]);
    await flush();
    expect(player.state?.seq).toBe(2900);
    expect(player.seeking).toBe(false);
  });

  test('a slider drag moves the playhead at once and seeks once it rests', async () => {
    const { initial, events } = recording([0, 100, 200, 300]);
    const api = new FakeApi(initial, events);
    const player = new ReplayPlayer('r', {
      api,
      now: () => 0,
      frame: () => 1,
      cancelFrame: () => {},
      liveRefreshMs: 0,
      dragDebounceMs: 5,
    });
    await player.load();
    player.preview(T0 + 250);
    expect(player.time).toBe(T0 + 250);
    expect(player.state?.seq).toBe(0); // not yet
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(player.state?.seq).toBe(3);
    await player.commit(T0 + 50);
    expect(player.state?.seq).toBe(1);
  });

  test('a recording that is not there', async () => {
    const player = new ReplayPlayer('missing', {
      api: {
        meta: () =>
          Promise.resolve({
            ok: false,
            problem: { status: 404, code: 'not-found', message: 'No such recording.' },
          }),
        state: () => Promise.reject(new Error('not called')),
        events: () => Promise.reject(new Error('not called')),
      },
      liveRefreshMs: 0,
    });
    await player.load();
    expect(player.status).toBe('not-found');
    expect(player.problem).toBe('No such recording.');
  });

  test('a live recording waits at its end instead of stopping', async () => {
    const { initial, events } = recording([0, 100]);
    const player = playerFor(new FakeApi(initial, events, null));
    await player.load();
    player.play();
    player.advanceBy(5000);
    expect(player.state?.seq).toBe(2);
    expect(player.playing).toBe(true);
  });
});
