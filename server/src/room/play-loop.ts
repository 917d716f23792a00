/**
 * Continuous play: training runs on a server timer at hyper.speed steps per second, and
 * the class sees at most MAX_FRAMES_PER_SECOND 'frame' events whatever the speed (each
 * one compact and bounded: see frames.ts). Each frame's training fits in the room's fair
 * share of the server's CPU (play-cpu.ts); the recording's budget ends play
 * (recording-budget.ts).
 */
import type { Logger } from 'pino';
import { FramePacer, recordFrame, settle } from './frames';
import { ROOM_SLICE_MS, type PlayCpu } from './play-cpu';
import { BUDGET_MARKER, TRAINING_BUDGET_BYTES } from './recording-budget';
import { diverged, recordProgress } from './stepping';
import type { TrainingContext } from './training-context';

export const MAX_FRAMES_PER_SECOND = 20;
const FRAME_MS = 1000 / MAX_FRAMES_PER_SECOND;
/** After a stall (a long epoch, a busy machine) at most this much time is caught up. */
const MAX_CATCH_UP_MS = 250;

/** What play needs of its room: training and recording, and its place in the room's queue. */
export interface PlayContext extends TrainingContext {
  run<T>(task: () => T | Promise<T>): Promise<T>;
}

export class PlayLoop {
  private timer: NodeJS.Timeout | null = null;
  /** Bumped by start and stop, so a frame queued by an old run does nothing. */
  private generation = 0;
  private lastFrameAt = 0;
  /** When the next frame is due (performance.now()): frames keep a fixed cadence. */
  private nextFrameAt = 0;
  /** Steps due but not yet run (fractions carry over to the next frame). */
  private owed = 0;
  /**
   * CPU time (ms) this room may still use: one slice is added per frame, never more than
   * one is saved up, and a frame that cost more than its slice leaves it negative, so the
   * next frames train less (or not at all) until it is paid back.
   */
  private balance = 0;
  /** What a frame costs besides training (the frame event, commit, broadcast), smoothed. */
  private overheadMs = 0;
  private readonly pacer = new FramePacer();

  constructor(
    private readonly room: PlayContext,
    private readonly cpu: PlayCpu,
    private readonly logger: Logger,
  ) {}

  private active = false;

  /** Whether frames are scheduled (between start and stop, or a divergence). */
  get running(): boolean {
    return this.active;
  }

  /**
   * Starts frames, if the server's play share admits this room (`address`: the host's, for
   * the per-address cap; null when no one asked, as after a restart).
   */
  start(address: string | null = null): ReturnType<PlayCpu['admit']> {
    this.stop();
    const admitted = this.cpu.admit(this.room.code, address);
    if (!admitted.ok) return admitted;
    this.active = true;
    this.lastFrameAt = performance.now();
    this.nextFrameAt = this.lastFrameAt + FRAME_MS;
    this.owed = 0;
    this.balance = 0;
    this.pacer.reset();
    this.schedule(this.generation);
    return admitted;
  }

  stop(): void {
    this.active = false;
    this.generation++;
    this.cpu.release(this.room.code);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Frames keep a fixed cadence: each is due one period after the previous one was due, so
   * timer lateness on a busy server (a broadcast to 2000 sockets takes a while) does not add
   * up and the class still gets 20 frames a second. A frame never runs before it is due;
   * behind by more than a period (a stall), the cadence restarts from now instead of
   * bunching frames together, so any one second holds at most one frame more than 20.
   */
  private schedule(generation: number): void {
    const now = performance.now();
    if (now - this.nextFrameAt > FRAME_MS) this.nextFrameAt = now;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        const started = performance.now();
        this.room
          .run(() => this.frame(generation))
          .then((trainedMs) => this.charge(performance.now() - started, trainedMs))
          .catch((err: unknown) => this.failed(err));
      },
      Math.max(0, this.nextFrameAt - now),
    );
  }

  /**
   * A frame held the event loop `costMs` in all (its task, the commit, the broadcast: what
   * every other room waited for), `trainedMs` of it training: the balance pays for it. A
   * debt is capped at one room slice, so one slow frame (a pause of the whole process)
   * does not stop a room for long.
   */
  private charge(costMs: number, trainedMs: number): void {
    this.balance = Math.max(-ROOM_SLICE_MS, this.balance - costMs);
    this.overheadMs = 0.8 * this.overheadMs + 0.2 * Math.max(0, costMs - trainedMs);
  }

  /** Runs one frame; returns the time it trained (ms). */
  private frame(generation: number): number {
    const { room } = this;
    if (generation !== this.generation) return 0;
    if (!room.state.playing || room.state.ended) {
      this.stop();
      return 0;
    }
    if (room.recordedBytes >= TRAINING_BUDGET_BYTES) {
      this.stop();
      room.record({ type: 'marker', label: BUDGET_MARKER });
      room.record({ type: 'play-changed', playing: false });
      return 0;
    }
    const now = performance.now();
    const { speed, batchSize, learningRate } = room.state.hyper;
    this.owed += (speed * Math.min(now - this.lastFrameAt, MAX_CATCH_UP_MS)) / 1000;
    this.lastFrameAt = now;
    const slice = this.cpu.sliceMs();
    this.balance = Math.min(slice, this.balance + slice);
    const trainMs = this.balance - this.overheadMs;
    const due = trainMs > 0 ? Math.floor(this.owed) : 0;
    const deadline = now + trainMs;
    const ran = room.training.run(batchSize, learningRate, {
      maxSteps: due,
      untilEpochEnds: false,
      shouldStop: () => performance.now() > deadline,
    });
    const trainedMs = performance.now() - now;
    // Steps the budget did not allow are dropped, not owed forever.
    this.owed = ran.steps < due || due === 0 ? this.owed % 1 : this.owed - ran.steps;
    if (ran.divergence) {
      // Play stops here: the steps before the refused one with the exact network and fit.
      // When the refused step was the frame's first (at a few steps a second, most frames
      // run one step), the state still holds the last frame's rounded network and a fit up
      // to a second old: settle records the exact ones.
      if (ran.steps > 0) recordProgress(room, ran.steps, ran.lossSum);
      else settle(room);
      diverged(room, ran.divergence);
      this.stop();
      return trainedMs;
    }
    if (ran.steps > 0) {
      recordFrame(room, ran.steps, ran.lossSum, this.pacer.next(now, room.state.setup.layers));
    }
    this.nextFrameAt += FRAME_MS;
    this.schedule(generation);
    return trainedMs;
  }

  /** A frame threw (a bug): stop, and tell the class that play has stopped. */
  private failed(err: unknown): void {
    this.logger.error({ err, code: this.room.code }, 'play frame failed; play stopped');
    this.stop();
    this.room
      .run(() => {
        if (this.room.state.playing) this.room.record({ type: 'play-changed', playing: false });
      })
      .catch((again: unknown) => this.logger.error({ err: again }, 'could not record the stop'));
  }
}
