import { describe, expect, test } from 'vitest';
import {
  hashOf,
  hostHandoverLink,
  isCode,
  joinLink,
  normalizeCode,
  parseHash,
} from '../src/lib/routes';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz012345';

describe('parseHash', () => {
  test('home for an empty or bare hash', () => {
    expect(parseHash('').route).toEqual({ page: 'home' });
    expect(parseHash('#').route).toEqual({ page: 'home' });
    expect(parseHash('#/').route).toEqual({ page: 'home' });
    expect(parseHash('#/?').route).toEqual({ page: 'home' });
  });

  test('home with a setup link keeps its query for the start page to read', () => {
    expect(parseHash('#/?dataset=spiral&seed=3').route).toEqual({
      page: 'home',
      setup: 'dataset=spiral&seed=3',
    });
  });

  test('each page with its code', () => {
    expect(parseHash('#/host/ABCDEF').route).toEqual({ page: 'host', code: 'ABCDEF' });
    expect(parseHash('#/join/ABCDEF').route).toEqual({ page: 'join', code: 'ABCDEF' });
    expect(parseHash('#/s/ABCDEF').route).toEqual({ page: 'student', code: 'ABCDEF' });
    expect(parseHash('#/projector/ABCDEF').route).toEqual({ page: 'projector', code: 'ABCDEF' });
  });

  test('codes are upper-cased', () => {
    expect(parseHash('#/join/abcdef').route).toEqual({ page: 'join', code: 'ABCDEF' });
  });

  test('unknown pages, bad codes and extra segments are unknown', () => {
    expect(parseHash('#/nope/ABCDEF').route).toEqual({ page: 'unknown' });
    expect(parseHash('#/host/ABC').route).toEqual({ page: 'unknown' });
    expect(parseHash('#/host/ABCDE0').route).toEqual({ page: 'unknown' }); // 0 is not in the alphabet
    expect(parseHash('#/host/ABCDEF/x').route).toEqual({ page: 'unknown' });
    expect(parseHash('#/constructor/ABCDEF').route).toEqual({ page: 'unknown' });
    expect(parseHash('#/host/%E0%A4%A').route).toEqual({ page: 'unknown' });
  });

  test('takes a host token from the fragment query of the host page only', () => {
    expect(parseHash(`#/host/ABCDEF?t=${TOKEN}`)).toEqual({
      route: { page: 'host', code: 'ABCDEF' },
      hostToken: TOKEN,
    });
    expect(parseHash(`#/s/ABCDEF?t=${TOKEN}`).hostToken).toBeNull();
    expect(parseHash('#/host/ABCDEF?t=short').hostToken).toBeNull();
    expect(parseHash('#/host/ABCDEF?t=<script>alert(1)</script>xxxxxxxx').hostToken).toBeNull();
  });
});

describe('links', () => {
  test('hashOf round-trips through parseHash', () => {
    for (const page of ['host', 'join', 'student', 'projector'] as const) {
      const route = { page, code: 'HJK234' };
      expect(parseHash(hashOf(route)).route).toEqual(route);
    }
    expect(hashOf({ page: 'home' })).toBe('#/');
  });

  test('the handover link keeps the token in the fragment', () => {
    const link = hostHandoverLink('https://x.test', 'HJK234', TOKEN);
    const url = new URL(link);
    expect(url.pathname).toBe('/');
    expect(url.search).toBe('');
    expect(parseHash(url.hash).hostToken).toBe(TOKEN);
    expect(joinLink('https://x.test', 'HJK234')).toBe('https://x.test/#/join/HJK234');
  });

  test('normalizeCode and isCode', () => {
    expect(normalizeCode(' hjk-234 ')).toBe('HJK234');
    expect(isCode('HJK234')).toBe(true);
    expect(isCode('HJK23')).toBe(false);
    expect(isCode('HJKI34')).toBe(false); // I is ambiguous, not in the alphabet
  });
});
