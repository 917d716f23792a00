/**
 * One valid payload of every command: the bad payloads of the table are derived from
 * these. A command added to the protocol must get an example here (a test says so).
 */
import type { CommandName } from '@backprop/shared/protocol';

export interface PayloadContext {
  code: string;
  studentToken: string;
  participantId: string;
}

type Example = Record<string, unknown>;

export function validPayloads(ctx: PayloadContext): Partial<Record<CommandName, Example>> {
  return {
    'session:create': { title: 'A title' },
    'session:join': { code: ctx.code, name: 'Bob' },
    'session:resume': { code: ctx.code, token: ctx.studentToken, lastSeq: 1 },
    'session:sync': { lastSeq: 1 },
    'host:setup': {
      datasetId: 'xor',
      hidden: [2],
      activations: ['tanh', 'sigmoid'],
      trainBiases: true,
      seed: 1,
      normalize: false,
      testFraction: 0,
    },
    'host:hyper': { learningRate: 0.1, batchSize: 4, speed: 10 },
    'host:step': { granularity: 'batch' },
    'host:play': { playing: true },
    'host:reset': {},
    'host:edit-weight': { layer: 0, to: 0, from: 0, value: 1 },
    'host:kick': { participantId: ctx.participantId },
    'host:lock': { locked: true },
    'host:title': { title: 'New title' },
    'host:end': {},
    'host:marker': { label: 'Watch the hidden layer' },
    'host:class-view': { focus: { kind: 'weight', layer: 0, to: 0, from: 0 } },
    // Participation (shared/src/protocol/participation.ts).
    'student:propose': { rate: 0.05, note: 'smaller steps', key: 'key-propose-1' },
    'student:withdraw': { proposalId: 'p1' },
    'student:vote': { voteId: 'v1', proposalId: 'p1', key: 'key-vote-0001' },
    'student:ready': { ready: true },
    'student:answer': {
      quizId: 'q1',
      answer: { kind: 'direction', value: 'up' },
      key: 'key-answer-1',
    },
    'host:participation': { showNames: true },
    'host:proposals': { open: true, clear: false },
    'host:apply-rate': { proposalId: 'p1' },
    'host:apply-median': {},
    'host:vote-open': { proposalIds: ['p1', 'p2'], hideTallies: false },
    'host:vote-close': {},
    'host:class-steps': { enabled: true, granularity: 'batch', quorum: { kind: 'majority' } },
    'host:force-step': {},
    'host:quiz-open': { kind: 'direction', layer: 0, to: 0, from: 0, timeLimitSeconds: 30 },
    'host:quiz-reveal': {},
    'host:quiz-cancel': {},
    'host:leaderboard': { visible: true },
    'host:race': { rates: [0.01, 0.1], steps: 100 },
    'host:race-adopt': { fork: 0, what: 'rate' },
    'host:race-cancel': {},
  };
}

/** Keys a valid payload may leave out (their absence is not a bad payload). */
export const OPTIONAL_KEYS = new Set([
  'title',
  'learningRate',
  'batchSize',
  'speed',
  'note',
  'clear',
]);

/** Keys whose null is a valid value (host:class-view's focus: null shows nothing). */
export const NULLABLE_KEYS = new Set(['focus']);

/** Keys that hold integers (a fraction is a bad value). */
export const INTEGER_KEYS = new Set([
  'lastSeq',
  'batchSize',
  'speed',
  'seed',
  'layer',
  'to',
  'from',
  'steps',
  'fork',
  'timeLimitSeconds',
]);

/** Who sends a command in the table: so a refusal comes from validation, not authorization. */
export function senderOf(command: CommandName): 'host' | 'student' | 'stranger' {
  if (command.startsWith('host:')) return 'host';
  if (command.startsWith('student:')) return 'student';
  return 'stranger';
}
