/**
 * Where a training step stands, stage by stage, read from the public state alone (so a
 * replay shows the same as the live session).
 */
import { stagesOf, type NetworkSpec, type Stage } from '@backprop/shared/nn';
import type { SessionState, TrainingSetup } from '@backprop/shared/session';
import { stageText } from './notation';

/**
 * done: ran in this step. current: ran last, its values are the ones highlighted.
 * next: runs when the instructor steps. pending: later. refused: the update was refused
 * because training diverged.
 */
export type StageStatus = 'done' | 'current' | 'next' | 'pending' | 'refused';

export interface StageItem {
  stage: Stage;
  label: string;
  status: StageStatus;
}

export function specOf(setup: TrainingSetup): NetworkSpec {
  return { layers: setup.layers, activations: setup.activations, trainBiases: setup.trainBiases };
}

export function sameStage(a: Stage | null | undefined, b: Stage | null | undefined): boolean {
  if (!a || !b || a.kind !== b.kind) return false;
  return !('layer' in a) || !('layer' in b) || a.layer === b.layer;
}

/**
 * The stages of a step of `state`'s network, each labelled and marked. Without a trace
 * (idle, or continuous play, which keeps none) every stage is pending: then it is one list
 * per setup, the same at every state, so that the stage track's list stays unchanged
 * through play rather than being labelled and drawn again at every state it is shown.
 */
export function stageItems(state: SessionState): readonly StageItem[] {
  if (!state.trace) {
    const known = IDLE_ITEMS.get(state.setup);
    if (known) return known;
    const items = Object.freeze(labelled(state));
    IDLE_ITEMS.set(state.setup, items);
    return items;
  }
  return labelled(state);
}

/** stageItems without a trace, by setup (a setup object is kept until the setup changes). */
const IDLE_ITEMS = new WeakMap<TrainingSetup, readonly StageItem[]>();

function labelled(state: SessionState): StageItem[] {
  const stages = stagesOf(specOf(state.setup));
  const statusOf = stageStatuses(state, stages);
  return stages.map((stage, k) => ({
    stage,
    label: stageText(stage, state.setup.layers),
    status: statusOf(k),
  }));
}

/**
 * True when the last step computed every gradient and its update was refused because
 * training diverged. (A step opened after a divergence has no gradients yet, and one in
 * progress has stageIndex > 0, so neither is mistaken for it.)
 */
export function stepRefused(state: SessionState): boolean {
  const { trace } = state;
  return (
    state.diverged !== null &&
    trace !== null &&
    trace.weightsAfter === null &&
    state.stageIndex === 0 &&
    trace.gradWeights.every((g) => g !== null)
  );
}

function stageStatuses(state: SessionState, stages: Stage[]): (k: number) => StageStatus {
  const { trace, lastStage, stageIndex } = state;
  const last = stages.length - 1;
  // No step open (idle, or continuous play, which keeps no trace): nothing to highlight.
  if (!trace) return () => 'pending';
  if (stepRefused(state)) {
    return (k) => (k === last ? 'refused' : k === last - 1 ? 'current' : 'done');
  }
  if (trace.weightsAfter) {
    // A finished step: by stages (lastStage is the update) or whole (lastStage is null).
    return (k) => (k === last && lastStage ? 'current' : 'done');
  }
  // A staged step in progress: stageIndex stages have run.
  return (k) =>
    k < stageIndex - 1
      ? 'done'
      : k === stageIndex - 1
        ? 'current'
        : k === stageIndex
          ? 'next'
          : 'pending';
}

export interface StageHighlight {
  current: Stage | null;
  next: Stage | null;
}

/** Nothing highlighted: one object, so that a derived of it stays unchanged through play. */
const NO_HIGHLIGHT: StageHighlight = Object.freeze({ current: null, next: null });

/**
 * The stage that ran last and the one that runs next, for the diagram's highlight. Without
 * the labels of stageItems: the diagram reads this at every state of play (which has no
 * trace, so nothing to highlight), and naming every stage each time was garbage for a
 * phone's collector.
 */
export function currentAndNext(state: SessionState): StageHighlight {
  if (!state.trace) return NO_HIGHLIGHT;
  const stages = stagesOf(specOf(state.setup));
  const statusOf = stageStatuses(state, stages);
  const current = stages.find((_, k) => statusOf(k) === 'current') ?? null;
  const next = stages.find((_, k) => statusOf(k) === 'next') ?? null;
  return current || next ? { current, next } : NO_HIGHLIGHT;
}
