/**
 * A class joining at once across three nodes (docs/scaling.md, "join storms"): 150 joins in
 * flight, two thirds of them forwarded to the room's owner. The owner is paused (SIGSTOP)
 * for longer than the forwarding timeout while they are in flight, as a busy owner was in
 * bench:cluster, so forwarded joins are answered `busy` and retried by the clients with
 * their key, as the browser does (client/src/lib/connection.svelte.ts). Every join must
 * succeed, once: one participant per student, the token each got back is theirs.
 */
import { expect, test } from 'vitest';
import { FORWARD_TIMEOUT_MS } from '../../src/cluster/forwarding';
import { leaseKey } from '../../src/cluster/room-leases';
import type { Client } from '../helpers/server';
import { emitAck, Mirror, ok, waitUntil } from '../helpers/sockets';
import { useCluster, type NodeProcess } from './node-processes';

// Long enough that the paused owner keeps its room (no failover in this test).
const { services, nodes: cluster } = useCluster(30_000);

const STUDENTS = 150;

interface Outcome {
  participantId: string;
  token: string;
  /** Attempts answered `busy` or not at all before the one that succeeded. */
  retries: number;
}

/** A join as the browser sends it: retried with the same key after `busy` or no answer. */
async function joinLikeBrowser(socket: Client, code: string, name: string, key: string) {
  for (let retries = 0; retries < 10; retries++) {
    const reply = await emitAck(socket, 'session:join', { code, name, key }).catch(() => null);
    if (reply?.ok) return { participantId: reply.participantId, token: reply.token, retries };
    if (reply && !(reply.error.code === 'busy' && reply.error.retryAfterMs)) {
      throw new Error(`${name}: ${reply.error.code}: ${reply.error.message}`);
    }
    const backoff = Math.min(8000, 500 * 2 ** retries) * (0.5 + Math.random());
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(reply?.error.retryAfterMs ?? 0, backoff)),
    );
  }
  throw new Error(`${name}: no join after 10 attempts`);
}

test('150 joins at once over three nodes, the owner paused past the timeout: each joins once', async () => {
  const nodes = await Promise.all(['node-a', 'node-b', 'node-c'].map((id) => cluster.start(id)));
  const [a] = nodes as [NodeProcess, NodeProcess, NodeProcess];
  const hostSocket = await cluster.connect(a);
  const host = new Mirror(hostSocket);
  const created = await ok(hostSocket, 'session:create', { title: 'Join storm' });
  host.sync(created.sync);
  expect(await services.client.get(leaseKey(created.code))).toBe('node-a');

  const sockets = await Promise.all(
    Array.from({ length: STUDENTS }, (_, k) => cluster.connect(nodes[k % 3]!)),
  );
  const started = Date.now();
  const joins = sockets.map((socket, k) =>
    joinLikeBrowser(socket, created.code, `Student ${k}`, `storm-${String(k).padStart(12, '0')}`),
  );
  // The owner stops answering for longer than the forwarding timeout, mid-storm.
  a.child.kill('SIGSTOP');
  await new Promise((resolve) => setTimeout(resolve, FORWARD_TIMEOUT_MS + 1000));
  a.child.kill('SIGCONT');
  const outcomes: Outcome[] = await Promise.all(joins);
  const elapsed = Date.now() - started;

  expect(elapsed).toBeLessThan(60_000);
  // The pause made forwarded joins time out: the retries, not luck, got them in.
  const retried = outcomes.filter((o) => o.retries > 0);
  expect(retried.length).toBeGreaterThan(0);
  // One participant each: distinct ids and tokens, and the room has exactly these.
  expect(new Set(outcomes.map((o) => o.participantId)).size).toBe(STUDENTS);
  expect(new Set(outcomes.map((o) => o.token)).size).toBe(STUDENTS);
  await waitUntil(() => host.state!.participants.length >= STUDENTS, 10_000);
  const participants = host.state!.participants;
  expect(participants).toHaveLength(STUDENTS);
  expect(new Map(participants.map((p) => [p.id, p.name]))).toEqual(
    new Map(outcomes.map((o, k) => [o.participantId, `Student ${k}`])),
  );
  // The token a retry got back is the student's own: it resumes them, on any node.
  for (const [k, outcome] of retried.slice(0, 5).entries()) {
    const socket = await cluster.connect(nodes[(k + 1) % 3]!);
    const resumed = await ok(socket, 'session:resume', {
      code: created.code,
      token: outcome.token,
      lastSeq: 0,
    });
    expect(resumed.participantId).toBe(outcome.participantId);
  }
}, 90_000);

test('an older client that gives up on a busy join: once the owner runs it, its departure reaches the owner too', async () => {
  const [a, b] = await Promise.all([cluster.start('node-a'), cluster.start('node-b')]);
  const hostSocket = await cluster.connect(a);
  const host = new Mirror(hostSocket);
  const created = await ok(hostSocket, 'session:create', { title: 'Late join' });
  host.sync(created.sync);
  a.child.kill('SIGSTOP');
  // No key, no retry: the client shows the refusal and closes its socket.
  const old = await cluster.connect(b);
  const reply = await emitAck(old, 'session:join', { code: created.code, name: 'Old phone' });
  expect(reply).toMatchObject({ ok: false, error: { code: 'busy' } });
  old.disconnect();
  a.child.kill('SIGCONT');
  // The owner ran the join late (the student joined), then learned the socket had gone.
  await waitUntil(() => host.received.some((e) => e.type === 'participant-joined'), 10_000);
  await waitUntil(() => host.state!.participants[0]?.connected === false, 10_000);
}, 60_000);
