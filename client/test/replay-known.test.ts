import { describe, expect, test } from 'vitest';
import {
  deleteTokenOf,
  KNOWN_KEY,
  KnownRecordings,
  MAX_KNOWN,
  parseKnown,
} from '../src/lib/replay/known';
import type { StorageLike } from '../src/lib/tokens';

class MemoryStorage implements StorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const ID_A = 'AAAAAAAAAAAAAAAAAAAAAA';
const ID_B = 'BBBBBBBBBBBBBBBBBBBBBB';

describe('KnownRecordings', () => {
  test('remembers, lists newest first, forgets', () => {
    const known = new KnownRecordings(new MemoryStorage());
    known.remember({
      replayId: ID_A,
      title: 'Lecture 1',
      via: 'hosted',
      code: 'ABCDEF',
      addedAt: 1,
    });
    known.remember({ replayId: ID_B, title: 'Lecture 2', via: 'opened', addedAt: 2 });
    expect(known.list().map((r) => r.title)).toEqual(['Lecture 2', 'Lecture 1']);
    known.forget(ID_B);
    expect(known.list().map((r) => r.replayId)).toEqual([ID_A]);
  });

  test('opening a hosted recording keeps its origin and secrets, updates its title', () => {
    const known = new KnownRecordings(new MemoryStorage());
    known.remember({ replayId: ID_A, title: 'Old', via: 'imported', deleteToken: 'secret' });
    const merged = known.remember({ replayId: ID_A, title: 'New title', via: 'opened' });
    expect(merged).toMatchObject({ via: 'imported', deleteToken: 'secret', title: 'New title' });
    expect(known.list()).toHaveLength(1);
  });

  test('a hosted session outranks a join (the host token may delete it)', () => {
    const known = new KnownRecordings(new MemoryStorage());
    known.remember({ replayId: ID_A, title: '', via: 'joined' });
    expect(
      known.remember({ replayId: ID_A, title: 'T', via: 'hosted', code: 'ABCDEF' }),
    ).toMatchObject({ via: 'hosted', code: 'ABCDEF', title: 'T' });
  });

  test('persists in storage as JSON and keeps at most MAX_KNOWN', () => {
    const storage = new MemoryStorage();
    const known = new KnownRecordings(storage);
    for (let k = 0; k < MAX_KNOWN + 5; k++) {
      known.remember({
        replayId: `id${String(k).padStart(20, '0')}`,
        title: `${k}`,
        via: 'opened',
        addedAt: k,
      });
    }
    expect(new KnownRecordings(storage).list()).toHaveLength(MAX_KNOWN);
    expect(new KnownRecordings(storage).list()[0]?.title).toBe(`${MAX_KNOWN + 4}`);
  });

  test('works without storage, and when storage throws', () => {
    const none = new KnownRecordings(null);
    none.remember({ replayId: ID_A, title: 'x', via: 'opened' });
    expect(none.list()).toHaveLength(1);
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {},
    };
    const known = new KnownRecordings(broken);
    known.remember({ replayId: ID_A, title: 'x', via: 'opened' });
    expect(known.list()).toHaveLength(1);
  });

  test('the delete token: an import’s own, or the host token of the session', () => {
    const host = (code: string) => (code === 'ABCDEF' ? 'host-token' : null);
    expect(
      deleteTokenOf(
        { replayId: ID_A, title: '', addedAt: 0, via: 'imported', deleteToken: 'd' },
        host,
      ),
    ).toBe('d');
    expect(
      deleteTokenOf({ replayId: ID_A, title: '', addedAt: 0, via: 'hosted', code: 'ABCDEF' }, host),
    ).toBe('host-token');
    expect(
      deleteTokenOf({ replayId: ID_A, title: '', addedAt: 0, via: 'opened' }, host),
    ).toBeNull();
  });
});

describe('parseKnown', () => {
  test('drops what is not a well-formed entry', () => {
    expect(parseKnown('not json')).toEqual([]);
    expect(parseKnown('{}')).toEqual([]);
    const raw = JSON.stringify([
      { replayId: ID_A, title: 'ok', addedAt: 1, via: 'opened', summary: { bad: true } },
      { replayId: '../../etc', title: 'bad id', addedAt: 1, via: 'opened' },
      { replayId: ID_B, title: 'bad via', addedAt: 1, via: 'stolen' },
      null,
    ]);
    expect(parseKnown(raw)).toEqual([{ replayId: ID_A, title: 'ok', addedAt: 1, via: 'opened' }]);
  });

  test('reads the key it writes', () => {
    const storage = new MemoryStorage();
    new KnownRecordings(storage).remember({ replayId: ID_A, title: 't', via: 'opened' });
    expect(storage.items.has(KNOWN_KEY)).toBe(true);
  });
});
