/**
 * The plane data generators. Every rule here is part of the recording format: a replay and
 * `cli verify` regenerate the points from the setup, and docs/playground.md spells the
 * rules out (draw order, formulas, salt) so that anyone can re-implement them. Changing
 * one stops older recordings from verifying.
 *
 * Modelled on TensorFlow Playground's dataset.ts, with three differences that a class
 * notices: the classes are exactly balanced (labels come from the construction, noise
 * moves the points), every point takes the same draws whatever the noise (so moving the
 * noise slider moves the same points a little rather than drawing new ones), and all
 * coordinates stay within ±PLANE_EXTENT.
 */
import { createRng } from '../../nn/random';
import {
  isPlaneDatasetId,
  PLANE_DATASET_IDS,
  PLANE_EXTENT,
  PLANE_LIMITS,
  type PlaneDatasetId,
} from './ids';

export interface PlaneOptions {
  /** 0 … 0.5: how far noise moves a point (classification) or its value (regression). */
  noise: number;
  /** 50 … 1000. */
  points: number;
}

export interface PlanePoints {
  /** Two numbers per point: x₁, x₂. */
  x: Float64Array;
  /** One per point: −1 / +1 (classification) or a value in [−1, 1] (regression). */
  label: Float64Array;
}

/** Added to the data seed so the points do not share a random stream with the weights. */
export const PLANE_SALT = 0x91a7e5;

/** Classification noise moves each coordinate by up to 2 × noise (±1 at 50 %). */
const NOISE_SPAN = 2;

type Rng = () => number;

/** The six bumps of 'gaussian-mix': centre x₁, centre x₂, sign. */
export const GAUSSIAN_MIX_BUMPS: readonly (readonly [number, number, number])[] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];

/** Why options cannot be used, or null. */
export function findPlaneOptionsProblem(options: PlaneOptions): string | null {
  const { noise, points } = options;
  if (!(
    Number.isFinite(noise) &&
    noise >= PLANE_LIMITS.noise.min &&
    noise <= PLANE_LIMITS.noise.max
  )) {
    return `the noise must be between ${PLANE_LIMITS.noise.min} and ${PLANE_LIMITS.noise.max}, got ${noise}`;
  }
  if (!(
    Number.isInteger(points) &&
    points >= PLANE_LIMITS.points.min &&
    points <= PLANE_LIMITS.points.max
  )) {
    return `the number of points must be a whole number from ${PLANE_LIMITS.points.min} to ${PLANE_LIMITS.points.max}, got ${points}`;
  }
  return null;
}

/** The points of a plane data set: the same bits for the same id, options and data seed. */
export function planePoints(
  id: PlaneDatasetId,
  options: PlaneOptions,
  dataSeed: number,
): PlanePoints {
  if (!isPlaneDatasetId(id)) {
    throw new RangeError(
      `unknown plane data set "${String(id)}"; they are ${PLANE_DATASET_IDS.join(', ')}`,
    );
  }
  const problem = findPlaneOptionsProblem(options);
  if (problem) throw new RangeError(problem);
  const n = options.points;
  const out: PlanePoints = { x: new Float64Array(2 * n), label: new Float64Array(n) };
  const rng = createRng(dataSeed + PLANE_SALT);
  // The first ⌈n/2⌉ points are class +1, the rest −1.
  const positives = n - Math.floor(n / 2);
  for (let i = 0; i < n; i++) {
    const label = i < positives ? 1 : -1;
    const [x1, x2, value] = GENERATORS[id](
      rng,
      options.noise,
      label,
      i < positives ? i : i - positives,
      i < positives ? positives : n - positives,
    );
    out.x[2 * i] = clampToPlane(x1);
    out.x[2 * i + 1] = clampToPlane(x2);
    out.label[i] = value;
  }
  return out;
}

/**
 * One point: (rng, noise, class, index within its class, size of its class) → x₁, x₂,
 * label. Regression generators ignore the class arguments.
 */
type Generator = (
  rng: Rng,
  noise: number,
  label: number,
  k: number,
  m: number,
) => [number, number, number];

const GENERATORS: Record<PlaneDatasetId, Generator> = {
  circle(rng, noise, label) {
    const radius = label > 0 ? 2.5 * rng() : 3.5 + 1.5 * rng();
    const angle = 2 * Math.PI * rng();
    const x1 = radius * Math.sin(angle) + moved(rng, noise);
    const x2 = radius * Math.cos(angle) + moved(rng, noise);
    return [x1, x2, label];
  },
  quadrants(rng, noise, label) {
    // |x| ≥ 0.3 keeps a gap along the axes, so noise 0 is cleanly separable.
    const a1 = 0.3 + 4.7 * rng();
    const a2 = 0.3 + 4.7 * rng();
    const sign = rng() < 0.5 ? 1 : -1;
    const x1 = sign * a1 + moved(rng, noise);
    const x2 = label * sign * a2 + moved(rng, noise);
    return [x1, x2, label];
  },
  gaussians(rng, noise, label) {
    // Variance 0.5 at noise 0 up to 4 at 50 %, as TensorFlow Playground.
    const sigma = Math.sqrt(0.5 + 7 * noise);
    const centre = 2 * label;
    const x1 = centre + sigma * gaussian(rng);
    const x2 = centre + sigma * gaussian(rng);
    return [x1, x2, label];
  },
  spiral(rng, noise, label, k, m) {
    const radius = (5 * k) / m;
    const angle = (3.5 * Math.PI * k) / m + (label > 0 ? 0 : Math.PI);
    const x1 = radius * Math.sin(angle) + moved(rng, noise);
    const x2 = radius * Math.cos(angle) + moved(rng, noise);
    return [x1, x2, label];
  },
  plane(rng, noise) {
    const x1 = uniformOnPlane(rng);
    const x2 = uniformOnPlane(rng);
    return [x1, x2, clampLabel((x1 + x2) / 12 + noise * (2 * rng() - 1))];
  },
  'gaussian-mix'(rng, noise) {
    const x1 = uniformOnPlane(rng);
    const x2 = uniformOnPlane(rng);
    return [x1, x2, clampLabel(gaussianMixValue(x1, x2) + noise * (2 * rng() - 1))];
  },
};

/**
 * The noise-free value of 'gaussian-mix' at (x1, x2): of the bumps sign × max(0, 1 − d/2)
 * (d the distance to the bump's centre), the one largest in absolute value; the first on a tie.
 */
export function gaussianMixValue(x1: number, x2: number): number {
  let value = 0;
  for (const [c1, c2, sign] of GAUSSIAN_MIX_BUMPS) {
    const d = Math.sqrt((x1 - c1) * (x1 - c1) + (x2 - c2) * (x2 - c2));
    const v = sign * Math.max(0, 1 - d / 2);
    if (Math.abs(v) > Math.abs(value)) value = v;
  }
  return value;
}

/** One coordinate's noise: uniform in [−2·noise, 2·noise]; one draw, taken even at noise 0. */
function moved(rng: Rng, noise: number): number {
  return NOISE_SPAN * noise * (2 * rng() - 1);
}

function uniformOnPlane(rng: Rng): number {
  return -PLANE_EXTENT + 2 * PLANE_EXTENT * rng();
}

/** A standard normal draw (Box–Muller, as the houses): `1 − r` keeps log() away from 0. */
function gaussian(rng: Rng): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function clampToPlane(v: number): number {
  return Math.min(PLANE_EXTENT, Math.max(-PLANE_EXTENT, v));
}

function clampLabel(v: number): number {
  return Math.min(1, Math.max(-1, v));
}
