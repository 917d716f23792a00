import { describe, expect, test } from 'vitest';
import { quorumNeeded } from '../../../src/session';

describe('quorumNeeded', () => {
  test.each([
    // majority: more than half
    [{ kind: 'majority' }, 20, 11],
    [{ kind: 'majority' }, 19, 10],
    [{ kind: 'majority' }, 18, 10],
    [{ kind: 'majority' }, 2, 2],
    [{ kind: 'majority' }, 1, 1],
    [{ kind: 'all' }, 7, 7],
    // percent: rounded up, without float noise (7 × 100 % is 7, not 8)
    [{ kind: 'percent', value: 55 }, 20, 11],
    [{ kind: 'percent', value: 55 }, 19, 11],
    [{ kind: 'percent', value: 55 }, 18, 10],
    [{ kind: 'percent', value: 100 }, 7, 7],
    [{ kind: 'percent', value: 75 }, 10, 8],
    [{ kind: 'percent', value: 1 }, 3, 1],
    [{ kind: 'percent', value: 33.3 }, 3, 1],
    // count: that many, or everyone when fewer are connected
    [{ kind: 'count', value: 5 }, 20, 5],
    [{ kind: 'count', value: 5 }, 3, 3],
  ] as const)('%o of %i connected needs %i', (quorum, connected, needed) => {
    expect(quorumNeeded(quorum, connected)).toBe(needed);
  });

  test('an empty room needs one, so it never steps by itself', () => {
    for (const quorum of [
      { kind: 'majority' },
      { kind: 'all' },
      { kind: 'percent', value: 50 },
      { kind: 'count', value: 3 },
    ] as const) {
      expect(quorumNeeded(quorum, 0)).toBe(1);
    }
  });
});
