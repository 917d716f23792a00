/**
 * Continuous play: training runs in frames at up to hyper.speed steps per second, and the
 * class sees at most 20 'frame' events a second whatever the speed (each one compact and
 * bounded: see frames.ts). The server's play scheduler (play-cpu.ts) runs each frame in
 * turn with the other playing rooms' and decides how long it may train: the room's fair
 * share of the CPU. The recording's budget ends play (recording-budget.ts).
 */
import type { Logger } from 'pino';
import { FIT_EVERY_MS, FramePacer, recordFrame, settle } from './frames';
import type { FrameCost, PlayCpu, Player } from './play-cpu';
import { BUDGET_MARKER, mayRecord, TRAINING_BUDGET_BYTES } from './recording-budget';
import { RoomStoppedError } from './room-stopped';
import { diverged, recordProgress } from './stepping';
import type { TrainingContext } from './training-context';

/** After a stall (a long epoch, a busy machine) at most this much time is caught up. */
const MAX_CATCH_UP_MS = 250;
/**
 * The fit (the prediction of every plotted row) may take at most this fraction of a room's
 * CPU share: once a second for the default network, less often for a big network while
 * many rooms play (twenty rooms of the largest: every few seconds), so the plot is paid
 * for by the room that shows it and does not leave it no time to train.
 */
const FIT_SHARE = 0.25;

/** What play needs of its room: training and recording, and its place in the room's queue. */
export interface PlayContext extends TrainingContext {
  run<T>(task: () => T | Promise<T>): Promise<T>;
}

export class PlayLoop implements Player {
  /** Bumped by start and stop, so a frame queued by an old run does nothing. */
  private generation = 0;
  private lastFrameAt = 0;
  /** Steps due but not yet run (fractions carry over to the next frame). */
  private owed = 0;
  private readonly pacer = new FramePacer();
  /** What a frame with the fit costs (ms), smoothed: see FIT_SHARE. */
  private fitFrameMs = 0;

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
   * the per-address cap; null when no one asked, as after a restart). The scheduler
   * (play-cpu.ts) decides when each frame runs and how long it may train.
   */
  start(address: string | null = null): ReturnType<PlayCpu['admit']> {
    this.stop();
    const admitted = this.cpu.admit(this.room.code, address, this);
    if (!admitted.ok) return admitted;
    this.active = true;
    this.lastFrameAt = performance.now();
    this.owed = 0;
    this.pacer.reset(this.lastFrameAt);
    this.fitFrameMs = 0;
    return admitted;
  }

  stop(): void {
    this.active = false;
    this.generation++;
    this.cpu.release(this.room.code);
  }

  /**
   * One frame, in the room's queue, training at most `trainMs`: what it cost is measured
   * from the moment the task starts (not while it waits behind the room's commands) until
   * its events are committed and broadcast, which is what every other room waited for.
   */
  frame(trainMs: number): Promise<FrameCost> {
    const generation = this.generation;
    let started = 0;
    let trainedMs = 0;
    return this.room
      .run(() => {
        started = performance.now();
        trainedMs = this.runFrame(generation, trainMs);
      })
      .then(
        () => ({ costMs: performance.now() - started, trainedMs }),
        (err: unknown) => {
          this.failed(err);
          throw err;
        },
      );
  }

  /** Runs one frame; returns the time it trained (ms). */
  private runFrame(generation: number, trainMs: number): number {
    const { room } = this;
    if (generation !== this.generation) return 0;
    if (!room.state.playing || room.state.ended) {
      this.stop();
      return 0;
    }
    if (room.recordedBytes >= TRAINING_BUDGET_BYTES) {
      this.stop();
      // The marker is a tick on the timeline: past the hard cap, play just stops.
      if (mayRecord('marker', room.recordedBytes)) {
        room.record({ type: 'marker', label: BUDGET_MARKER });
      }
      room.record({ type: 'play-changed', playing: false });
      return 0;
    }
    const now = performance.now();
    const { speed, batchSize, learningRate } = room.state.hyper;
    this.owed += (speed * Math.min(now - this.lastFrameAt, MAX_CATCH_UP_MS)) / 1000;
    this.lastFrameAt = now;
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
      const fitEveryMs = Math.max(
        FIT_EVERY_MS,
        this.fitFrameMs / (FIT_SHARE * this.cpu.roomShare()),
      );
      const contents = this.pacer.next(now, room.state.setup.layers, fitEveryMs);
      const recording = performance.now();
      recordFrame(room, ran.steps, ran.lossSum, contents);
      if (contents.fit) {
        const cost = performance.now() - recording;
        this.fitFrameMs = this.fitFrameMs === 0 ? cost : 0.7 * this.fitFrameMs + 0.3 * cost;
      }
    }
    return trainedMs;
  }

  /**
   * A frame threw (a bug): stop, and tell the class that play has stopped. Unless the room
   * itself has stopped (its commit failed): it records nothing more, and the room brought
   * back from the store in its place plays on if it was playing (sessions/registry.ts).
   */
  private failed(err: unknown): void {
    if (err instanceof RoomStoppedError) {
      this.stop();
      return;
    }
    this.logger.error({ err, code: this.room.code }, 'play frame failed; play stopped');
    this.stop();
    this.room
      .run(() => {
        if (this.room.state.playing) this.room.record({ type: 'play-changed', playing: false });
      })
      .catch((again: unknown) => this.logger.error({ err: again }, 'could not record the stop'));
  }
}
