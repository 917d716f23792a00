/**
 * Continuous play: training runs on a server timer at hyper.speed steps per second, and
 * the class sees at most MAX_FRAMES_PER_SECOND 'frame' events whatever the speed (each
 * one compact: the network, one loss point — the mean batch loss of the frame's steps —
 * and the fit at most once a second; see frames.ts).
 */
import type { Logger } from 'pino';
import { FIT_EVERY_MS, recordFrame, settle } from './frames';
import { diverged, recordProgress } from './stepping';
import type { Room } from './room';

export const MAX_FRAMES_PER_SECOND = 20;
const FRAME_MS = 1000 / MAX_FRAMES_PER_SECOND;
/** Training may use this much of each frame; a network too big for the speed runs slower. */
const FRAME_BUDGET_MS = FRAME_MS / 2;
/** After a stall (a long epoch, a busy machine) at most this much time is caught up. */
const MAX_CATCH_UP_MS = 250;

export class PlayLoop {
  private timer: NodeJS.Timeout | null = null;
  /** Bumped by start and stop, so a frame queued by an old run does nothing. */
  private generation = 0;
  private lastFrameAt = 0;
  /** When the next frame is due (performance.now()): frames keep a fixed cadence. */
  private nextFrameAt = 0;
  /** Steps due but not yet run (fractions carry over to the next frame). */
  private owed = 0;
  /** When a frame last carried the fit (performance.now()). */
  private lastFitAt = -Infinity;

  constructor(
    private readonly room: Room,
    private readonly logger: Logger,
  ) {}

  private active = false;

  /** Whether frames are scheduled (between start and stop, or a divergence). */
  get running(): boolean {
    return this.active;
  }

  start(): void {
    this.stop();
    this.active = true;
    this.lastFrameAt = performance.now();
    this.nextFrameAt = this.lastFrameAt + FRAME_MS;
    this.owed = 0;
    this.lastFitAt = -Infinity;
    this.schedule(this.generation);
  }

  stop(): void {
    this.active = false;
    this.generation++;
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
        this.room.run(() => this.frame(generation)).catch((err: unknown) => this.failed(err));
      },
      Math.max(0, this.nextFrameAt - now),
    );
  }

  private frame(generation: number): void {
    const { room } = this;
    if (generation !== this.generation) return;
    if (!room.state.playing || room.state.ended) {
      this.stop();
      return;
    }
    const now = performance.now();
    const { speed, batchSize, learningRate } = room.state.hyper;
    this.owed += (speed * Math.min(now - this.lastFrameAt, MAX_CATCH_UP_MS)) / 1000;
    this.lastFrameAt = now;
    const due = Math.floor(this.owed);
    const deadline = now + FRAME_BUDGET_MS;
    const ran = room.training.run(batchSize, learningRate, {
      maxSteps: due,
      untilEpochEnds: false,
      shouldStop: () => performance.now() > deadline,
    });
    // Steps the budget did not allow are dropped, not owed forever.
    this.owed = ran.steps < due ? 0 : this.owed - ran.steps;
    if (ran.divergence) {
      // Play stops here: the steps before the refused one with the exact network and fit.
      // When the refused step was the frame's first (at a few steps a second, most frames
      // run one step), the state still holds the last frame's rounded network and a fit up
      // to a second old: settle records the exact ones.
      if (ran.steps > 0) recordProgress(room, ran.steps, ran.lossSum);
      else settle(room);
      diverged(room, ran.divergence);
      this.stop();
      return;
    }
    // Half a frame early rather than a frame late: the plot is never more than a second old.
    const withFit = now - this.lastFitAt >= FIT_EVERY_MS - FRAME_MS / 2;
    if (withFit && ran.steps > 0) this.lastFitAt = now;
    recordFrame(room, ran.steps, ran.lossSum, withFit);
    this.nextFrameAt += FRAME_MS;
    this.schedule(generation);
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
