/** Temporary data folders and recorded sessions for the store tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionEvent, SessionState } from '@backprop/shared/session';
import { classSession, randomSession } from '../../../shared/test/recording/helpers/sessions';
import type { AsyncStore, SessionRecord, Store } from '../../src/store';

export { classSession, randomSession };

export const HOST_TOKEN = 'host-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaa';

/** A fresh folder under the OS temp dir; remove() deletes it and everything in it. */
export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bpl-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Creates a session in `store` that starts at `initial`, with its code. */
export function createFrom(store: Store, initial: SessionState): SessionRecord;
export function createFrom(store: AsyncStore, initial: SessionState): Promise<SessionRecord>;
export function createFrom(
  store: Store | AsyncStore,
  initial: SessionState,
): SessionRecord | Promise<SessionRecord> {
  return store.createSession({
    code: initial.code,
    title: initial.title,
    createdAt: initial.createdAt,
    hostToken: HOST_TOKEN,
    initial,
  });
}

/** What every reader gets back from JSON: −0 becomes 0 (see the shared format tests). */
export function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The same session under another join code (the code is in every state, not in events). */
export function withCode<
  S extends { initial: SessionState; final: SessionState; events: SessionEvent[] },
>(session: S, code: string): S {
  return { ...session, initial: { ...session.initial, code }, final: { ...session.final, code } };
}
