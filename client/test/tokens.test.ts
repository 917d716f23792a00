import { expect, test } from 'vitest';
import { TokenStore, tokenKey, type StorageLike } from '../src/lib/tokens';

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

test('tokens are kept per role and code under bpl: keys', () => {
  const storage = memoryStorage();
  const store = new TokenStore(storage);
  store.set('host', 'ABCDEF', 'h-token');
  store.set('student', 'ABCDEF', 's-token');
  expect(storage.data.get('bpl:host:ABCDEF')).toBe('h-token');
  expect(tokenKey('student', 'ABCDEF')).toBe('bpl:student:ABCDEF');
  expect(new TokenStore(storage).get('student', 'ABCDEF')).toBe('s-token');
  expect(store.get('host', 'OTHERS')).toBeNull();
  store.clear('student', 'ABCDEF');
  expect(store.get('student', 'ABCDEF')).toBeNull();
  expect(store.get('host', 'ABCDEF')).toBe('h-token');
});

test('a throwing storage falls back to memory for the page', () => {
  const broken: StorageLike = {
    getItem: () => {
      throw new Error('denied');
    },
    setItem: () => {
      throw new Error('denied');
    },
    removeItem: () => {
      throw new Error('denied');
    },
  };
  const store = new TokenStore(broken);
  store.set('host', 'ABCDEF', 'h');
  expect(store.get('host', 'ABCDEF')).toBe('h');
  store.clear('host', 'ABCDEF');
  expect(store.get('host', 'ABCDEF')).toBeNull();
  expect(new TokenStore(null).get('host', 'ABCDEF')).toBeNull();
});
