/**
 * The runtime schemas of the participation events (session/participation/events.ts), one
 * strictObject per `type`; eventSchema.ts joins them into sessionEventSchema.
 */
import * as v from 'valibot';
import { PARTICIPATION_LIMITS as P } from '../protocol/participation';
import type { ParticipationEventBody } from '../session/participation/events';
import { RECORDING_LIMITS as L } from './limits';
import {
  divergenceSchema,
  granularitySchema,
  lossPointSchema,
  participantIdSchema,
  participationIdSchema,
  proposalSchema,
  quizQuestionSchema,
  quizRevealSchema,
  quorumSchema,
  rateSchema,
  talliesSchema,
  voteOptionsSchema,
} from './participationStateSchema';
import type { Same } from './sameType';
import { finite, fitSchema, networkSchema, seqSchema, timeSchema } from './stateSchema';

const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const int = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

function event<T extends string, E extends v.ObjectEntries>(type: T, entries: E) {
  return v.strictObject({ type: v.literal(type), seq: seqSchema, t: timeSchema, ...entries });
}

const forkProgressSchema = v.strictObject({
  stepsDone: int(0, P.maxRaceSteps),
  // A progress event carries the points since the last one: at most a whole race.
  loss: v.pipe(v.array(lossPointSchema), v.maxLength(P.maxRaceSteps)),
  diverged: v.nullable(divergenceSchema),
});

export const participationEventSchemas = [
  event('participation-set', { showNames: v.boolean() }),
  event('proposals-set', { open: v.boolean(), cleared: v.boolean() }),
  event('proposal-added', { proposal: proposalSchema }),
  event('proposal-supported', {
    proposalId: participationIdSchema,
    by: v.nullable(participantIdSchema),
  }),
  event('proposal-withdrawn', {
    proposalId: participationIdSchema,
    by: v.nullable(participantIdSchema),
  }),
  event('proposal-applied', {
    how: v.picklist(['proposal', 'median']),
    proposalId: v.nullable(participationIdSchema),
    rate: rateSchema,
  }),
  event('vote-opened', {
    voteId: participationIdSchema,
    options: voteOptionsSchema,
    hideTallies: v.boolean(),
  }),
  event('vote-cast', {
    voteId: participationIdSchema,
    votes: count,
    tallies: v.nullable(talliesSchema),
  }),
  event('vote-closed', {
    voteId: participationIdSchema,
    votes: count,
    tallies: talliesSchema,
    winner: v.nullable(participationIdSchema),
  }),
  event('class-steps-set', {
    enabled: v.boolean(),
    granularity: granularitySchema,
    quorum: quorumSchema,
  }),
  event('class-ready', { id: participantIdSchema, ready: v.boolean() }),
  event('class-stepped', {
    granularity: granularitySchema,
    ready: count,
    needed: count,
    forced: v.boolean(),
  }),
  event('quiz-opened', {
    quizId: participationIdSchema,
    question: quizQuestionSchema,
    step: count,
    closesAt: v.pipe(finite, v.minValue(0)),
  }),
  event('quiz-answered', { quizId: participationIdSchema, answers: count }),
  event('quiz-locked', { quizId: participationIdSchema }),
  event('quiz-revealed', { quizId: participationIdSchema, reveal: quizRevealSchema }),
  event('quiz-cancelled', { quizId: participationIdSchema }),
  event('leaderboard-set', { visible: v.boolean() }),
  event('race-started', {
    raceId: participationIdSchema,
    rates: v.pipe(v.array(rateSchema), v.minLength(1), v.maxLength(P.maxRaceRates)),
    steps: int(1, P.maxRaceSteps),
    batchSize: int(1, L.maxBatchSize),
    fromStep: count,
  }),
  event('race-progress', {
    raceId: participationIdSchema,
    forks: v.pipe(v.array(forkProgressSchema), v.maxLength(P.maxRaceRates)),
  }),
  event('race-ended', {
    raceId: participationIdSchema,
    status: v.picklist(['finished', 'cancelled']),
  }),
  event('network-set', {
    network: networkSchema,
    fit: v.nullable(fitSchema),
    source: v.strictObject({
      kind: v.literal('race'),
      raceId: participationIdSchema,
      fork: int(0, P.maxRaceRates - 1),
    }),
  }),
] as const;

/** Each variant without its seq and time (distributes over the union). */
type WithoutStamp<T> = T extends unknown ? Omit<T, 'seq' | 't'> : never;
type Bodies = WithoutStamp<v.InferOutput<(typeof participationEventSchemas)[number]>>;

// A participation event the schemas do not follow (or the reverse) fails tsc here.
const _participationEventsMatchType: Same<Bodies, ParticipationEventBody> = true;
