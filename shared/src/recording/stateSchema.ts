/**
 * Runtime schemas for SessionState and its parts, used to validate imported recordings
 * (the protocol's schemas cover only what clients send). strictObject everywhere, so an
 * unknown key (including "__proto__") is refused; every number finite, because JSON turns
 * NaN and ±Infinity into null; every string and array capped (see limits.ts).
 */
import * as v from 'valibot';
import { ACTIVATION_NAMES } from '../nn/activations';
import { DATASET_IDS } from '../data/dataset';
import { CODE_ALPHABET, CODE_LENGTH, focusSchema } from '../protocol/schemas';
import { INITIAL_CLASS_VIEW } from '../session/class-view';
import { RECORDING_LIMITS as L } from './limits';
import { lossPointSchema, participationStateSchema } from './participationStateSchema';
import { PLANE_DATASET_IDS } from '../data/plane/ids';
import {
  accuracySchema,
  penaltySchema,
  planeSetupSchema,
  regularizationSchema,
} from '../protocol/playgroundSchemas';
import type { Same } from './sameType';
import type { SessionState } from '../session/state';

/** The message says why null is a common culprit: a NaN or Infinity that went through JSON. */
export const finite = v.pipe(
  v.number('expected a number (NaN and Infinity cannot be saved: JSON writes them as null)'),
  v.finite('expected a finite number'),
);
const int = (min: number, max: number) =>
  v.pipe(
    v.number('expected a whole number'),
    v.integer('expected a whole number'),
    v.minValue(min, `expected at least ${min}`),
    v.maxValue(max, `expected at most ${max}`),
  );
const count = int(0, Number.MAX_SAFE_INTEGER);
const capped = <T extends v.GenericSchema>(item: T, max: number) =>
  v.pipe(v.array(item), v.maxLength(max, `expected at most ${max} entries`));
const vector = capped(finite, L.maxUnits);
const matrix = capped(vector, L.maxUnits);
const perMatrix = <T extends v.GenericSchema>(item: T) => capped(item, L.maxLayers - 1);

/** Code points, as the server counts names and titles (an emoji is one, not two). */
const text = (min: number, max: number) =>
  v.pipe(
    v.string('expected a string'),
    v.check((s) => {
      // Each code point is one or two UTF-16 units: most strings are decided without Array.from.
      if (s.length < min || s.length > 2 * max) return false;
      const points = Array.from(s).length;
      return points >= min && points <= max;
    }, `expected ${min} to ${max} characters`),
  );

export const seqSchema = count;
export const titleSchema = text(1, L.maxTitle);
export const markerLabelSchema = text(1, L.maxMarkerLabel);
export const datasetTitleSchema = text(1, L.maxDatasetTitle);
/** Milliseconds since the epoch. */
export const timeSchema = v.pipe(finite, v.minValue(0, 'expected a time ≥ 0'));
export const parameterSchema = v.pipe(
  finite,
  v.minValue(-L.maxAbsParameter, `expected a value ≥ −${L.maxAbsParameter}`),
  v.maxValue(L.maxAbsParameter, `expected a value ≤ ${L.maxAbsParameter}`),
);

const participantIdSchema = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_-]+$/),
  v.maxLength(L.maxParticipantId),
);

export const participantSchema = v.strictObject({
  id: participantIdSchema,
  name: text(1, L.maxName),
  connected: v.boolean(),
});

const columnSchema = v.strictObject({
  name: text(1, L.maxColumnName),
  unit: v.optional(text(0, L.maxUnitLabel)),
  format: v.optional(v.picklist(['currency', 'number'])),
});
const columnsSchema = v.pipe(
  v.array(columnSchema),
  v.minLength(1, 'expected at least one column'),
  v.maxLength(L.maxColumns, `expected at most ${L.maxColumns} columns`),
);

export const activationsSchema = v.pipe(
  v.array(v.picklist(ACTIVATION_NAMES)),
  v.minLength(1),
  v.maxLength(L.maxLayers - 1),
);
export const layersSchema = v.pipe(
  v.array(int(1, L.maxUnits)),
  v.minLength(2, 'expected at least 2 layers (input and output)'),
  v.maxLength(L.maxLayers, `expected at most ${L.maxLayers} layers`),
);
/** A check rather than a picklist: TrainingSetup.datasetId is typed as a plain string. */
const DATASET_CHOICES: readonly string[] = [...DATASET_IDS, ...PLANE_DATASET_IDS, 'csv'];
export const datasetIdSchema = v.pipe(
  v.string(),
  v.check((id) => DATASET_CHOICES.includes(id), `expected one of ${DATASET_CHOICES.join(', ')}`),
);
export const seedSchema = int(0, 2 ** 32 - 1);

export const trainingSetupSchema = v.pipe(
  v.strictObject({
    datasetId: datasetIdSchema,
    datasetTitle: datasetTitleSchema,
    datasetDescription: text(0, L.maxDatasetDescription),
    inputs: columnsSchema,
    targets: columnsSchema,
    rows: int(1, L.maxDatasetRows),
    trainRows: int(1, L.maxDatasetRows),
    testRows: int(0, L.maxDatasetRows),
    normalize: v.boolean(),
    testFraction: v.pipe(finite, v.minValue(0), v.maxValue(1)),
    layers: layersSchema,
    activations: activationsSchema,
    trainBiases: v.boolean(),
    seed: seedSchema,
    dataSeed: v.optional(seedSchema),
    plane: v.optional(planeSetupSchema),
    regularization: v.optional(regularizationSchema),
  }),
  // The cross-field rules the server's Training guarantees and the views index by.
  v.check(
    (s) => s.activations.length === s.layers.length - 1,
    'one activation per non-input layer',
  ),
  v.check(
    (s) => s.layers[0] === s.inputs.length && s.layers.at(-1) === s.targets.length,
    'the input and output layers must have one unit per input and target column',
  ),
  v.check((s) => s.trainRows + s.testRows <= s.rows, 'more train and test rows than rows'),
  v.check(
    (s) =>
      (s.plane !== undefined) === (PLANE_DATASET_IDS as readonly string[]).includes(s.datasetId),
    'a plane data set needs its plane setup (noise, points, features), and no other data set has one',
  ),
);

const learningRateSchema = v.pipe(
  finite,
  v.minValue(L.minLearningRate),
  v.maxValue(L.maxLearningRate),
);

export const hyperSchema = v.strictObject({
  learningRate: learningRateSchema,
  batchSize: int(1, L.maxBatchSize),
  speed: int(L.minSpeed, L.maxSpeed),
});

export const networkSchema = v.strictObject({
  weights: perMatrix(capped(capped(parameterSchema, L.maxUnits), L.maxUnits)),
  biases: perMatrix(capped(parameterSchema, L.maxUnits)),
});

export const stageSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('forward'), layer: int(0, L.maxLayers - 2) }),
  v.strictObject({ kind: v.literal('error') }),
  v.strictObject({ kind: v.literal('backward'), layer: int(0, L.maxLayers - 2) }),
  v.strictObject({ kind: v.literal('update') }),
]);

const batchRows = capped(vector, L.maxBatchSize);

export const traceSchema = v.strictObject({
  batchSize: int(1, L.maxBatchSize),
  learningRate: finite,
  a: capped(v.nullable(vector), L.maxLayers),
  z: perMatrix(v.nullable(vector)),
  target: vector,
  error: v.nullable(vector),
  sampleLoss: v.nullable(finite),
  batchLoss: v.nullable(finite),
  penalty: v.optional(penaltySchema),
  delta: perMatrix(v.nullable(vector)),
  gradWeights: perMatrix(v.nullable(matrix)),
  gradBiases: perMatrix(v.nullable(vector)),
  weightsBefore: perMatrix(matrix),
  biasesBefore: perMatrix(vector),
  weightsAfter: v.nullable(perMatrix(matrix)),
  biasesAfter: v.nullable(perMatrix(vector)),
  batchInputs: batchRows,
  batchTargets: batchRows,
});

export const sampleSchema = v.strictObject({
  row: int(0, L.maxDatasetRows - 1),
  inputs: capped(finite, L.maxColumns),
  targets: capped(finite, L.maxColumns),
  prediction: v.nullable(capped(finite, L.maxColumns)),
  // Stamped by the reducer; files from before it have none.
  step: v.optional(count),
});

export { lossPointSchema };
export const lossPointsSchema = capped(lossPointSchema, L.maxLossPoints);

export const fitSchema = v.pipe(
  v.strictObject({
    rows: capped(int(0, L.maxDatasetRows - 1), L.maxFitRows),
    actual: capped(finite, L.maxFitRows),
    predicted: capped(finite, L.maxFitRows),
    // Stamped by the reducer; files from before it have none.
    step: v.optional(count),
  }),
  // The chart zips the three lists.
  v.check(
    (f) => f.actual.length === f.rows.length && f.predicted.length === f.rows.length,
    'rows, actual and predicted must have the same length',
  ),
);

export const divergenceSchema = v.strictObject({
  step: count,
  learningRate: finite,
  reason: text(1, L.maxDivergenceReason),
});

export const classViewSchema = v.strictObject({
  focus: v.nullable(focusSchema),
  cards: v.boolean(),
});

/** A join code, or '' in an exported file (a code is an invitation, not history). */
const codeSchema = v.union([
  v.literal(''),
  v.pipe(
    v.string(),
    v.length(CODE_LENGTH),
    v.check((s) => Array.from(s).every((c) => CODE_ALPHABET.includes(c)), 'expected a join code'),
  ),
]);

export const sessionStateSchema = v.strictObject({
  seq: seqSchema,
  code: codeSchema,
  title: titleSchema,
  createdAt: timeSchema,
  ended: v.boolean(),
  locked: v.boolean(),
  hostConnected: v.boolean(),
  participants: capped(participantSchema, L.maxParticipants),
  setup: trainingSetupSchema,
  hyper: hyperSchema,
  network: networkSchema,
  networkStep: v.optional(count),
  step: count,
  epoch: count,
  playing: v.boolean(),
  stageIndex: int(0, 2 * L.maxLayers),
  lastStage: v.nullable(stageSchema),
  trace: v.nullable(traceSchema),
  sample: v.nullable(sampleSchema),
  penalty: v.optional(penaltySchema),
  accuracy: v.optional(v.nullable(accuracySchema)),
  loss: lossPointsSchema,
  rateMarks: capped(v.strictObject({ step: count, learningRate: finite }), L.maxRateMarks),
  fit: v.nullable(fitSchema),
  diverged: v.nullable(divergenceSchema),
  participation: participationStateSchema,
  // Files from before host:class-view have none: nothing was shown, the cards were visible.
  classView: v.optional(classViewSchema, () => ({ ...INITIAL_CLASS_VIEW })),
});

// A change to SessionState that the schema does not follow (or the reverse) fails tsc here.
const _stateSchemaMatchesType: Same<v.InferOutput<typeof sessionStateSchema>, SessionState> = true;
