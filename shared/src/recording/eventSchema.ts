/**
 * The runtime schema of every SessionEvent variant (see session/events.ts), for imported
 * recordings. One strictObject per `type`, joined with v.variant so a bad event is
 * reported against its own variant rather than as "matches none of 18 shapes".
 */
import * as v from 'valibot';
import type { SessionEvent, StagePatch } from '../session/events';
import { RECORDING_LIMITS as L } from './limits';
import { participationEventSchemas } from './participationEventSchema';
import type { Same } from './sameType';
import { accuracySchema, penaltySchema } from '../protocol/playgroundSchemas';
import {
  classViewSchema,
  divergenceSchema,
  finite,
  fitSchema,
  hyperSchema,
  lossPointsSchema,
  markerLabelSchema,
  networkSchema,
  parameterSchema,
  participantSchema,
  sampleSchema,
  seqSchema,
  stageSchema,
  timeSchema,
  titleSchema,
  traceSchema,
  trainingSetupSchema,
} from './stateSchema';

const index = (max: number) => v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(max));
const layerIndex = index(L.maxLayers - 2);
const unitIndex = index(L.maxUnits - 1);
const vector = v.pipe(v.array(finite), v.maxLength(L.maxUnits));
const matrix = v.pipe(v.array(vector), v.maxLength(L.maxUnits));

const progressSchema = v.strictObject({
  step: seqSchema,
  epoch: seqSchema,
  network: networkSchema,
  loss: lossPointsSchema,
  fit: v.nullable(fitSchema),
  penalty: v.optional(penaltySchema),
  accuracy: v.optional(accuracySchema),
});

export const stagePatchSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('forward'), layer: layerIndex, z: vector, a: vector }),
  v.strictObject({
    kind: v.literal('error'),
    error: vector,
    sampleLoss: finite,
    batchLoss: finite,
    prediction: vector,
  }),
  v.strictObject({
    kind: v.literal('backward'),
    layer: layerIndex,
    delta: vector,
    gradWeights: matrix,
    gradBiases: vector,
  }),
  v.strictObject({ kind: v.literal('update'), progress: progressSchema }),
]);

/** Every event has its seq and server time next to the fields of its type. */
function event<T extends string, E extends v.ObjectEntries>(type: T, entries: E) {
  return v.strictObject({ type: v.literal(type), seq: seqSchema, t: timeSchema, ...entries });
}

export const sessionEventSchema = v.variant('type', [
  event('participant-joined', { participant: participantSchema }),
  event('participant-connection', { id: participantSchema.entries.id, connected: v.boolean() }),
  event('participant-kicked', { id: participantSchema.entries.id }),
  event('host-connection', { connected: v.boolean() }),
  event('locked', { locked: v.boolean() }),
  event('ended', {}),
  event('title-set', { title: titleSchema }),
  event('setup-changed', {
    setup: trainingSetupSchema,
    hyper: hyperSchema,
    network: networkSchema,
    fit: v.nullable(fitSchema),
  }),
  event('hyper-changed', { hyper: hyperSchema }),
  event('reset', { network: networkSchema, fit: v.nullable(fitSchema) }),
  event('weight-edited', {
    layer: layerIndex,
    to: unitIndex,
    from: unitIndex,
    value: parameterSchema,
    fit: v.nullable(fitSchema),
  }),
  event('staged-step-opened', { trace: traceSchema, sample: sampleSchema }),
  event('stage-ran', {
    index: index(2 * L.maxLayers),
    stage: stageSchema,
    patch: stagePatchSchema,
  }),
  event('stepped', { trace: traceSchema, sample: sampleSchema, progress: progressSchema }),
  event('progressed', { progress: progressSchema }),
  event('frame', {
    step: seqSchema,
    epoch: seqSchema,
    // Checked against the setup's layers in shapes.ts.
    params: v.optional(v.pipe(v.array(parameterSchema), v.maxLength(L.maxParameters))),
    loss: finite,
    test: v.nullable(finite),
    fit: v.optional(v.pipe(v.array(finite), v.maxLength(L.maxFitRows))),
    penalty: v.optional(penaltySchema),
    accuracy: v.optional(accuracySchema),
  }),
  event('play-changed', { playing: v.boolean() }),
  event('diverged', {
    divergence: divergenceSchema,
    batchSize: v.optional(index(L.maxBatchSize)),
  }),
  event('marker', { label: markerLabelSchema }),
  event('class-view-set', { classView: classViewSchema }),
  ...participationEventSchemas,
]);

// Drift between these schemas and the TypeScript types fails tsc here.
const _eventSchemaMatchesType: Same<v.InferOutput<typeof sessionEventSchema>, SessionEvent> = true;
const _patchSchemaMatchesType: Same<v.InferOutput<typeof stagePatchSchema>, StagePatch> = true;
