import { describe, expect, it } from 'vitest';
import type { Participant } from '@backprop/shared/session';
import {
  FORMER_STUDENT,
  leaderboard,
  ordinal,
  rankScores,
} from '../src/lib/participation/leaderboard';

const people: Participant[] = [
  { id: 'a', name: 'Ada', connected: true },
  { id: 'b', name: 'Bob', connected: true },
  { id: 'c', name: 'Cy', connected: false },
  { id: 'd', name: 'Dee', connected: true },
  { id: 'e', name: 'Eve', connected: true },
];

describe('rankScores', () => {
  it('ranks by points, ties sharing a rank and the next rank skipping', () => {
    const ranked = rankScores(
      [
        { id: 'c', points: 2 },
        { id: 'a', points: 3 },
        { id: 'b', points: 2 },
        { id: 'd', points: 1 },
      ],
      people,
    );
    expect(ranked.map((r) => [r.name, r.points, r.rank])).toEqual([
      ['Ada', 3, 1],
      ['Bob', 2, 2],
      ['Cy', 2, 2],
      ['Dee', 1, 4],
    ]);
  });

  it('names a scorer who is gone, and leaves out zero points', () => {
    const ranked = rankScores(
      [
        { id: 'zz', points: 1 },
        { id: 'a', points: 0 },
      ],
      people,
    );
    expect(ranked).toEqual([{ id: 'zz', name: FORMER_STUDENT, points: 1, rank: 1 }]);
  });
});

describe('leaderboard', () => {
  const scores = [
    { id: 'a', points: 5 },
    { id: 'b', points: 4 },
    { id: 'c', points: 4 },
    { id: 'd', points: 2 },
    { id: 'e', points: 1 },
  ];

  it('cuts after the top places but keeps a tie that straddles the cut', () => {
    const board = leaderboard(scores, people, null, 2);
    expect(board.top.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(board.total).toBe(5);
    expect(board.mine).toBeNull();
  });

  it('finds the student’s own line, inside or outside the top', () => {
    expect(leaderboard(scores, people, 'e', 3).mine).toMatchObject({ rank: 5, points: 1 });
    expect(leaderboard(scores, people, 'b', 3).mine).toMatchObject({ rank: 2 });
    expect(leaderboard([], people, 'b').mine).toBeNull();
  });
});

describe('ordinal', () => {
  it('reads 1st, 2nd, 3rd, 4th, 11th–13th, 21st, 102nd', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 102, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '102nd',
      '111th',
    ]);
  });
});
