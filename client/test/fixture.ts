import {
  INITIAL_CLASS_VIEW,
  initialParticipationState,
  type SessionEvent,
  type SessionState,
} from '@backprop/shared/session';
import type { PointsOptions } from '../src/lib/plane/draw';

/** A small, valid session state (2-2-1 network, nothing trained yet). */
export function stateAt(seq: number, overrides: Partial<SessionState> = {}): SessionState {
  return {
    seq,
    code: 'ABCDEF',
    title: 'Test session',
    createdAt: 0,
    ended: false,
    locked: false,
    hostConnected: true,
    participants: [],
    setup: {
      datasetId: 'xor',
      datasetTitle: 'XOR',
      datasetDescription: 'The four XOR rows.',
      inputs: [{ name: 'x1' }, { name: 'x2' }],
      targets: [{ name: 'y' }],
      rows: 4,
      trainRows: 4,
      testRows: 0,
      normalize: false,
      testFraction: 0,
      layers: [2, 2, 1],
      activations: ['tanh', 'sigmoid'],
      trainBiases: true,
      seed: 1,
    },
    hyper: { learningRate: 0.5, batchSize: 4, speed: 10 },
    network: {
      weights: [
        [
          [0.1, 0.2],
          [0.3, 0.4],
        ],
        [[0.5, 0.6]],
      ],
      biases: [[0, 0], [0]],
    },
    step: 0,
    epoch: 0,
    playing: false,
    stageIndex: 0,
    lastStage: null,
    trace: null,
    sample: null,
    loss: [],
    rateMarks: [],
    fit: null,
    diverged: null,
    participation: initialParticipationState(),
    classView: INITIAL_CLASS_VIEW,
    ...overrides,
  };
}

/** A participant-joined event: easy to see in the state whether it was applied. */
export function joined(seq: number, name = `p${seq}`): SessionEvent {
  return {
    seq,
    t: seq * 1000,
    type: 'participant-joined',
    participant: { id: `id-${name}`, name, connected: true },
  };
}

export function titled(seq: number, title: string): SessionEvent {
  return { seq, t: seq * 1000, type: 'title-set', title };
}

/** A classification's data points on [−6, 6]², drawn on a canvas of 300 device pixels. */
export const POINTS_OPTIONS: PointsOptions = {
  extent: 6,
  size: 300,
  radius: 3,
  showTest: true,
  domain: { lo: -1, hi: 1 },
  classification: true,
};
