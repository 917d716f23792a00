import { describe, expect, it } from 'vitest';
import type { Participant, Proposal } from '@backprop/shared/session';
import {
  ANONYMOUS,
  byRate,
  medianRate,
  myProposals,
  noteLength,
  noteProblem,
  proposerText,
} from '../src/lib/participation/proposals';

const people: Participant[] = [
  { id: 's1', name: 'Ada', connected: true },
  { id: 's2', name: 'Grace', connected: true },
  { id: 's3', name: 'Alan', connected: false },
  { id: 's4', name: 'Edsger', connected: true },
];

const proposal = (id: string, rate: number, supporters = 1, by: string[] = []): Proposal => ({
  id,
  rate,
  note: '',
  supporters,
  by,
});

describe('proposerText', () => {
  it('names the supporters who proposed while names were shown', () => {
    expect(proposerText({ by: ['s1'], supporters: 1 }, people, true)).toBe('Ada');
    expect(proposerText({ by: ['s1', 's2'], supporters: 2 }, people, true)).toBe('Ada and Grace');
    expect(proposerText({ by: ['s1', 's2', 's3'], supporters: 3 }, people, true)).toBe(
      'Ada, Grace and Alan',
    );
    expect(proposerText({ by: ['s1', 's2', 's3', 's4'], supporters: 4 }, people, true)).toBe(
      'Ada, Grace, Alan and 1 other',
    );
  });

  it('counts the anonymous and the departed, never names them', () => {
    expect(proposerText({ by: ['s1'], supporters: 3 }, people, true)).toBe('Ada and 2 others');
    expect(proposerText({ by: ['gone'], supporters: 1 }, people, true)).toBe(ANONYMOUS);
    expect(proposerText({ by: [], supporters: 2 }, people, true)).toBe(ANONYMOUS);
  });

  it('says anonymous whenever the host hides names', () => {
    expect(proposerText({ by: ['s1'], supporters: 1 }, people, false)).toBe(ANONYMOUS);
  });
});

describe('medianRate', () => {
  it('counts each supporter and takes the lower middle, as the server does', () => {
    expect(medianRate([])).toBeNull();
    expect(medianRate([proposal('p1', 0.1)])).toBe(0.1);
    // 0.01, 0.1, 1 → 0.1
    expect(medianRate([proposal('p1', 1), proposal('p2', 0.01), proposal('p3', 0.1)])).toBe(0.1);
    // 0.01, 1 → the lower: 0.01
    expect(medianRate([proposal('p1', 1), proposal('p2', 0.01)])).toBe(0.01);
    // 0.01 ×1, 1 ×3 → 0.01, 1, 1, 1 → lower middle is 1
    expect(medianRate([proposal('p1', 1, 3), proposal('p2', 0.01)])).toBe(1);
    // 0.01 ×2, 1 ×2 → lower middle 0.01
    expect(medianRate([proposal('p1', 1, 2), proposal('p2', 0.01, 2)])).toBe(0.01);
  });
});

describe('notes', () => {
  it('counts code points (an emoji is one character), after trimming', () => {
    expect(noteLength('  hi  ')).toBe(2);
    expect(noteLength('😀'.repeat(140))).toBe(140);
    expect(noteProblem('😀'.repeat(140))).toBeNull();
    expect(noteProblem('x'.repeat(141))).toBe(
      'A note has at most 140 characters (this one has 141).',
    );
  });
});

describe('myProposals and byRate', () => {
  const items = [proposal('p1', 1, 1, ['s1']), proposal('p2', 0.01), proposal('p3', 0.1)];

  it('finds what this student made here, or what names them', () => {
    expect(myProposals(items, new Set(['p2']), 's1').map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(myProposals(items, new Set(), null)).toEqual([]);
  });

  it('sorts by rate without touching the pool', () => {
    expect(byRate(items).map((p) => p.id)).toEqual(['p2', 'p3', 'p1']);
    expect(items.map((p) => p.id)).toEqual(['p1', 'p2', 'p3']);
  });
});
