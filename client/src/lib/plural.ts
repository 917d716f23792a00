/**
 * English plural agreement in one place: "1 vote", "2 votes", "1 of 3 answers was right".
 * Every count the UI prints goes through these, so no sentence says "1 answers were".
 */

/** The word for n things: `one` for exactly 1, `many` otherwise (0 votes, 2 votes). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** A count with its noun: "1 step", "0 steps", "3 copies" (with `many` given). */
export function countText(n: number, one: string, many = `${one}s`): string {
  return `${n} ${plural(n, one, many)}`;
}

/** "was" or "were", agreeing with how many things the sentence's subject counts. */
export function wasWere(n: number): string {
  return plural(n, 'was', 'were');
}
