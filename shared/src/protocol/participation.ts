/**
 * Class participation commands (docs/protocol.md, "Participation"): learning-rate
 * proposals and votes, stepping together, predict-then-reveal quizzes, learning-rate
 * races. Merged into `schemas` (schemas.ts), so they go through the same wrapper,
 * validation and rate limits as every other command.
 *
 * A function rather than a constant: schemas.ts imports this module and passes its own
 * learning-rate schema in, so this file never imports schemas.ts back (an import cycle
 * would read the schema before it exists).
 */
import * as v from 'valibot';

export const PARTICIPATION_LIMITS = {
  /** Characters of a note as typed (cleaned and re-counted after, see maxNote). */
  maxNoteInput: 600,
  /** Code points of a cleaned note, as cleanDisplayText leaves it. */
  maxNote: 140,
  /** Open proposals one student may support at a time (their own or merged into). */
  maxOpenProposalsPerStudent: 3,
  /** Seconds between two proposals of one student. */
  proposalIntervalSeconds: 5,
  /** Distinct proposals in the pool. */
  maxProposals: 500,
  minVoteOptions: 2,
  maxVoteOptions: 8,
  minQuizSeconds: 5,
  maxQuizSeconds: 300,
  maxRaceRates: 4,
  maxRaceSteps: 5000,
  /** A 'count' quorum can ask for up to this many ready students. */
  maxQuorumCount: 1000,
  /** Idempotency keys remembered per participant (with their acknowledgement). */
  rememberedKeys: 64,
  maxIdLength: 32,
} as const;

const finite = v.pipe(v.number(), v.finite());
const int = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/**
 * A client-generated key naming one intent (a proposal, a vote, an answer): the same key
 * sent again is answered with the first answer and changes nothing.
 */
export const idempotencyKeySchema = v.pipe(
  v.string(),
  v.minLength(8),
  v.maxLength(64),
  v.regex(/^[A-Za-z0-9_-]+$/, 'a key is 8 to 64 characters from A-Z a-z 0-9 _ -'),
);

/** Ids the server hands out (proposals "p12", votes "v40", quizzes "q7", races "r9"). */
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(PARTICIPATION_LIMITS.maxIdLength));

// The bounds of host:edit-weight (LIMITS.maxHiddenLayers, LIMITS.maxUnits − 1 in schemas.ts).
const layer = int(0, 6);
const unit = int(0, 63);

export const granularitySchema = v.picklist(['stage', 'sample', 'batch', 'epoch']);

export const quorumSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('majority') }),
  v.strictObject({ kind: v.literal('all') }),
  v.strictObject({
    kind: v.literal('percent'),
    value: v.pipe(finite, v.minValue(1), v.maxValue(100)),
  }),
  v.strictObject({ kind: v.literal('count'), value: int(1, PARTICIPATION_LIMITS.maxQuorumCount) }),
]);

const quizSeconds = int(PARTICIPATION_LIMITS.minQuizSeconds, PARTICIPATION_LIMITS.maxQuizSeconds);

export const quizAnswerSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('direction'), value: v.picklist(['up', 'down', 'same']) }),
  v.strictObject({ kind: v.literal('largest'), to: unit, from: unit }),
  // A loss is ½Σ(ŷ−y)² ≥ 0; the cap only keeps the number sane.
  v.strictObject({
    kind: v.literal('loss'),
    value: v.pipe(finite, v.minValue(0), v.maxValue(1e15)),
  }),
]);

export function participationSchemas<R extends v.GenericSchema<number, number>>(rate: R) {
  return {
    'student:propose': v.strictObject({
      rate,
      note: v.optional(v.pipe(v.string(), v.maxLength(PARTICIPATION_LIMITS.maxNoteInput))),
      key: idempotencyKeySchema,
    }),
    'student:withdraw': v.strictObject({ proposalId: id }),
    'student:vote': v.strictObject({ voteId: id, proposalId: id, key: idempotencyKeySchema }),
    'student:ready': v.strictObject({ ready: v.boolean() }),
    'student:answer': v.strictObject({
      quizId: id,
      answer: quizAnswerSchema,
      key: idempotencyKeySchema,
    }),
    'host:participation': v.strictObject({ showNames: v.boolean() }),
    'host:proposals': v.strictObject({ open: v.boolean(), clear: v.optional(v.boolean()) }),
    'host:apply-rate': v.strictObject({ proposalId: id }),
    'host:apply-median': v.strictObject({}),
    'host:vote-open': v.strictObject({
      proposalIds: v.pipe(
        v.array(id),
        v.minLength(PARTICIPATION_LIMITS.minVoteOptions),
        v.maxLength(PARTICIPATION_LIMITS.maxVoteOptions),
        v.check((ids) => new Set(ids).size === ids.length, 'proposalIds must be different'),
      ),
      hideTallies: v.boolean(),
    }),
    'host:vote-close': v.strictObject({}),
    'host:class-steps': v.strictObject({
      enabled: v.boolean(),
      granularity: granularitySchema,
      quorum: quorumSchema,
    }),
    'host:force-step': v.strictObject({}),
    'host:quiz-open': v.variant('kind', [
      v.strictObject({
        kind: v.literal('direction'),
        layer,
        to: unit,
        from: unit,
        timeLimitSeconds: quizSeconds,
      }),
      v.strictObject({ kind: v.literal('largest'), layer, timeLimitSeconds: quizSeconds }),
      v.strictObject({ kind: v.literal('loss'), timeLimitSeconds: quizSeconds }),
    ]),
    'host:quiz-reveal': v.strictObject({}),
    'host:quiz-cancel': v.strictObject({}),
    'host:leaderboard': v.strictObject({ visible: v.boolean() }),
    'host:race': v.strictObject({
      rates: v.pipe(v.array(rate), v.minLength(1), v.maxLength(PARTICIPATION_LIMITS.maxRaceRates)),
      steps: int(1, PARTICIPATION_LIMITS.maxRaceSteps),
    }),
    'host:race-adopt': v.strictObject({
      fork: int(0, PARTICIPATION_LIMITS.maxRaceRates - 1),
      what: v.picklist(['rate', 'weights']),
    }),
    'host:race-cancel': v.strictObject({}),
  } as const;
}

/** What the participation commands answer with (besides ok). */
export interface ParticipationReplies {
  /** The proposal now holding the student's support; merged when it was someone else's. */
  'student:propose': { proposalId: string; merged: boolean };
  'student:withdraw': object;
  'student:vote': object;
  'student:ready': object;
  'student:answer': object;
  'host:participation': object;
  'host:proposals': object;
  'host:apply-rate': { learningRate: number };
  'host:apply-median': { learningRate: number };
  'host:vote-open': { voteId: string };
  /** The rate applied, or null when nobody voted (nothing applied). */
  'host:vote-close': { winner: string | null; learningRate: number | null };
  'host:class-steps': object;
  'host:force-step': object;
  'host:quiz-open': { quizId: string };
  'host:quiz-reveal': object;
  'host:quiz-cancel': object;
  'host:leaderboard': object;
  'host:race': { raceId: string };
  'host:race-adopt': object;
  'host:race-cancel': object;
}
