/**
 * Continuous play: training runs on a server timer at hyper.speed steps per second, and
 * the class sees at most MAX_FRAMES_PER_SECOND 'progressed' events whatever the speed
 * (each one carries the network, the fit and one loss point: the mean batch loss of the
 * frame's steps).
 */
import type { Logger } from 'pino';
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
  /** Steps due but not yet run (fractions carry over to the next frame). */
  private owed = 0;

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
    this.owed = 0;
    this.schedule(this.generation);
  }

  stop(): void {
    this.active = false;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Frames run at least FRAME_MS apart (measured from when each began to run, so a frame
   * delayed by a long command does not bunch up with the next): the wait is a frame minus
   * the time this one took.
   */
  private schedule(generation: number, frameStartedAt = performance.now()): void {
    const wait = Math.max(0, FRAME_MS - (performance.now() - frameStartedAt));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.room.run(() => this.frame(generation)).catch((err: unknown) => this.failed(err));
    }, wait);
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
    recordProgress(room, ran.steps, ran.lossSum);
    if (ran.divergence) {
      diverged(room, ran.divergence);
      this.stop();
      return;
    }
    this.schedule(generation, now);
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
