/**
 * A lesson over three node processes (one Redis, one Postgres: useCluster), and what the
 * multi-node tests check of it once the nodes have done their worst: every member holds the
 * same stream as the store, and the recording exported from a living node re-simulates
 * (`cli verify`).
 */
import { afterEach, expect } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store';
import { expectExportVerifies } from '../helpers/cli';
import { waitUntil } from '../helpers/sockets';
import { useCluster, type Member, type NodeProcess } from './node-processes';

/** A test file's cluster, its store (opened by `threeNodes`), and the lesson's checks. */
export function useLesson(leaseTtlMs: number, title: string) {
  const { services, nodes: cluster } = useCluster(leaseTtlMs);
  let store: PostgresStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  const opened = () => {
    if (!store) throw new Error('threeNodes() opens the store');
    return store;
  };
  return {
    services,
    cluster,
    /** Three nodes, then the store (after them: the first of them migrates the database). */
    async threeNodes(): Promise<[NodeProcess, NodeProcess, NodeProcess]> {
      const ids = ['node-a', 'node-b', 'node-c'];
      const nodes = await Promise.all(ids.map((id) => cluster.start(id)));
      store = await openPostgresStore(services.postgres.url);
      return nodes as [NodeProcess, NodeProcess, NodeProcess];
    },
    hostOn: (node: NodeProcess) => cluster.host(node, title),
    joinOn: (node: NodeProcess, code: string, name: string) => cluster.join(node, code, name),
    sameStream: (code: string, members: Member[], timeoutMs?: number) =>
      sameStream(opened(), code, members, timeoutMs),
    exportVerifies: (node: NodeProcess, code: string) => exportVerifies(opened(), node, code),
  };
}

/** Every member has reached the last committed seq and holds exactly the same state. */
async function sameStream(
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
async function exportVerifies(store: PostgresStore, node: NodeProcess, code: string) {
  await expectExportVerifies(node, (await store.session(code))!.replayId);
}
