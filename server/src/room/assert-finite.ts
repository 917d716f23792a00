/**
 * The last line of defence for "nothing non-finite is ever serialized": JSON would turn
 * NaN and ±Infinity into null and every client would reduce a different state. Training
 * is built so this never fires; if it does, the event is refused before it is recorded.
 */
export function findNonFinite(value: unknown, path = ''): string | null {
  if (typeof value === 'number')
    return Number.isFinite(value) ? null : `${path || 'value'} is ${value}`;
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      const found = findNonFinite(value[k], `${path}[${k}]`);
      if (found) return found;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    const found = findNonFinite(child, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}
