/**
 * What recording costs live play: two rooms play the default session at 1000 steps/s with
 * the real PlayLoop and real timers, one committing to the SQLite store on disk (WAL,
 * synchronous = NORMAL, as in production), one with the in-memory event log. They take
 * turns (a few rounds of a few seconds each, so both see the same machine), and each
 * round's steps per second is counted. The store's commits are timed as they happen.
 */
import { pino } from 'pino';
import { hostPlay } from '../../server/src/room/host-commands';
import type { Room } from '../../server/src/room/room';
import { MemoryEventLog } from '../../server/src/room/event-log';
import { SessionRegistry } from '../../server/src/sessions/registry';
import type { AsyncStore } from '../../server/src/store';
import { SPEED } from './hour';

export interface PlayCost {
  roundSeconds: number;
  rounds: number;
  stepsPerSecond: { store: number[]; memory: number[] };
  framesPerSecond: { store: number[]; memory: number[] };
  /** Commits (one transaction per frame) and their duration. */
  commits: number;
  commitMs: { mean: number; p99: number; max: number };
}

export async function measurePlayCost(
  store: AsyncStore,
  rounds: number,
  roundSeconds: number,
): Promise<PlayCost> {
  const durations: number[] = [];
  const timed = new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'appendEvents') {
        return async (...args: Parameters<AsyncStore['appendEvents']>) => {
          const started = performance.now();
          const bytes = await target.appendEvents(...args);
          durations.push(performance.now() - started);
          return bytes;
        };
      }
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
  });
  const logger = pino({ level: 'silent' });
  const clock = { now: () => Date.now() };
  const recorded = new SessionRegistry({ clock, logger, store: timed, broadcast: () => {} });
  const unrecorded = new SessionRegistry({
    clock,
    logger,
    createLog: () => new MemoryEventLog(),
    broadcast: () => {},
  });
  const rooms = {
    store: (await recorded.create('store')).room,
    memory: (await unrecorded.create('memory')).room,
  };
  for (const room of Object.values(rooms)) {
    await room.run(() =>
      room.record({ type: 'hyper-changed', hyper: { ...room.state.hyper, speed: SPEED } }),
    );
  }
  const result: PlayCost = {
    roundSeconds,
    rounds,
    stepsPerSecond: { store: [], memory: [] },
    framesPerSecond: { store: [], memory: [] },
    commits: 0,
    commitMs: { mean: 0, p99: 0, max: 0 },
  };
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['store', 'memory'] as const) {
      const { steps, frames } = await playFor(rooms[kind], roundSeconds);
      result.stepsPerSecond[kind].push(steps / roundSeconds);
      result.framesPerSecond[kind].push(frames / roundSeconds);
    }
  }
  recorded.stopAll();
  unrecorded.stopAll();
  const sorted = [...durations].sort((a, b) => a - b);
  result.commits = durations.length;
  result.commitMs = {
    mean: durations.reduce((sum, d) => sum + d, 0) / Math.max(durations.length, 1),
    p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
    max: sorted.at(-1) ?? 0,
  };
  return result;
}

/** Plays for `seconds`; the steps taken and the frames recorded meanwhile. */
async function playFor(room: Room, seconds: number): Promise<{ steps: number; frames: number }> {
  await room.run(() => hostPlay(room, true));
  const from = { step: room.state.step, seq: room.state.seq };
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  // Read before pausing: the pause records an event of its own.
  const steps = room.state.step - from.step;
  const frames = room.state.seq - from.seq;
  await room.run(() => hostPlay(room, false));
  return { steps, frames };
}
