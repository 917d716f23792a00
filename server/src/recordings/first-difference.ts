/**
 * Where two JSON values first differ: a path ("progress.network.weights[0][1][2]") and
 * the two values there. Numbers are compared with ===, so 0 and −0 (which JSON cannot
 * tell apart) are equal; a key whose value is undefined counts as absent (JSON drops it).
 */
export interface Difference {
  what: string;
  expected: unknown;
  actual: unknown;
}

export function firstDifference(expected: unknown, actual: unknown, path = ''): Difference | null {
  if (expected === actual) return null;
  const here = (): Difference => ({ what: path || '(value)', expected, actual });
  if (typeof expected !== 'object' || typeof actual !== 'object') return here();
  if (expected === null || actual === null) return here();
  if (Array.isArray(expected) !== Array.isArray(actual)) return here();
  if (Array.isArray(expected)) {
    const list = actual as unknown[];
    if (expected.length !== list.length) {
      return {
        what: `${path || '(value)'}.length`,
        expected: expected.length,
        actual: list.length,
      };
    }
    for (let k = 0; k < expected.length; k++) {
      const found = firstDifference(expected[k], list[k], `${path}[${k}]`);
      if (found) return found;
    }
    return null;
  }
  const a = expected as Record<string, unknown>;
  const b = actual as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}
