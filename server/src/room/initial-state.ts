import {
  INITIAL_CLASS_VIEW,
  initialParticipationState,
  type Hyperparameters,
  type SessionState,
} from '@backprop/shared/session';
import type { Training } from '../training/training';

/** The state of a new session (seq 0): the host is connected, nobody else yet. */
export function initialSessionState(options: {
  code: string;
  title: string;
  createdAt: number;
  training: Training;
  hyper: Hyperparameters;
}): SessionState {
  const { training, hyper } = options;
  return {
    seq: 0,
    code: options.code,
    title: options.title,
    createdAt: options.createdAt,
    ended: false,
    locked: false,
    hostConnected: true,
    participants: [],
    setup: training.setup,
    hyper,
    network: training.network(),
    step: 0,
    epoch: 0,
    playing: false,
    stageIndex: 0,
    lastStage: null,
    trace: null,
    sample: null,
    loss: [],
    rateMarks: [{ step: 0, learningRate: hyper.learningRate }],
    fit: training.fit(),
    diverged: null,
    participation: initialParticipationState(),
    classView: INITIAL_CLASS_VIEW,
  };
}
