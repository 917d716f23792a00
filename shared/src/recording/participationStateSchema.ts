/**
 * The runtime schema of SessionState.participation (session/participation/state.ts), for
 * imported recordings. Self-contained on purpose: stateSchema.ts imports it, so importing
 * stateSchema.ts back would read its schemas before they exist. The few atoms it needs
 * (finite, a loss point, a divergence) are written out again, identical to stateSchema's.
 */
import * as v from 'valibot';
import { PARTICIPATION_LIMITS as P } from '../protocol/participation';
import type { ParticipationState } from '../session/participation/state';
import { MAX_RACE_POINTS } from '../session/participation/state';
import { RECORDING_LIMITS as L } from './limits';
import { accuracySchema, penaltySchema } from '../protocol/playgroundSchemas';
import type { Same } from './sameType';

const finite = v.pipe(
  v.number('expected a number (NaN and Infinity cannot be saved: JSON writes them as null)'),
  v.finite('expected a finite number'),
);
const int = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));
const count = int(0, Number.MAX_SAFE_INTEGER);
const capped = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(v.array(item), v.maxLength(max, `expected at most ${max} entries`));
/** Code points, as cleanDisplayText's users count them. */
const text = (max: number) =>
  v.pipe(
    v.string(),
    v.check((s) => s.length <= 2 * max && Array.from(s).length <= max, `at most ${max} characters`),
  );

export const participationIdSchema = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(P.maxIdLength),
  v.regex(/^[A-Za-z0-9_-]+$/),
);
export const participantIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]+$/),
  v.maxLength(L.maxParticipantId),
);
export const participantIdsSchema = capped(participantIdSchema, L.maxParticipants);
export const rateSchema = v.pipe(
  finite,
  v.minValue(L.minLearningRate),
  v.maxValue(L.maxLearningRate),
);
export const noteSchema = text(P.maxNote);
export const granularitySchema = v.picklist(['stage', 'sample', 'batch', 'epoch']);
const layerIndex = int(0, L.maxLayers - 2);
const unitIndex = int(0, L.maxUnits - 1);

export const quorumSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('majority') }),
  v.strictObject({ kind: v.literal('all') }),
  v.strictObject({
    kind: v.literal('percent'),
    value: v.pipe(finite, v.minValue(1), v.maxValue(100)),
  }),
  v.strictObject({ kind: v.literal('count'), value: int(1, P.maxQuorumCount) }),
]);

export const proposalSchema = v.strictObject({
  id: participationIdSchema,
  rate: rateSchema,
  note: noteSchema,
  supporters: int(1, L.maxParticipants * P.maxOpenProposalsPerStudent),
  by: participantIdsSchema,
});

export const voteOptionSchema = v.strictObject({
  proposalId: participationIdSchema,
  rate: rateSchema,
  note: noteSchema,
});
export const voteOptionsSchema = v.pipe(
  v.array(voteOptionSchema),
  v.minLength(P.minVoteOptions),
  v.maxLength(P.maxVoteOptions),
);
export const talliesSchema = capped(count, P.maxVoteOptions);

export const quizQuestionSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('direction'),
    layer: layerIndex,
    to: unitIndex,
    from: unitIndex,
  }),
  v.strictObject({ kind: v.literal('largest'), layer: layerIndex }),
  v.strictObject({ kind: v.literal('loss') }),
]);

/** Students answer losses up to 1e15; a true loss can be larger (unnormalized data). */
export const quizAnswerSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('direction'), value: v.picklist(['up', 'down', 'same']) }),
  v.strictObject({ kind: v.literal('largest'), to: unitIndex, from: unitIndex }),
  v.strictObject({ kind: v.literal('loss'), value: v.pipe(finite, v.minValue(0)) }),
]);

export const quizRevealSchema = v.strictObject({
  truth: v.nullable(quizAnswerSchema),
  distribution: capped(
    v.strictObject({ answer: quizAnswerSchema, count: int(1, L.maxParticipants) }),
    L.maxParticipants,
  ),
  correctIds: participantIdsSchema,
  weight: v.nullable(
    v.strictObject({
      layer: layerIndex,
      to: unitIndex,
      from: unitIndex,
      before: finite,
      after: finite,
    }),
  ),
  loss: v.nullable(v.strictObject({ before: finite, after: finite })),
});

/** The one loss point schema (stateSchema.ts re-exports it): a race's points and the session's. */
export const lossPointSchema = v.strictObject({
  step: count,
  train: finite,
  test: v.nullable(finite),
  penalty: v.optional(penaltySchema),
  accuracy: v.optional(accuracySchema),
});
export const divergenceSchema = v.strictObject({
  step: count,
  learningRate: finite,
  reason: text(L.maxDivergenceReason),
});

const raceForkSchema = v.strictObject({
  rate: rateSchema,
  stepsDone: int(0, P.maxRaceSteps),
  loss: capped(lossPointSchema, MAX_RACE_POINTS),
  diverged: v.nullable(divergenceSchema),
});

export const participationStateSchema = v.strictObject({
  showNames: v.boolean(),
  proposals: v.strictObject({
    open: v.boolean(),
    items: capped(proposalSchema, P.maxProposals),
    lastApplied: v.nullable(
      v.strictObject({
        how: v.picklist(['proposal', 'median', 'vote']),
        proposalId: v.nullable(participationIdSchema),
        rate: rateSchema,
        step: count,
      }),
    ),
  }),
  vote: v.nullable(
    v.strictObject({
      id: participationIdSchema,
      options: voteOptionsSchema,
      hideTallies: v.boolean(),
      status: v.picklist(['open', 'closed']),
      votes: count,
      tallies: v.nullable(talliesSchema),
      winner: v.nullable(participationIdSchema),
    }),
  ),
  classSteps: v.strictObject({
    enabled: v.boolean(),
    granularity: granularitySchema,
    quorum: quorumSchema,
    readyIds: participantIdsSchema,
    rounds: count,
  }),
  quiz: v.strictObject({
    current: v.nullable(
      v.strictObject({
        id: participationIdSchema,
        number: count,
        question: quizQuestionSchema,
        step: count,
        openedAt: v.pipe(finite, v.minValue(0)),
        closesAt: v.pipe(finite, v.minValue(0)),
        status: v.picklist(['open', 'locked', 'revealed', 'cancelled']),
        answers: count,
        reveal: v.nullable(quizRevealSchema),
      }),
    ),
    count,
    scores: capped(v.strictObject({ id: participantIdSchema, points: count }), L.maxParticipants),
    leaderboardVisible: v.boolean(),
  }),
  race: v.nullable(
    v.strictObject({
      id: participationIdSchema,
      status: v.picklist(['running', 'finished', 'cancelled']),
      steps: int(1, P.maxRaceSteps),
      batchSize: int(1, L.maxBatchSize),
      fromStep: count,
      forks: v.pipe(v.array(raceForkSchema), v.minLength(1), v.maxLength(P.maxRaceRates)),
    }),
  ),
});

// Drift between this schema and ParticipationState fails tsc here.
const _participationSchemaMatchesType: Same<
  v.InferOutput<typeof participationStateSchema>,
  ParticipationState
> = true;
