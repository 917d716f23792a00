/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {}

export function parseNumberList(flag: string, text: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim()));
  if (text.trim() === '' || values.some((value) => !Number.isFinite(value))) {
    throw new UsageError(`--${flag}: expected comma-separated finite numbers, got "${text}"`);
  }
  return values;
}

export function parseNumber(
  flag: string,
  text: string | undefined,
  fallback: number,
  check: { integer?: boolean; min?: number; max?: number } = {},
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  const { integer = false, min = -Infinity, max = Infinity } = check;
  if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${flag}: expected ${integer ? 'an integer' : 'a number'}, got "${text}"`,
    );
  }
  if (value < min || value > max) {
    throw new UsageError(`--${flag}: must be between ${min} and ${max}, got ${value}`);
  }
  return value;
}
