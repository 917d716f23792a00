/**
 * Runs a learning-rate race beside the room: the forks train in slices of a few
 * milliseconds, yielding to the event loop between slices so that this room's commands
 * and every other room keep going, and their progress is recorded as one race-progress
 * event (all forks) at most every FRAME_MS, like play's frames. The forks are copies, so
 * the training happens outside the room's queue; only the recording goes through it.
 */
import type { Logger } from 'pino';
import type { LossPoint } from '@backprop/shared/session';
import type { TrainingFork } from '../../training/fork';
import { RoomStoppedError } from '../room-stopped';
import type { TrainingContext } from '../training-context';

/** What a race needs of its room: where to record its progress, and the room's queue. */
export interface RaceRoom extends Pick<TrainingContext, 'code' | 'state' | 'record'> {
  run<T>(task: () => T | Promise<T>): Promise<T>;
}

/** At most 20 progress events a second. */
export const RACE_FRAME_MS = 50;
/** Compute per slice before yielding (shared by the forks still running). */
const SLICE_MS = 8;

export class RaceRunner {
  private stopped = false;
  private finished = false;

  constructor(
    private readonly room: RaceRoom,
    private readonly logger: Logger,
    readonly raceId: string,
    readonly forks: TrainingFork[],
  ) {}

  /** Training or about to record its end. */
  get running(): boolean {
    return !this.stopped && !this.finished;
  }

  /** Starts in the background; a failure is logged and ends the race as cancelled. */
  start(): void {
    this.loop().catch((err: unknown) => {
      // A stopped room (its commit failed) is not the race's failure: logged there.
      if (!(err instanceof RoomStoppedError)) {
        this.logger.error({ err, code: this.room.code }, 'race failed');
      }
      this.stopped = true;
      this.room
        .run(() => {
          if (this.isCurrent()) {
            this.room.record({ type: 'race-ended', raceId: this.raceId, status: 'cancelled' });
          }
        })
        .catch(() => undefined);
    });
  }

  /** Stops training (the caller records the end, or the reducer already did). */
  stop(): void {
    this.stopped = true;
  }

  private async loop(): Promise<void> {
    let pending: LossPoint[][] = this.forks.map(() => []);
    let lastEmit = performance.now();
    while (!this.stopped) {
      const active = this.forks.filter((fork) => !fork.done).length;
      if (active === 0) break;
      for (const [k, fork] of this.forks.entries()) {
        if (fork.done) continue;
        const end = performance.now() + SLICE_MS / active;
        pending[k] = pending[k]!.concat(fork.run(() => performance.now() > end));
      }
      const done = this.forks.every((fork) => fork.done);
      const since = performance.now() - lastEmit;
      // The last progress keeps the pace too: it waits out the rest of its frame.
      if (done && since < RACE_FRAME_MS) await sleep(RACE_FRAME_MS - since);
      if (done || since >= RACE_FRAME_MS) {
        const points = pending;
        pending = this.forks.map(() => []);
        await this.room.run(() => this.recordProgress(points));
        lastEmit = performance.now();
      }
      if (!done) await nextTurn();
    }
    await this.room.run(() => {
      if (this.stopped || !this.isCurrent()) return;
      this.finished = true;
      this.room.record({ type: 'race-ended', raceId: this.raceId, status: 'finished' });
    });
  }

  private recordProgress(points: LossPoint[][]): void {
    // A reset, a new setup or the end of the session ended the race meanwhile.
    if (!this.isCurrent()) {
      this.stopped = true;
      return;
    }
    this.room.record({
      type: 'race-progress',
      raceId: this.raceId,
      forks: this.forks.map((fork, k) => ({
        stepsDone: fork.stepsDone,
        loss: points[k]!,
        diverged: fork.divergence,
      })),
    });
  }

  private isCurrent(): boolean {
    const race = this.room.state.participation.race;
    return race?.id === this.raceId && race.status === 'running' && !this.room.state.ended;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
