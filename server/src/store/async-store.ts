/**
 * The Store's contract with Promise-returning methods: what a store on a network database
 * (Postgres: store/postgres/) can offer. The same guarantee holds: a method whose promise
 * has resolved has committed. SQLite meets it through asyncSqliteStore, so one contract
 * suite (server/test/store/store-contract.ts) runs against both.
 *
 * The whole server (rooms, registry, restore, recordings routes) uses this interface: a
 * room awaits its commit before it acknowledges or broadcasts (room/room.ts). The
 * synchronous Store stays for SQLite itself, its tests and the command line.
 */
import type { SqliteStore } from './sqlite-store';
import type { Store } from './store';

type Async<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;

export type AsyncStore = {
  [K in Exclude<keyof Store, 'transaction'>]: Async<Store[K]>;
} & {
  /**
   * Runs `work` in one transaction, given the store to call inside it: those calls commit
   * together, or (if `work` rejects) none of them. Calls on `tx` inside `tx.transaction`
   * join the outer transaction.
   */
  transaction<T>(work: (tx: AsyncStore) => Promise<T>): Promise<T>;
};

/**
 * `store` behind the async contract. better-sqlite3 cannot keep one of its transactions
 * open across an await, so a transaction here is BEGIN … COMMIT by hand, and every call
 * from outside it waits until it ends (they would otherwise join it).
 */
export function asyncSqliteStore(store: SqliteStore): AsyncStore {
  let idle: Promise<void> = Promise.resolve();
  const wrap = (outside: boolean): AsyncStore => {
    const view = {} as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(store))) {
      if (name === 'constructor' || name === 'transaction') continue;
      const method = (store as unknown as Record<string, unknown>)[name];
      if (typeof method !== 'function') continue;
      view[name] = async (...args: unknown[]) => {
        if (outside) await idle;
        return (method as (...a: unknown[]) => unknown).apply(store, args);
      };
    }
    view.transaction = async <T>(work: (tx: AsyncStore) => Promise<T>): Promise<T> => {
      if (!outside) return work(inside);
      const before = idle;
      let done!: () => void;
      idle = new Promise((resolve) => (done = resolve));
      await before;
      const manual = store.beginManualTransaction();
      try {
        const result = await work(inside);
        manual.commit();
        return result;
      } catch (err) {
        manual.rollback();
        throw err;
      } finally {
        done();
      }
    };
    return view as unknown as AsyncStore;
  };
  const inside = wrap(false);
  return wrap(true);
}
