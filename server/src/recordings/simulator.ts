/**
 * Re-simulates a session's training from its recorded events, with the very Training class
 * the live room uses: the seed gives the initial weights and the sample order, and each
 * event says which command ran (a step of which size, an epoch, a frame of N steps, a
 * reset, a weight edit…). Training is deterministic, so the re-simulation computes exactly
 * what the room computed.
 *
 * Two uses:
 * - verify (check: true): every training-bearing event is compared with what the
 *   re-simulation computes, and the first difference is reported;
 * - restore (check: false): a restarted server rebuilds a live room's Training at its
 *   last event — including what the public state does not hold (the position in the
 *   sample order, the first loss, an open staged step, full-precision weights after
 *   compact frames). Recorded full-precision networks are trusted there.
 */
import type { Dataset } from '@backprop/shared/data';
import { networkToArrays } from '@backprop/shared/nn';
import {
  applyEvent,
  compactNumbers,
  compactModelStats,
  compactNumber,
  compactParams,
  dataSeedOf,
  racePointEvery,
  type SessionEvent,
  type SessionState,
  type StepProgress,
  type TrainingSetup,
} from '@backprop/shared/session';
import { TrainingFork } from '../training/fork';
import { SetupError } from '../training/setup-error';
import { Training, type SetupChoice } from '../training/training';
import { firstDifference, type Difference } from './first-difference';

/** The dataset a setup trained on; throws CannotSimulate when it is not available. */
export type DatasetSource = (setup: TrainingSetup, seq: number) => Dataset;

/** The recording cannot be re-simulated at all (as opposed to: it diverges). */
export class CannotSimulate extends Error {
  override name = 'CannotSimulate';
}

/** Where the re-simulation and the recording first disagree. */
export interface Divergence extends Difference {
  seq: number;
  /** The session's step before the event. */
  step: number;
}

type Event<T extends SessionEvent['type']> = Extract<SessionEvent, { type: T }>;

interface RaceForks {
  raceId: string;
  forks: TrainingFork[];
}

export class TrainingSimulator {
  /** The public state after the last applied event (the shared reducer's). */
  state: SessionState;
  training: Training;
  /** The seq of the 'setup-changed' event (or the initial state) whose setup trains. */
  setupSeq: number;
  private race: RaceForks | null = null;

  /**
   * From the recording's initial state; or (`from`, restore only) from a Training already
   * put where `state` is (a checkpoint). Throws CannotSimulate when the recording does not
   * start at the beginning of training.
   */
  constructor(
    initial: SessionState,
    private readonly datasets: DatasetSource,
    private readonly check: boolean,
    from?: { training: Training; setupSeq: number },
  ) {
    this.state = initial;
    if (from) {
      this.training = from.training;
      this.setupSeq = from.setupSeq;
      return;
    }
    if (initial.step !== 0 || initial.trace !== null) {
      throw new CannotSimulate('cannot verify: the recording starts after training began');
    }
    this.training = this.build(initial.setup, initial.seq);
    this.setupSeq = initial.seq;
  }

  /**
   * The first difference between the recording's initial state and a fresh training of
   * its setup (the seed's weights, the fit), or null.
   */
  checkInitial(): Divergence | null {
    const { training, state } = this;
    const found =
      firstDifference(training.network(), state.network, 'initial.network') ??
      firstDifference(training.fit(), state.fit, 'initial.fit');
    return found && { seq: state.seq, step: 0, ...found };
  }

  /** Re-simulates `event`; returns where it differs from the re-simulation (check mode). */
  apply(event: SessionEvent): Divergence | null {
    const before = this.state;
    const found = this.simulate(event, before);
    this.state = applyEvent(before, event);
    return found;
  }

  private simulate(event: SessionEvent, state: SessionState): Divergence | null {
    switch (event.type) {
      case 'setup-changed':
        return this.setup(event, state);
      case 'reset':
        this.training.reset();
        this.race = null;
        return this.at(state, {
          network: [this.training.network(), event.network],
          fit: [this.training.fit(), event.fit],
        });
      case 'weight-edited': {
        const { layer, to, from, value } = event;
        if (!this.training.editWeight(layer, to, from, value)) {
          return this.mismatch(state, 'weight-edited', 'a weight of this network', event);
        }
        return this.at(state, { fit: [this.training.fit(), event.fit] });
      }
      case 'staged-step-opened': {
        const { batchSize, learningRate } = state.hyper;
        const opened = this.training.openStagedStep(batchSize, learningRate);
        return this.at(state, {
          trace: [opened.trace, event.trace],
          sample: [opened.sample, event.sample],
        });
      }
      case 'stage-ran':
        return this.stage(event, state);
      case 'stepped':
        return this.stepped(event, state);
      case 'progressed':
        return this.progressed(event, state);
      case 'frame':
        return this.frame(event, state);
      case 'diverged':
        return this.diverged(event, state);
      case 'race-started':
        return this.raceStarted(event, state);
      case 'race-progress':
        return this.raceProgress(event, state);
      case 'network-set':
        return this.networkSet(event, state);
      default:
        return null;
    }
  }

  private setup(event: Event<'setup-changed'>, state: SessionState): Divergence | null {
    try {
      this.training = this.build(event.setup, event.seq);
      this.setupSeq = event.seq;
    } catch (err) {
      if (!(err instanceof SetupError)) throw err;
      return this.mismatch(state, 'setup', 'a setup the server accepts', err.message);
    }
    this.race = null;
    const { training } = this;
    return this.at(state, {
      // A setup recorded before data seeds existed trained on data seed 1.
      setup: [training.setup, { ...event.setup, dataSeed: dataSeedOf(event.setup) }],
      network: [training.network(), event.network],
      fit: [training.fit(), event.fit],
    });
  }

  private stage(event: Event<'stage-ran'>, state: SessionState): Divergence | null {
    if (!this.training.stagedStepOpen) {
      return this.mismatch(state, 'stage-ran', 'an open staged step', 'none is open');
    }
    const outcome = this.training.runStage();
    if (outcome.kind === 'diverged') {
      return this.mismatch(state, 'stage-ran', outcome.divergence, 'an accepted stage');
    }
    return this.at(state, {
      index: [outcome.index, event.index],
      stage: [outcome.stage, event.stage],
      patch: [outcome.patch, event.patch],
    });
  }

  private stepped(event: Event<'stepped'>, state: SessionState): Divergence | null {
    // The recorded batch: 1 for a step by sample, the batch size (or fewer, at the end of an
    // epoch) for a step by batch. Asking for that many takes the same rows in every case.
    const outcome = this.training.stepWithTrace(event.trace.batchSize, state.hyper.learningRate);
    if (outcome.kind === 'diverged') {
      return this.mismatch(state, 'stepped', outcome.divergence, 'an accepted step');
    }
    if (!this.check) return null;
    return this.at(state, {
      trace: [outcome.trace, event.trace],
      sample: [outcome.sample, event.sample],
      progress: [outcome.progress, event.progress],
    });
  }

  /** An epoch, the steps of play before a divergence, or none (the exact state after play). */
  private progressed(event: Event<'progressed'>, state: SessionState): Divergence | null {
    const steps = event.progress.step - state.step;
    const ran = this.run(steps, state);
    if (typeof ran === 'object') return ran;
    if (!this.check) return null;
    const { training } = this;
    const loss = steps > 0 ? [training.lossPoint(slicedMean(ran / steps, event.progress))] : [];
    return this.at(state, { progress: [training.progress(loss), event.progress] });
  }

  private frame(event: Event<'frame'>, state: SessionState): Divergence | null {
    const steps = event.step - state.step;
    const ran = this.run(steps, state);
    if (typeof ran === 'object') return ran;
    if (!this.check) return null;
    const { training } = this;
    const test = training.testLoss();
    // Absent in both unless the setup regularizes or classifies plane points.
    const stats = compactModelStats(training.modelStats());
    return this.at(state, {
      step: [training.stepCount, event.step],
      epoch: [training.epoch, event.epoch],
      params: [event.params && compactParams(training.network()), event.params],
      loss: [compactNumber(ran / steps), event.loss],
      test: [test === null ? null : compactNumber(test), event.test],
      fit: [event.fit && compactNumbers(training.fit().predicted), event.fit],
      penalty: [stats.penalty, event.penalty],
      accuracy: [stats.accuracy, event.accuracy],
    });
  }

  /** Runs `steps` accepted steps at the state's settings; their loss sum, or the divergence. */
  private run(steps: number, state: SessionState): number | Divergence {
    if (!Number.isInteger(steps) || steps < 0) {
      return this.mismatch(state, 'step', `a step ≥ ${state.step}`, state.step + steps);
    }
    const { batchSize, learningRate } = state.hyper;
    const ran = this.training.run(batchSize, learningRate, {
      maxSteps: steps,
      untilEpochEnds: false,
      shouldStop: () => false,
    });
    if (ran.divergence) {
      return this.mismatch(state, 'steps', `${steps} accepted steps`, ran.divergence);
    }
    return ran.lossSum;
  }

  private diverged(event: Event<'diverged'>, state: SessionState): Divergence | null {
    const { training } = this;
    let refused;
    if (training.stagedStepOpen) {
      // The update of an open staged step (its other stages were recorded one by one).
      const outcome = training.runStage();
      refused = outcome.kind === 'diverged' ? outcome.divergence : null;
    } else {
      const batchSize = event.batchSize ?? state.hyper.batchSize;
      const ran = training.run(batchSize, state.hyper.learningRate, {
        maxSteps: 1,
        untilEpochEnds: false,
        shouldStop: () => false,
      });
      refused = ran.divergence;
    }
    if (!refused) return this.mismatch(state, 'divergence', 'an accepted step', event.divergence);
    return this.at(state, { divergence: [refused, event.divergence] });
  }

  private raceStarted(event: Event<'race-started'>, state: SessionState): Divergence | null {
    const { training } = this;
    if (this.check) {
      // One copy of the run per rate, as race.ts makes them: the same batches for all, and
      // the same loss points kept (every n-th step of a long race).
      const { batchSize, steps } = event;
      const every = racePointEvery(steps);
      const forks = event.rates.map(
        (rate) => new TrainingFork(training.forkPoint(), rate, batchSize, steps, every),
      );
      this.race = { raceId: event.raceId, forks };
    }
    return this.at(state, {
      batchSize: [state.hyper.batchSize, event.batchSize],
      fromStep: [state.step, event.fromStep],
    });
  }

  private raceProgress(event: Event<'race-progress'>, state: SessionState): Divergence | null {
    const race = this.race;
    if (!this.check || race?.raceId !== event.raceId) return null;
    const expected = race.forks.map((fork, k) => {
      const target = event.forks[k]?.stepsDone ?? fork.stepsDone;
      const loss = fork.run(() => fork.stepsDone >= target);
      // A fork that diverged tried one step more than it completed.
      if (event.forks[k]?.diverged && !fork.divergence) {
        let tries = 0;
        loss.push(...fork.run(() => tries++ > 0));
      }
      return { stepsDone: fork.stepsDone, loss, diverged: fork.divergence };
    });
    return this.at(state, { forks: [expected, event.forks] });
  }

  private networkSet(event: Event<'network-set'>, state: SessionState): Divergence | null {
    const { training } = this;
    if (!this.check) {
      // The adopted fork's exact weights are in the event.
      training.setNetwork(event.network);
      return null;
    }
    const fork =
      this.race?.raceId === event.source.raceId ? this.race.forks[event.source.fork] : null;
    if (!fork) return this.mismatch(state, 'network-set', 'a finished race fork', event.source);
    fork.run(() => false);
    training.setNetwork(networkToArrays(fork.network));
    return this.at(state, {
      network: [training.network(), event.network],
      fit: [training.fit(), event.fit],
    });
  }

  private build(setup: TrainingSetup, seq: number): Training {
    return new Training(choiceOf(setup), this.datasets(setup, seq));
  }

  /** The first of the given [expected, recorded] pairs that differ (none: null). */
  private at(state: SessionState, pairs: Record<string, [unknown, unknown]>): Divergence | null {
    if (!this.check) return null;
    for (const [name, [expected, actual]] of Object.entries(pairs)) {
      const found = firstDifference(expected, actual, name);
      if (found) return { seq: state.seq + 1, step: state.step, ...found };
    }
    return null;
  }

  private mismatch(
    state: SessionState,
    what: string,
    expected: unknown,
    actual: unknown,
  ): Divergence {
    return { seq: state.seq + 1, step: state.step, what, expected, actual };
  }
}

/**
 * The recorded mean loss when it is `mean` but for the order of the sum: a room used to sum
 * an epoch slice by slice (a sum per slice of time, then the slices), so its last bits
 * depended on timing. Every number the steps produced is still compared exactly.
 */
function slicedMean(mean: number, recorded: StepProgress): number {
  const train = recorded.loss[0]?.train;
  return train !== undefined && Math.abs(train - mean) <= 1e-12 * Math.abs(mean) ? train : mean;
}

/** The host's choice that made `setup` (everything Training needs but the dataset). */
export function choiceOf(setup: TrainingSetup): SetupChoice {
  return {
    datasetId: setup.datasetId,
    hidden: setup.layers.slice(1, -1),
    activations: [...setup.activations],
    trainBiases: setup.trainBiases,
    seed: setup.seed,
    dataSeed: dataSeedOf(setup),
    normalize: setup.normalize,
    testFraction: setup.testFraction,
    plane: setup.plane,
    regularization: setup.regularization,
  };
}
