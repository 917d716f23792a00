/**
 * An hour (or `minutes`) of continuous play of the default session (houses, 3-4-1,
 * batch 16), or of another network (`hidden`), at 1000 steps/s and 20 frames/s, recorded
 * through the real Room, StoreEventLog and SQLite store, without waiting an hour: each
 * frame is what PlayLoop.frame does (Training.run for the frame's steps, then recordFrame
 * with the FramePacer's contents, in one room task, committed at its end), only the clock
 * is injected and moved 50 ms a frame. A big network may train fewer steps a frame
 * (`stepsPerFrame`): a frame's size does not depend on how many steps it holds.
 */
import { pino } from 'pino';
import { FramePacer, settle, recordFrame } from '../../server/src/room/frames';
import { hostSetup } from '../../server/src/room/host-commands';
import type { Room } from '../../server/src/room/room';
import { SessionRegistry } from '../../server/src/sessions/registry';
import type { AsyncStore, SessionRecord } from '../../server/src/store';

export const FPS = 20;
export const SPEED = 1000;

export interface RecordedHour {
  record: SessionRecord;
  room: Room;
  frames: number;
  seconds: number;
}

export interface PlayOptions {
  /** Hidden layer sizes; the default session's [4] when left out. */
  hidden?: number[];
  stepsPerFrame?: number;
}

export async function recordPlay(
  store: AsyncStore,
  minutes: number,
  options: PlayOptions = {},
): Promise<RecordedHour> {
  const clock = { t: Date.UTC(2026, 10, 28, 9, 0, 0), now: () => clock.t };
  const sessions = new SessionRegistry({
    clock,
    logger: pino({ level: 'silent' }),
    store,
    broadcast: () => undefined,
  });
  const { room } = await sessions.create('An hour of play');
  const started = performance.now();
  const { hidden } = options;
  if (hidden) {
    await room.run(() => {
      const { setup } = room.state;
      const setupDone = hostSetup(room, {
        datasetId: 'houses',
        hidden,
        activations: [...hidden.map(() => 'tanh' as const), 'linear' as const],
        trainBiases: setup.trainBiases,
        seed: setup.seed,
        normalize: setup.normalize,
        testFraction: setup.testFraction,
      });
      if (!setupDone.ok) throw new Error(setupDone.error.message);
    });
  }
  await room.run(() => {
    room.record({ type: 'hyper-changed', hyper: { ...room.state.hyper, speed: SPEED } });
    room.record({ type: 'play-changed', playing: true });
  });
  const frames = Math.round(minutes * 60 * FPS);
  const stepsPerFrame = options.stepsPerFrame ?? SPEED / FPS;
  const pacer = new FramePacer();
  for (let frame = 0; frame < frames; frame++) {
    clock.t += 1000 / FPS;
    await room.run(() => {
      const { batchSize, learningRate } = room.state.hyper;
      const ran = room.training.run(batchSize, learningRate, {
        maxSteps: stepsPerFrame,
        untilEpochEnds: false,
        shouldStop: () => false,
      });
      recordFrame(room, ran.steps, ran.lossSum, pacer.next(clock.t, room.state.setup.layers));
    });
  }
  await room.run(() => {
    settle(room);
    room.record({ type: 'play-changed', playing: false });
  });
  sessions.stopAll();
  return {
    record: (await store.session(room.code))!,
    room,
    frames,
    seconds: (performance.now() - started) / 1000,
  };
}
