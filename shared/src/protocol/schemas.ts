import * as v from 'valibot';
import { ACTIVATION_NAMES } from '../nn/activations';
import { DATASET_IDS } from '../data/dataset';
import { NETWORK_LIMITS } from '../nn/networkChecks';
import { participationSchemas } from './participation';
import { PLANE_DATASET_IDS } from '../data/plane/ids';
import { MAX_TEST_FRACTION } from '../data/split';
import { planeSetupSchema, regularizationSchema } from './playgroundSchemas';

/**
 * Runtime schemas for every client→server payload. strictObject refuses unknown keys
 * (including __proto__), every number is finite, every string and array is capped.
 */
const finite = v.pipe(v.number(), v.finite());
const int = (min: number, max: number) =>
  v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

export const LIMITS = {
  maxHiddenLayers: 6,
  maxUnits: 64,
  minLearningRate: 1e-5,
  maxLearningRate: 10,
  maxBatchSize: 256,
  minSpeed: 1,
  maxSpeed: 1000,
  maxTitle: 80,
  /** Code points of a timeline marker's label (host:marker), cleaned like names. */
  maxMarkerLabel: 60,
  maxNameInput: 200,
  maxWeight: 1e6,
} as const;

export const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 6;

const code = v.pipe(
  v.string(),
  v.trim(),
  v.toUpperCase(),
  v.length(CODE_LENGTH),
  v.regex(/^[A-Z0-9]+$/),
);
const token = v.pipe(v.string(), v.minLength(16), v.maxLength(128), v.regex(/^[A-Za-z0-9_-]+$/));
const seq = int(0, Number.MAX_SAFE_INTEGER);

export const learningRateSchema = v.pipe(
  finite,
  v.minValue(LIMITS.minLearningRate, `learning rate must be at least ${LIMITS.minLearningRate}`),
  v.maxValue(LIMITS.maxLearningRate, `learning rate must be at most ${LIMITS.maxLearningRate}`),
);

/**
 * A weight or unit of some network (session/class-view.ts), for host:class-view and the
 * recording schemas alike; whether it exists in the session's network is the server's check.
 */
export const focusSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('weight'),
    layer: int(0, NETWORK_LIMITS.maxLayers - 2),
    to: int(0, NETWORK_LIMITS.maxUnits - 1),
    from: int(0, NETWORK_LIMITS.maxUnits - 1),
  }),
  v.strictObject({
    kind: v.literal('unit'),
    layer: int(0, NETWORK_LIMITS.maxLayers - 1),
    unit: int(0, NETWORK_LIMITS.maxUnits - 1),
  }),
]);

export const schemas = {
  'session:create': v.strictObject({
    title: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.maxTitle))),
  }),
  'session:join': v.strictObject({
    code,
    name: v.pipe(v.string(), v.maxLength(LIMITS.maxNameInput)),
    /**
     * Optional (older clients send none): a fresh random key per intent to join, sent again
     * with every retry of it; the same key is answered with the first join's participant and
     * token, never a second student. As hard to guess as a token, since it gets one back.
     */
    key: v.optional(token),
  }),
  'session:resume': v.strictObject({ code, token, lastSeq: seq }),
  'session:sync': v.strictObject({ lastSeq: seq }),
  'host:setup': v.strictObject({
    datasetId: v.picklist([...DATASET_IDS, ...PLANE_DATASET_IDS, 'csv']),
    hidden: v.pipe(v.array(int(1, LIMITS.maxUnits)), v.maxLength(LIMITS.maxHiddenLayers)),
    activations: v.pipe(
      v.array(v.picklist(ACTIVATION_NAMES)),
      v.minLength(1),
      v.maxLength(LIMITS.maxHiddenLayers + 1),
    ),
    trainBiases: v.boolean(),
    seed: int(0, 2 ** 32 - 1),
    /** The built-in data generators' seed (houses); absent means 1. */
    dataSeed: v.optional(int(0, 2 ** 32 - 1)),
    normalize: v.boolean(),
    testFraction: v.pipe(finite, v.minValue(0), v.maxValue(MAX_TEST_FRACTION)),
    /** Required with a plane data set, refused with any other (the server says why). */
    plane: v.optional(planeSetupSchema),
    /** Absent: none. */
    regularization: v.optional(regularizationSchema),
  }),
  'host:hyper': v.strictObject({
    learningRate: v.optional(learningRateSchema),
    batchSize: v.optional(int(1, LIMITS.maxBatchSize)),
    speed: v.optional(int(LIMITS.minSpeed, LIMITS.maxSpeed)),
  }),
  'host:step': v.strictObject({ granularity: v.picklist(['stage', 'sample', 'batch', 'epoch']) }),
  'host:play': v.strictObject({ playing: v.boolean() }),
  'host:reset': v.strictObject({}),
  'host:edit-weight': v.strictObject({
    layer: int(0, LIMITS.maxHiddenLayers),
    to: int(0, LIMITS.maxUnits - 1),
    from: int(0, LIMITS.maxUnits - 1),
    value: v.pipe(finite, v.minValue(-100), v.maxValue(100)),
  }),
  'host:kick': v.strictObject({ participantId: v.pipe(v.string(), v.maxLength(64)) }),
  'host:lock': v.strictObject({ locked: v.boolean() }),
  'host:title': v.strictObject({ title: v.pipe(v.string(), v.maxLength(LIMITS.maxTitle)) }),
  'host:end': v.strictObject({}),
  // Cleaned and counted by the server (like names): the raw text may be longer.
  'host:marker': v.strictObject({
    label: v.pipe(v.string(), v.maxLength(LIMITS.maxNameInput)),
  }),
  // At least one of the two (the server refuses `{}` with a reason).
  'host:class-view': v.strictObject({
    focus: v.optional(v.nullable(focusSchema)),
    cards: v.optional(v.boolean()),
  }),
  // student:* and the participation host:* commands (participation.ts).
  ...participationSchemas(learningRateSchema),
} as const;

export type CommandName = keyof typeof schemas;
export type Payload<C extends CommandName> = v.InferOutput<(typeof schemas)[C]>;

/** Validates a payload; on failure returns a readable reason naming the field. */
export function parsePayload<C extends CommandName>(
  command: C,
  payload: unknown,
): { ok: true; value: Payload<C> } | { ok: false; message: string } {
  // valibot's (strict)object takes an empty array for an object without required keys
  // (an array is an object with no unknown keys): `[]` would pass as host:end's `{}`.
  if (Array.isArray(payload)) return { ok: false, message: `${command}: expected an object` };
  const result = v.safeParse(schemas[command], payload);
  if (result.success) return { ok: true, value: result.output as Payload<C> };
  const issue = result.issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.') ?? '';
  return { ok: false, message: `${command}: ${path ? `${path}: ` : ''}${issue.message}` };
}
