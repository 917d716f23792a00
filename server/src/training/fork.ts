/**
 * A copy of a room's training run that trains on its own with another learning rate (a
 * learning-rate race): its own network and sample order, copied from the run at the fork,
 * the same prepared data, and the same rules as Training for refusing a step, so a fork
 * at rate α loses exactly what the session itself would lose stepping at α from there.
 */
import {
  gatherBatch,
  Trainer,
  type Network,
  type Regularization,
  type SampleOrder,
} from '@backprop/shared/nn';
import { LIMITS } from '@backprop/shared/protocol';
import type { Divergence, LossPoint } from '@backprop/shared/session';
import { checkBeforeUpdate, refusedUpdate } from './divergence';
import type { PreparedData } from './prepared-data';

export interface ForkPoint {
  network: Network;
  order: SampleOrder;
  data: PreparedData;
  step: number;
  firstLoss: number | null;
  /** The run's: a fork differs from it in the learning rate only. */
  regularization: Regularization | null;
}

export class TrainingFork {
  stepsDone = 0;
  /** Set at the first refused step; the fork trains no further. */
  divergence: Divergence | null = null;
  private readonly trainer: Trainer;
  private readonly order: SampleOrder;
  private readonly data: PreparedData;
  private readonly fromStep: number;
  private firstLoss: number | null;
  /** The last accepted step's point when it was not kept (see pointEvery). */
  private unsent: LossPoint | null = null;
  private readonly batchRows = new Uint32Array(LIMITS.maxBatchSize);
  private readonly batchX: Float64Array;
  private readonly batchY: Float64Array;

  constructor(
    point: ForkPoint,
    readonly rate: number,
    private readonly batchSize: number,
    private readonly steps: number,
    /** Keep the loss of every n-th step only (and the last), to bound what is streamed. */
    private readonly pointEvery = 1,
  ) {
    this.trainer = new Trainer(point.network, LIMITS.maxBatchSize);
    this.trainer.regularization = point.regularization;
    this.order = point.order;
    this.data = point.data;
    this.fromStep = point.step;
    this.firstLoss = point.firstLoss;
    const { dataset } = point.data;
    this.batchX = new Float64Array(LIMITS.maxBatchSize * dataset.inputs.length);
    this.batchY = new Float64Array(LIMITS.maxBatchSize * dataset.targets.length);
  }

  get done(): boolean {
    return this.divergence !== null || this.stepsDone >= this.steps;
  }

  /** The fork's network now (its final weights once done). */
  get network(): Network {
    return this.trainer.network;
  }

  /**
   * Steps until done or until `shouldStop()` (checked before each step); returns the loss
   * points of the accepted steps (every `pointEvery`-th, the last one, and the last before a
   * divergence): the batch loss before the update, as the session's chart has it.
   */
  run(shouldStop: () => boolean): LossPoint[] {
    const points: LossPoint[] = [];
    const { trainer } = this;
    while (!this.done && !shouldStop()) {
      this.begin();
      while (trainer.nextStage && trainer.nextStage.kind !== 'update') trainer.runStage();
      const step = this.fromStep + this.stepsDone;
      const loss = trainer.trace.loss;
      // The same order of checks as Training.update(): first loss, loss, then the kernel.
      if (step === 0 && this.firstLoss === null && Number.isFinite(loss)) this.firstLoss = loss;
      this.divergence = checkBeforeUpdate(trainer.trace, this.firstLoss, step + 1);
      if (!this.divergence) {
        trainer.runStage();
        const outcome = trainer.lastOutcome;
        if (!outcome || !outcome.ok) {
          this.divergence = refusedUpdate(outcome, trainer.trace, step + 1);
        }
      }
      if (this.divergence) break;
      this.stepsDone++;
      const point = { step: step + 1, train: loss, test: null };
      const kept = this.stepsDone % this.pointEvery === 0 || this.stepsDone === this.steps;
      if (kept) points.push(point);
      this.unsent = kept ? null : point;
    }
    // The curve reaches the last good step of a diverged fork.
    if (this.divergence && this.unsent) {
      points.push(this.unsent);
      this.unsent = null;
    }
    return points;
  }

  private begin(): void {
    const { train, dataset } = this.data;
    const count = this.order.nextBatch(
      Math.min(this.batchSize, LIMITS.maxBatchSize),
      this.batchRows,
    );
    gatherBatch(train.x, dataset.inputs.length, this.batchRows, count, this.batchX);
    gatherBatch(train.y, dataset.targets.length, this.batchRows, count, this.batchY);
    this.trainer.begin(this.batchX, this.batchY, count, this.rate);
  }
}
