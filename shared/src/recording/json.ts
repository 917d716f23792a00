/**
 * JSON.stringify that refuses NaN and ±Infinity instead of writing them as null: a null
 * where a number belongs would make every reader (and the file's own import) reject or,
 * worse, reduce a different state. The room already refuses such events; this is the
 * last check at each place a recording is serialized (the store, the export).
 *
 * The check is a plain walk before a plain JSON.stringify, not a replacer: a replacer is a
 * call per value, four times the cost of the stringify itself on a big network's weights
 * (bench:fair), and those frames are serialized while every other class waits.
 */
export function stringifyFinite(value: unknown): string {
  const path: (string | number)[] = [];
  const bad = walk(value, path);
  if (bad !== null) {
    const key = path[0]; // innermost
    throw new TypeError(
      `cannot serialize ${bad}${key === undefined ? '' : ` at "${key}"`}: JSON would write it as null`,
    );
  }
  return JSON.stringify(value);
}

/**
 * Where `value` holds a NaN or ±Infinity ("a[2].b is NaN"), or null if nowhere. The path
 * is put together only when something is found: the walk over 21,000 weights allocates
 * nothing.
 */
export function findNonFinite(value: unknown): string | null {
  const path: (string | number)[] = [];
  const bad = walk(value, path);
  if (bad === null) return null;
  let where = '';
  for (let k = path.length - 1; k >= 0; k--) {
    const part = path[k]!;
    where += typeof part === 'number' ? `[${part}]` : where === '' ? part : `.${part}`;
  }
  return `${where || 'value'} is ${bad}`;
}

/** The non-finite number found (its path pushed innermost first), or null. */
function walk(value: unknown, path: (string | number)[]): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : value;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      const item: unknown = value[k];
      if (typeof item === 'number') {
        if (Number.isFinite(item)) continue;
      } else if (typeof item !== 'object' || item === null) continue;
      const bad = walk(item, path);
      if (bad !== null) {
        path.push(k);
        return bad;
      }
    }
    return null;
  }
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const bad = walk((value as Record<string, unknown>)[key], path);
    if (bad !== null) {
      path.push(key);
      return bad;
    }
  }
  return null;
}
