import { describe, expect, it } from 'vitest';
import { countText, plural, wasWere } from '../src/lib/plural';

describe('plural agreement', () => {
  it('uses the singular for exactly one and the plural for zero and many', () => {
    expect(countText(1, 'vote')).toBe('1 vote');
    expect(countText(0, 'vote')).toBe('0 votes');
    expect(countText(2, 'copy', 'copies')).toBe('2 copies');
    expect(plural(1, 'student has', 'students have')).toBe('student has');
    expect(plural(3, 'student has', 'students have')).toBe('students have');
  });

  it('makes the verb agree with the counted subject, not the total', () => {
    // "1 of 3 answers was right": the subject is the one right answer.
    expect(`1 of ${countText(3, 'answer')} ${wasWere(1)} right`).toBe('1 of 3 answers was right');
    expect(`2 of ${countText(3, 'answer')} ${wasWere(2)} right`).toBe('2 of 3 answers were right');
    expect(`0 of ${countText(1, 'answer')} ${wasWere(0)} right`).toBe('0 of 1 answer were right');
  });
});
