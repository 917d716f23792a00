/**
 * What the multi-node tests check of a lesson once the nodes have done their worst: every
 * member holds the same stream as the store, and the recording exported from a living node
 * re-simulates (`cli verify`).
 */
import { expect } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres/postgres-store';
import { expectExportVerifies } from '../helpers/cli';
import { waitUntil } from '../helpers/sockets';
import type { Member, NodeProcess } from './node-processes';

/** Every member has reached the last committed seq and holds exactly the same state. */
export async function sameStream(
  store: PostgresStore,
  code: string,
  members: Member[],
  timeoutMs?: number,
): Promise<number> {
  const { lastSeq } = (await store.session(code))!;
  for (const { mirror } of members) await waitUntil(() => mirror.seq >= lastSeq, timeoutMs);
  const states = members.map(({ mirror }) => JSON.stringify(mirror.state));
  for (const state of states) expect(state).toBe(states[0]);
  for (const { mirror } of members) {
    expect(mirror.seq).toBe(lastSeq);
    expect({ gaps: mirror.gaps, duplicates: mirror.duplicates }).toEqual({
      gaps: 0,
      duplicates: 0,
    });
  }
  return lastSeq;
}

/** The recording, exported through `node`, passes `cli verify`. */
export async function exportVerifies(
  store: PostgresStore,
  node: NodeProcess,
  code: string,
): Promise<void> {
  await expectExportVerifies(node, (await store.session(code))!.replayId);
}
