import * as v from 'valibot';
import { FEATURE_NAMES } from '../data/plane/features';
import { PLANE_LIMITS } from '../data/plane/ids';
import { MAX_REGULARIZATION_RATE, REGULARIZATION_KINDS } from '../nn/regularization';

/**
 * The playground's parts of a setup (docs/playground.md), for host:setup and the
 * recording schemas alike: one definition, so a recording holds only what a host could send.
 */
const finite = v.pipe(v.number(), v.finite());

export const planeSetupSchema = v.strictObject({
  noise: v.pipe(finite, v.minValue(PLANE_LIMITS.noise.min), v.maxValue(PLANE_LIMITS.noise.max)),
  points: v.pipe(
    v.number(),
    v.integer(),
    v.minValue(PLANE_LIMITS.points.min),
    v.maxValue(PLANE_LIMITS.points.max),
  ),
  features: v.pipe(
    v.array(v.picklist(FEATURE_NAMES)),
    v.minLength(1, 'choose at least one input feature'),
    v.maxLength(FEATURE_NAMES.length),
    v.check((fs) => new Set(fs).size === fs.length, 'a feature is listed twice'),
  ),
});

export const regularizationSchema = v.strictObject({
  kind: v.picklist(REGULARIZATION_KINDS),
  rate: v.pipe(finite, v.minValue(0), v.maxValue(MAX_REGULARIZATION_RATE)),
});

const fraction = v.pipe(finite, v.minValue(0), v.maxValue(1));

/** Train and test accuracy (session/state.ts Accuracy), in loss points, progress and frames. */
export const accuracySchema = v.strictObject({ train: fraction, test: v.nullable(fraction) });

/** λ·R(w): never negative. */
export const penaltySchema = v.pipe(finite, v.minValue(0));
