/**
 * JSON.stringify that refuses NaN and ±Infinity instead of writing them as null: a null
 * where a number belongs would make every reader (and the file's own import) reject or,
 * worse, reduce a different state. The room already refuses such events; this is the
 * last check at each place a recording is serialized (the store, the export).
 */
export function stringifyFinite(value: unknown): string {
  return JSON.stringify(value, (key: string, item: unknown) => {
    if (typeof item === 'number' && !Number.isFinite(item)) {
      throw new TypeError(
        `cannot serialize ${item}${key === '' ? '' : ` at "${key}"`}: JSON would write it as null`,
      );
    }
    return item;
  });
}
