/**
 * The 2-D data sets of the playground (issue 13): points on the input plane, as in
 * TensorFlow Playground. Four classify (labels −1 / +1 before classLabel maps them to the
 * output's range), two regress (labels in [−1, 1]).
 */
export const PLANE_DATASET_IDS = [
  'circle',
  'quadrants',
  'gaussians',
  'spiral',
  'plane',
  'gaussian-mix',
] as const;
export type PlaneDatasetId = (typeof PLANE_DATASET_IDS)[number];

const CLASSIFICATION: readonly PlaneDatasetId[] = ['circle', 'quadrants', 'gaussians', 'spiral'];

/** x₁ and x₂ of every point lie in [−PLANE_EXTENT, PLANE_EXTENT] (TensorFlow Playground's 6). */
export const PLANE_EXTENT = 6;

/** The host's ranges: noise is a fraction (0 … 50 %), points a count. */
export const PLANE_LIMITS = {
  noise: { min: 0, max: 0.5 },
  points: { min: 50, max: 1000 },
} as const;

export const DEFAULT_PLANE_OPTIONS = { noise: 0, points: 200 } as const;

export function isPlaneDatasetId(id: string): id is PlaneDatasetId {
  return (PLANE_DATASET_IDS as readonly string[]).includes(id);
}

/** Whether the data set's labels are classes (−1 / +1) rather than values. */
export function isClassification(id: string): boolean {
  return (CLASSIFICATION as readonly string[]).includes(id);
}

export const PLANE_DATASET_TITLES: Record<PlaneDatasetId, string> = {
  circle: 'Circle',
  quadrants: 'XOR quadrants',
  gaussians: 'Two Gaussians',
  spiral: 'Spiral',
  plane: 'Plane',
  'gaussian-mix': 'Multi-Gaussian',
};

export const PLANE_DATASET_DESCRIPTIONS: Record<PlaneDatasetId, string> = {
  circle: 'Points inside a circle of radius 2.5 (class +1) and in a ring from 3.5 to 5 (class −1).',
  quadrants:
    'Points in the four quadrants: class +1 where x₁ and x₂ have the same sign, −1 where they differ.',
  gaussians: 'Two round clouds of points, class +1 around (2, 2) and −1 around (−2, −2).',
  spiral: 'Two interleaved spiral arms, one per class: the classic hard case.',
  plane: 'Regression: the value rises evenly across the plane, (x₁ + x₂) / 12.',
  'gaussian-mix': 'Regression: six bumps, alternately positive and negative, on two rows.',
};
