import { describe, expect, test } from 'vitest';
import { hashOf, parseHash } from '../src/lib/routes';

const ID = 'Zx9_-abcdefghijklmnopq';

describe('recordings and replay routes', () => {
  test('parse and round-trip', () => {
    expect(parseHash('#/recordings').route).toEqual({ page: 'recordings' });
    expect(parseHash(`#/replay/${ID}`).route).toEqual({ page: 'replay', replayId: ID });
    expect(parseHash(hashOf({ page: 'replay', replayId: ID })).route).toEqual({
      page: 'replay',
      replayId: ID,
    });
    expect(hashOf({ page: 'recordings' })).toBe('#/recordings');
  });

  test('bad replay ids and extra segments are unknown pages', () => {
    expect(parseHash('#/replay').route).toEqual({ page: 'unknown' });
    expect(parseHash('#/replay/short').route).toEqual({ page: 'unknown' });
    expect(parseHash('#/replay/<script>alert(1)</script>').route).toEqual({ page: 'unknown' });
    expect(parseHash(`#/replay/${ID}/x`).route).toEqual({ page: 'unknown' });
    expect(parseHash('#/recordings/x').route).toEqual({ page: 'unknown' });
  });

  test('replay ids keep their case (codes are upper-cased, ids are not)', () => {
    expect(parseHash('#/replay/abcdefghijklmnopqrstuv').route).toEqual({
      page: 'replay',
      replayId: 'abcdefghijklmnopqrstuv',
    });
  });
});
