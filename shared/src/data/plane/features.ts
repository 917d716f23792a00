/**
 * Input features: what the network sees of a point (x₁, x₂). Switching on x₁² or sin x₁
 * lets a small network draw boundaries it could not draw from x₁ and x₂ alone.
 */
export const FEATURE_NAMES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sin1', 'sin2'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

export const DEFAULT_FEATURES: readonly FeatureName[] = ['x1', 'x2'];

const LABELS: Record<FeatureName, string> = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁x₂',
  sin1: 'sin x₁',
  sin2: 'sin x₂',
};

export function isFeatureName(name: string): name is FeatureName {
  return (FEATURE_NAMES as readonly string[]).includes(name);
}

/** How the UI names a feature: 'x₁²', 'sin x₂'. */
export function featureLabel(name: FeatureName): string {
  return LABELS[name];
}

function featureValue(name: FeatureName, x1: number, x2: number): number {
  switch (name) {
    case 'x1':
      return x1;
    case 'x2':
      return x2;
    case 'x1sq':
      return x1 * x1;
    case 'x2sq':
      return x2 * x2;
    case 'x1x2':
      return x1 * x2;
    case 'sin1':
      return Math.sin(x1);
    case 'sin2':
      return Math.sin(x2);
    default:
      throw new RangeError(
        `unknown feature "${String(name)}"; the features are ${FEATURE_NAMES.join(', ')}`,
      );
  }
}

/**
 * Writes the features of (x1, x2), in the order given, to out[offset …]. No allocation:
 * the heatmaps call it for every cell of every frame.
 */
export function applyFeatures(
  x1: number,
  x2: number,
  features: readonly FeatureName[],
  out: Float64Array,
  offset = 0,
): void {
  for (let f = 0; f < features.length; f++) out[offset + f] = featureValue(features[f]!, x1, x2);
}

/**
 * Why a feature list cannot be used, or null: at least one feature, each known, none twice
 * (a repeated input unit would teach nothing and confuse the diagram).
 */
export function findFeaturesProblem(features: readonly string[]): string | null {
  if (features.length === 0) return 'choose at least one input feature';
  const seen = new Set<string>();
  for (const f of features) {
    if (!isFeatureName(f)) {
      return `unknown feature "${f}"; the features are ${FEATURE_NAMES.join(', ')}`;
    }
    if (seen.has(f)) return `the feature "${f}" is listed twice`;
    seen.add(f);
  }
  return null;
}
