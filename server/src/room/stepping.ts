/**
 * host:step and the pieces play shares with it. A staged step that is open when a coarser
 * step or play is asked for is finished first (its remaining stages run and are
 * broadcast), so what the class was looking at completes before anything else happens.
 */
import { fail, type Result } from '@backprop/shared/protocol';
import type { Divergence } from '@backprop/shared/session';
import { checkTrainingBudget } from './recording-budget';
import type { TrainingContext } from './training-context';

/** An epoch runs in slices of this long, yielding in between so other rooms keep going. */
const EPOCH_SLICE_MS = 20;

type Granularity = 'stage' | 'sample' | 'batch' | 'epoch';

export async function hostStep(room: TrainingContext, granularity: Granularity): Promise<Result> {
  if (room.state.playing) return fail('busy', 'Pause training before stepping.');
  const budget = checkTrainingBudget(room);
  if (!budget.ok) return budget;
  if (granularity === 'stage') {
    return room.training.stagedStepOpen ? runOneStage(room) : openStagedStep(room);
  }
  const finished = finishStagedStep(room);
  if (!finished.ok) return finished;
  switch (granularity) {
    case 'sample':
      return wholeStep(room, 1);
    case 'batch':
      return wholeStep(room, room.state.hyper.batchSize);
    case 'epoch':
      return runEpoch(room);
  }
}

function openStagedStep(room: TrainingContext): Result {
  const { batchSize, learningRate } = room.state.hyper;
  const { trace, sample } = room.training.openStagedStep(batchSize, learningRate);
  room.record({ type: 'staged-step-opened', trace, sample });
  return { ok: true };
}

function runOneStage(room: TrainingContext): Result {
  const outcome = room.training.runStage();
  if (outcome.kind === 'diverged') return diverged(room, outcome.divergence);
  const { index, stage, patch } = outcome;
  room.record({ type: 'stage-ran', index, stage, patch });
  return { ok: true };
}

/** Runs the rest of an open staged step, if any, one broadcast stage at a time. */
export function finishStagedStep(room: TrainingContext): Result {
  while (room.training.stagedStepOpen) {
    const ran = runOneStage(room);
    if (!ran.ok) return ran;
  }
  return { ok: true };
}

function wholeStep(room: TrainingContext, batchSize: number): Result {
  const outcome = room.training.stepWithTrace(batchSize, room.state.hyper.learningRate);
  if (outcome.kind === 'diverged') return diverged(room, outcome.divergence);
  const { trace, sample, progress } = outcome;
  room.record({ type: 'stepped', trace, sample, progress });
  return { ok: true };
}

/** Steps until the sample order starts a new epoch; one 'progressed' event for all of them. */
async function runEpoch(room: TrainingContext): Promise<Result> {
  const { training } = room;
  const startEpoch = training.epoch;
  let steps = 0;
  let lossSum = 0;
  while (!training.epochEndedSince(startEpoch)) {
    const { batchSize, learningRate } = room.state.hyper;
    const sliceEnd = performance.now() + EPOCH_SLICE_MS;
    const ran = training.run(
      batchSize,
      learningRate,
      {
        maxSteps: Infinity,
        untilEpochEnds: true,
        shouldStop: () => performance.now() > sliceEnd,
      },
      lossSum,
    );
    steps += ran.steps;
    lossSum = ran.lossSum;
    if (ran.divergence) {
      recordProgress(room, steps, lossSum);
      return diverged(room, ran.divergence);
    }
    if (!training.epochEndedSince(startEpoch)) await yieldToEventLoop();
  }
  recordProgress(room, steps, lossSum);
  return { ok: true };
}

/** One 'progressed' event for `steps` accepted steps: one loss point, their mean. */
export function recordProgress(room: TrainingContext, steps: number, lossSum: number): void {
  if (steps === 0) return;
  const { training } = room;
  room.record({
    type: 'progressed',
    progress: training.progress([training.lossPoint(lossSum / steps)]),
  });
}

/** Records the divergence (which also pauses play) and answers the command with it. */
export function diverged(room: TrainingContext, divergence: Divergence): Result {
  // The rows the refused step took (a re-simulation takes the same): see the event's type.
  const { batchSize } = room.training.lastTrace;
  room.record({ type: 'diverged', divergence, batchSize });
  return fail(
    'diverged',
    `Step ${divergence.step} was refused at learning rate ${divergence.learningRate}: ${divergence.reason}.`,
  );
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
