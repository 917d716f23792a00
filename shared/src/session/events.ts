import type { Stage } from '../nn/stages';
import type { ParticipationEventBody } from './participation/events';
import type { ClassView } from './class-view';
import type {
  Accuracy,
  Divergence,
  FitView,
  Hyperparameters,
  LossPoint,
  NetworkValues,
  Participant,
  SampleView,
  TraceView,
  TrainingSetup,
} from './state';

/** What one stage of a staged step computed (the values of the shown sample). */
export type StagePatch =
  | { kind: 'forward'; layer: number; z: number[]; a: number[] }
  | {
      kind: 'error';
      error: number[];
      sampleLoss: number;
      batchLoss: number;
      /** The shown sample's prediction in the data's units. */
      prediction: number[];
    }
  | {
      kind: 'backward';
      layer: number;
      delta: number[];
      gradWeights: number[][];
      gradBiases: number[];
    }
  | { kind: 'update'; progress: StepProgress };

/** The result of completed training steps: where training is now. */
export interface StepProgress {
  step: number;
  epoch: number;
  network: NetworkValues;
  /** New loss points (one per step, or one per frame while playing). */
  loss: LossPoint[];
  fit: FitView | null;
  /** λ·R(w) of `network`; absent: 0. */
  penalty?: number;
  /** Of `network`, classification plane data sets only. */
  accuracy?: Accuracy;
}

/** Every change to a session, in order. The union is discriminated on `type`. */
export type SessionEventBody =
  | { type: 'participant-joined'; participant: Participant }
  | { type: 'participant-connection'; id: string; connected: boolean }
  | { type: 'participant-kicked'; id: string }
  | { type: 'host-connection'; connected: boolean }
  | { type: 'locked'; locked: boolean }
  | { type: 'ended' }
  | { type: 'title-set'; title: string }
  /** A new dataset, architecture or seed: training starts over. */
  | {
      type: 'setup-changed';
      setup: TrainingSetup;
      hyper: Hyperparameters;
      network: NetworkValues;
      fit: FitView | null;
    }
  | { type: 'hyper-changed'; hyper: Hyperparameters }
  /** Back to the seed's initial weights. */
  | { type: 'reset'; network: NetworkValues; fit: FitView | null }
  | {
      type: 'weight-edited';
      layer: number;
      to: number;
      from: number;
      value: number;
      fit: FitView | null;
    }
  /** A staged step opens on a batch: the trace starts empty but for the inputs. */
  | { type: 'staged-step-opened'; trace: TraceView; sample: SampleView }
  | { type: 'stage-ran'; index: number; stage: Stage; patch: StagePatch }
  /** One whole step (by sample or batch), with its full trace. */
  | { type: 'stepped'; trace: TraceView; sample: SampleView; progress: StepProgress }
  /**
   * Many steps at once (an epoch, the steps of play before a divergence), or none (the
   * exact network and fit when play stops): no trace.
   */
  | { type: 'progressed'; progress: StepProgress }
  /**
   * A frame of continuous play, compact (compact.ts): the network as one flat list and the
   * losses rounded to FRAME_DIGITS significant digits, the fit's predictions (the fit's
   * rows stay) at most once a second. `params` only as often as the frame budget allows
   * for the network's size (every frame for small ones; recordings made before the budget
   * have it in every frame); without it the state keeps the older network and says since
   * when (SessionState.networkStep). The exact network follows in a 'progressed' event
   * when play stops.
   */
  | {
      type: 'frame';
      step: number;
      epoch: number;
      params?: number[];
      /** Mean batch loss of the frame's steps; `test` is the test loss after them. */
      loss: number;
      test: number | null;
      fit?: number[];
      /** λ·R(w) after the frame's steps (rounded like `loss`); absent: 0. */
      penalty?: number;
      /** Classification plane data sets only (rounded like `loss`). */
      accuracy?: Accuracy;
    }
  | { type: 'play-changed'; playing: boolean }
  /**
   * `batchSize`: the rows the refused step took from the sample order (a re-simulation
   * must take the same; a step of one sample and a short last batch look alike otherwise).
   */
  | { type: 'diverged'; divergence: Divergence; batchSize?: number }
  /** A moment the host marked on the timeline ("Now watch the hidden layer"). */
  | { type: 'marker'; label: string }
  /** What the host shows the class (host:class-view): the whole new value. */
  | { type: 'class-view-set'; classView: ClassView }
  /** Proposals, votes, stepping together, quizzes, races (participation/events.ts). */
  | ParticipationEventBody;

export type SessionEvent = SessionEventBody & {
  seq: number;
  /** Server time (ms since the epoch) when the event happened. */
  t: number;
};

export type SessionEventType = SessionEventBody['type'];
