import type { SessionEvent, StagePatch, StepProgress } from './events';
import { networkFromParams } from './compact';
import { regularizationPenalty } from '../nn/regularization';
import { fitOfStep, type Accuracy, type SessionState, type TraceView } from './state';
import { isParticipationEvent, type ParticipationEventType } from './participation/events';
import { participationEffects, reduceParticipation } from './participation/reducer';
import { appendLoss } from './loss-history';

/**
 * The one reducer: public state + event → next public state. Pure and total over valid
 * events; it never mutates its inputs, so a client can keep old states (the replay's
 * keyframes) and Svelte sees a new object on every change.
 */
export function applyEvent(state: SessionState, event: SessionEvent): SessionState {
  const next = reduce(state, event);
  return next === state ? { ...state, seq: event.seq } : { ...next, seq: event.seq };
}

export function applyEvents(state: SessionState, events: Iterable<SessionEvent>): SessionState {
  let current = state;
  for (const event of events) current = applyEvent(current, event);
  return current;
}

function reduce(state: SessionState, event: SessionEvent): SessionState {
  const next = isParticipationEvent(event)
    ? showCardsOnNewRound(reduceParticipation(state, event), event.type)
    : participationEffects(reduceCore(state, event), event);
  // A whole new network is current again (a weight edit changes one weight of the old one).
  const replaced = next.network !== state.network && event.type !== 'weight-edited';
  const current = replaced && next.networkStep !== undefined ? withoutNetworkStep(next) : next;
  // Steps and frames say what their network's penalty and accuracy are; any other new
  // network (a setup, a reset, an edit, an adopted race fork) has its penalty worked out
  // here and no accuracy until the next step.
  return next.network !== state.network && !carriesModelStats(event)
    ? withModelStats(current, networkPenalty(current), undefined)
    : current;
}

function carriesModelStats(event: SessionEvent): boolean {
  return (
    event.type === 'stepped' ||
    event.type === 'progressed' ||
    event.type === 'frame' ||
    (event.type === 'stage-ran' && event.patch.kind === 'update')
  );
}

function networkPenalty(state: SessionState): number | undefined {
  const reg = state.setup.regularization;
  return reg ? regularizationPenalty(reg, state.network.weights) : undefined;
}

/** state.penalty and state.accuracy as given: absent when undefined (older states have none). */
function withModelStats(
  state: SessionState,
  penalty: number | undefined,
  accuracy: Accuracy | undefined,
): SessionState {
  if (state.penalty === penalty && state.accuracy === accuracy) return state;
  return { ...withoutModelStats(state), ...modelStats(penalty, accuracy) };
}

// Keys dropped by leaving them out of a copy, not by `delete` on it: a deleted key turns the
// copy into a hash table (V8's dictionary mode), a larger object made at every frame.
function withoutModelStats(state: SessionState): Omit<SessionState, 'penalty' | 'accuracy'> {
  const { penalty: _penalty, accuracy: _accuracy, ...rest } = state;
  return rest;
}

function modelStats(
  penalty: number | undefined,
  accuracy: Accuracy | undefined,
): Pick<SessionState, 'penalty' | 'accuracy'> {
  return {
    ...(penalty !== undefined && { penalty }),
    ...(accuracy !== undefined && { accuracy }),
  };
}

function withoutNetworkStep(state: SessionState): SessionState {
  const { networkStep: _networkStep, ...rest } = state;
  return rest;
}

/** A new vote, quiz or race is something the class must see: the projector shows its card. */
function showCardsOnNewRound(state: SessionState, type: ParticipationEventType): SessionState {
  const opens = type === 'vote-opened' || type === 'quiz-opened' || type === 'race-started';
  if (!opens || state.classView.cards) return state;
  return { ...state, classView: { ...state.classView, cards: true } };
}

function reduceCore(
  state: SessionState,
  event: Exclude<SessionEvent, { type: ParticipationEventType }>,
): SessionState {
  switch (event.type) {
    case 'participant-joined':
      return {
        ...state,
        participants: [
          ...state.participants.filter((p) => p.id !== event.participant.id),
          event.participant,
        ],
      };
    case 'participant-connection':
      return {
        ...state,
        participants: state.participants.map((p) =>
          p.id === event.id ? { ...p, connected: event.connected } : p,
        ),
      };
    case 'participant-kicked':
      return { ...state, participants: state.participants.filter((p) => p.id !== event.id) };
    case 'host-connection':
      return { ...state, hostConnected: event.connected };
    case 'locked':
      return { ...state, locked: event.locked };
    case 'ended':
      return { ...state, ended: true, playing: false };
    case 'title-set':
      return { ...state, title: event.title };
    case 'setup-changed':
      return {
        ...startOver(state),
        // The focused weight or unit may not exist in the new architecture.
        classView: { ...state.classView, focus: null },
        setup: event.setup,
        hyper: event.hyper,
        network: event.network,
        fit: fitOfStep(event.fit, 0),
        loss: [],
        rateMarks: [{ step: 0, learningRate: event.hyper.learningRate }],
      };
    case 'hyper-changed': {
      const rateChanged = event.hyper.learningRate !== state.hyper.learningRate;
      return {
        ...state,
        hyper: event.hyper,
        rateMarks: rateChanged
          ? [...state.rateMarks, { step: state.step, learningRate: event.hyper.learningRate }]
          : state.rateMarks,
      };
    }
    case 'reset':
      return {
        ...startOver(state),
        network: event.network,
        fit: fitOfStep(event.fit, 0),
        loss: [],
        rateMarks: [{ step: 0, learningRate: state.hyper.learningRate }],
      };
    case 'weight-edited':
      return {
        ...state,
        network: withWeight(state, event.layer, event.to, event.from, event.value),
        fit: fitOfStep(event.fit, state.step),
        stageIndex: 0,
        lastStage: null,
        trace: null,
      };
    case 'staged-step-opened':
      return {
        ...state,
        trace: event.trace,
        // The step being opened: its prediction is from before its update.
        sample: { ...event.sample, step: state.step + 1 },
        stageIndex: 0,
        lastStage: null,
      };
    case 'stage-ran':
      return applyStage(state, event.index, event.stage, event.patch);
    case 'stepped':
      return {
        ...withProgress(state, event.progress),
        trace: event.trace,
        sample: { ...event.sample, step: event.progress.step },
        stageIndex: 0,
        lastStage: null,
      };
    case 'progressed':
      return {
        ...withProgress(state, event.progress),
        stageIndex: 0,
        lastStage: null,
        trace: null,
      };
    case 'frame':
      return {
        ...withoutModelStats(state),
        ...modelStats(event.penalty, event.accuracy),
        step: event.step,
        epoch: event.epoch,
        ...(event.params
          ? { network: networkFromParams(state.setup.layers, event.params) }
          : { networkStep: state.networkStep ?? state.step }),
        // Without new predictions the fit stays that of an earlier step (FitView.step says which).
        fit:
          event.fit && state.fit
            ? { ...state.fit, predicted: event.fit, step: event.step }
            : state.fit,
        loss: appendLoss(state.loss, [
          {
            step: event.step,
            train: event.loss,
            test: event.test,
            ...(event.penalty !== undefined && { penalty: event.penalty }),
            ...(event.accuracy && { accuracy: event.accuracy }),
          },
        ]),
        diverged: null,
        stageIndex: 0,
        lastStage: null,
        trace: null,
      };
    case 'class-view-set':
      return { ...state, classView: event.classView };
    case 'marker':
      // Markers live in the recording's timeline (recording/markers.ts), not in the state.
      return state;
    case 'play-changed':
      return { ...state, playing: event.playing, diverged: event.playing ? null : state.diverged };
    case 'diverged':
      return {
        ...state,
        playing: false,
        diverged: event.divergence,
        stageIndex: 0,
        trace: state.trace && { ...state.trace, weightsAfter: null, biasesAfter: null },
      };
  }
}

function startOver(state: SessionState): SessionState {
  return {
    ...state,
    step: 0,
    epoch: 0,
    playing: false,
    stageIndex: 0,
    lastStage: null,
    trace: null,
    sample: null,
    diverged: null,
  };
}

function withWeight(state: SessionState, layer: number, to: number, from: number, value: number) {
  const weights = state.network.weights.map((matrix, l) =>
    l !== layer
      ? matrix
      : matrix.map((row, j) => (j !== to ? row : row.map((w, i) => (i === from ? value : w)))),
  );
  return { ...state.network, weights };
}

function withProgress(state: SessionState, progress: StepProgress): SessionState {
  return {
    ...withoutModelStats(state),
    ...modelStats(progress.penalty, progress.accuracy),
    step: progress.step,
    epoch: progress.epoch,
    network: progress.network,
    fit: fitOfStep(progress.fit, progress.step),
    loss: appendLoss(state.loss, progress.loss),
    diverged: null,
  };
}

function applyStage(
  state: SessionState,
  index: number,
  stage: SessionState['lastStage'],
  patch: StagePatch,
): SessionState {
  const trace = state.trace;
  if (!trace) return state;
  const lastStage = stage;
  const stageIndex = patch.kind === 'update' ? 0 : index + 1;
  switch (patch.kind) {
    case 'forward':
      return {
        ...state,
        stageIndex,
        lastStage,
        trace: {
          ...trace,
          z: replaceAt(trace.z, patch.layer, patch.z),
          a: replaceAt(trace.a, patch.layer + 1, patch.a),
        },
      };
    case 'error':
      return {
        ...state,
        stageIndex,
        lastStage,
        trace: {
          ...trace,
          error: patch.error,
          sampleLoss: patch.sampleLoss,
          batchLoss: patch.batchLoss,
        },
        sample: state.sample && { ...state.sample, prediction: patch.prediction },
      };
    case 'backward':
      return {
        ...state,
        stageIndex,
        lastStage,
        trace: {
          ...trace,
          delta: replaceAt(trace.delta, patch.layer, patch.delta),
          gradWeights: replaceAt(trace.gradWeights, patch.layer, patch.gradWeights),
          gradBiases: replaceAt(trace.gradBiases, patch.layer, patch.gradBiases),
        },
      };
    case 'update': {
      const done: TraceView = {
        ...trace,
        weightsAfter: patch.progress.network.weights,
        biasesAfter: patch.progress.network.biases,
      };
      return { ...withProgress(state, patch.progress), stageIndex, lastStage, trace: done };
    }
  }
}

function replaceAt<T>(list: T[], index: number, value: T): T[] {
  const copy = list.slice();
  copy[index] = value;
  return copy;
}
