/**
 * An hour (or `minutes`) of continuous play of the default session (houses, 3-4-1,
 * batch 16) at 1000 steps/s and 20 frames/s, recorded through the real Room, StoreEventLog
 * and SQLite store, without waiting an hour: each frame is exactly what PlayLoop.frame
 * does (Training.run for the frame's steps, then recordFrame, the fit every 20th frame, in
 * one room task, committed at its end), only the clock is injected and moved 50 ms a frame.
 */
import { pino } from 'pino';
import { settle, recordFrame } from '../../server/src/room/frames';
import type { Room } from '../../server/src/room/room';
import { SessionRegistry } from '../../server/src/sessions/registry';
import type { SessionRecord, Store } from '../../server/src/store';

export const FPS = 20;
export const SPEED = 1000;

export interface RecordedHour {
  record: SessionRecord;
  room: Room;
  frames: number;
  seconds: number;
}

export async function recordPlay(store: Store, minutes: number): Promise<RecordedHour> {
  const clock = { t: Date.UTC(2026, 10, 28, 9, 0, 0), now: () => clock.t };
  const sessions = new SessionRegistry({
    clock,
    logger: pino({ level: 'silent' }),
    store,
    broadcast: () => undefined,
  });
  const { room } = sessions.create('An hour of play');
  const started = performance.now();
  await room.run(() => {
    room.record({ type: 'hyper-changed', hyper: { ...room.state.hyper, speed: SPEED } });
    room.record({ type: 'play-changed', playing: true });
  });
  const frames = Math.round(minutes * 60 * FPS);
  const stepsPerFrame = SPEED / FPS;
  for (let frame = 0; frame < frames; frame++) {
    clock.t += 1000 / FPS;
    await room.run(() => {
      const { batchSize, learningRate } = room.state.hyper;
      const ran = room.training.run(batchSize, learningRate, {
        maxSteps: stepsPerFrame,
        untilEpochEnds: false,
        shouldStop: () => false,
      });
      recordFrame(room, ran.steps, ran.lossSum, frame % FPS === 0);
    });
  }
  await room.run(() => {
    settle(room);
    room.record({ type: 'play-changed', playing: false });
  });
  sessions.stopAll();
  return {
    record: store.session(room.code)!,
    room,
    frames,
    seconds: (performance.now() - started) / 1000,
  };
}
