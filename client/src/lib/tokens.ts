/**
 * Secrets kept per session code in localStorage, so a reload (or a phone that drops its
 * connection) comes back as the same host or participant. Never put in a URL path or query.
 * Storage can be missing or throw (private browsing, disabled storage): then the tokens
 * live only as long as the page, and nothing breaks.
 */
export type TokenRole = 'host' | 'student';

export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function tokenKey(role: TokenRole, code: string): string {
  return `bpl:${role}:${code}`;
}

export class TokenStore {
  readonly #memory = new Map<string, string>();
  readonly #storage: StorageLike | null;

  constructor(storage: StorageLike | null) {
    this.#storage = storage;
  }

  get(role: TokenRole, code: string): string | null {
    const key = tokenKey(role, code);
    try {
      const stored = this.#storage?.getItem(key);
      if (stored) return stored;
    } catch {
      // fall through to the in-memory copy
    }
    return this.#memory.get(key) ?? null;
  }

  set(role: TokenRole, code: string, token: string): void {
    const key = tokenKey(role, code);
    this.#memory.set(key, token);
    try {
      this.#storage?.setItem(key, token);
    } catch {
      // quota or privacy mode: the in-memory copy still serves this page
    }
  }

  clear(role: TokenRole, code: string): void {
    const key = tokenKey(role, code);
    this.#memory.delete(key);
    try {
      this.#storage?.removeItem(key);
    } catch {
      // nothing to do
    }
  }
}

function browserStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export const tokens = new TokenStore(browserStorage());
