import type { Stage } from '../nn/stages';
import type {
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
  /** Many steps at once (an epoch, or a frame of continuous play): no trace. */
  | { type: 'progressed'; progress: StepProgress }
  | { type: 'play-changed'; playing: boolean }
  | { type: 'diverged'; divergence: Divergence };

export type SessionEvent = SessionEventBody & {
  seq: number;
  /** Server time (ms since the epoch) when the event happened. */
  t: number;
};

export type SessionEventType = SessionEventBody['type'];
