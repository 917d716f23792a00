/**
 * Three node processes on loopback, one Redis, one Postgres (cluster/forwarding.ts,
 * failover.ts). One room, its host and students spread over all three nodes: commands
 * that reach a node other than the owner are forwarded and answered as on one node, and
 * every client receives the same event stream (same seqs, the same state after reducing).
 * Then kill -9 of the owner during play: another node takes the room within the bound,
 * every client resumes with its last seq without a gap or a duplicate, and the recording
 * exported afterwards passes `cli verify`.
 * Real services (helpers/services.ts): the test fails, naming the service, if one cannot start.
 */
import { expect, test } from 'vitest';
import { leaseKey } from '../../src/cluster/room-leases';
import { emitAck, ok, once, waitUntil } from '../helpers/sockets';
import { useLesson } from './lesson-checks';
import type { Member, NodeProcess } from './node-processes';

const LEASE_TTL_MS = 1000;
/** The bound on a takeover after the owner dies. */
const FAILOVER_MS = 5000;

const { services, cluster, threeNodes, hostOn, joinOn, sameStream, exportVerifies } = useLesson(
  LEASE_TTL_MS,
  'Three nodes',
);

test('students on three nodes: commands forwarded to the owner, one event stream for all', async () => {
  const [a, b, c] = await threeNodes();
  const host = await hostOn(a);
  expect(await services.client.get(leaseKey(host.code))).toBe('node-a');
  const ada = await joinOn(a, host.code, 'Ada');
  const bob = await joinOn(b, host.code, 'Bob');
  const cy = await joinOn(c, host.code, 'Cy');
  await ok(host.socket, 'host:proposals', { open: true });
  // Nodes b and c forwarded the joins: the room stays on node a.
  expect(await services.client.get(leaseKey(host.code))).toBe('node-a');

  // The host also on node c (its second screen): its commands are forwarded too.
  const hostC = await cluster.resume(c, host.code, host.token, host.mirror);
  expect(hostC.reply).toMatchObject({ ok: true, role: 'host' });
  const projector: Member = { ...hostC, token: host.token, node: c };

  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  for (let k = 0; k < 3; k++) await ok(host.socket, 'host:step', { granularity: 'batch' });
  await ok(projector.socket, 'host:step', { granularity: 'batch' });
  // Errors come back as on one node: a student is not the host.
  const refused = await emitAck(bob.socket, 'host:step', { granularity: 'batch' });
  expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  // Idempotency across the hop: the same key twice is one proposal.
  const first = await ok(bob.socket, 'student:propose', { rate: 0.3, key: 'bob-proposes-0001' });
  const again = await ok(bob.socket, 'student:propose', { rate: 0.3, key: 'bob-proposes-0001' });
  expect(again.proposalId).toBe(first.proposalId);
  await ok(cy.socket, 'student:propose', { rate: 0.03, key: 'cy-proposes-00001' });

  // Play from node c: frames reach every node's sockets.
  const before = host.mirror.seq;
  await ok(projector.socket, 'host:play', { playing: true });
  await waitUntil(() => cy.mirror.seq >= before + 20 && bob.mirror.seq >= before + 20);
  await ok(projector.socket, 'host:play', { playing: false });
  await sameStream(host.code, [host, projector, ada, bob, cy]);

  // A kick from the owner reaches the student on node c, after the kick's event.
  const kicked = once(cy.socket, 'session:kicked');
  const cyId = host.mirror.state!.participants.find((p) => p.name === 'Cy')!.id;
  await ok(host.socket, 'host:kick', { participantId: cyId });
  await kicked;
  // Bob leaving node b is recorded by the owner: everyone sees him go.
  const bobId = bob.mirror.state!.participants.find((p) => p.name === 'Bob')!.id;
  const gone = () => host.mirror.state!.participants.find((p) => p.id === bobId)!.connected;
  bob.socket.disconnect();
  await waitUntil(() => !gone());
  await sameStream(host.code, [host, projector, ada]);
}, 60_000);

test('kill -9 of the owner during play: another node takes the room, every client resumes', async () => {
  const [a, b, c] = await threeNodes();
  const host = await hostOn(a);
  const members = [
    await joinOn(a, host.code, 'Ada'),
    await joinOn(b, host.code, 'Bob'),
    await joinOn(c, host.code, 'Cy'),
  ];
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() =>
    members.every((m) => m.mirror.seq >= host.mirror.seq - 5 && m.mirror.seq > 30),
  );

  // kill -9: no release. The students on b and c are disconnected by the node that takes over.
  const dropped = members.slice(1).map((m) => once(m.socket, 'disconnect'));
  const killed = Date.now();
  a.child.kill('SIGKILL');
  await a.exited;
  await Promise.all(dropped);
  expect(Date.now() - killed).toBeLessThan(FAILOVER_MS);
  const owner = await services.client.get(leaseKey(host.code));
  expect(['node-b', 'node-c']).toContain(owner);

  // Everyone resumes with their last seq on a living node: caught up without a gap.
  const nodeOf = (m: Member) => (m.node === a ? b : m.node);
  const back: Member[] = [];
  for (const m of [host, ...members]) {
    const again = await cluster.resume(nodeOf(m), host.code, m.token, m.mirror);
    expect(again.reply).toMatchObject({ ok: true });
    back.push({ ...again, token: m.token, node: nodeOf(m) });
  }
  const [hostBack] = back as [Member];
  // Restored paused, at the last committed event.
  expect(hostBack.mirror.state!.playing).toBe(false);
  const seq = await sameStream(host.code, back);
  for (const [k, m] of [host, ...members].entries()) {
    // Nothing a client had seen is lost: the resumed stream continues it.
    expect(seq).toBeGreaterThanOrEqual(m.mirror.seq);
    expect(back[k]!.mirror.received.every((e) => e.seq > m.mirror.seq)).toBe(true);
  }
  await ok(hostBack.socket, 'host:step', { granularity: 'batch' });
  await ok(hostBack.socket, 'host:end', {});
  await sameStream(host.code, back);

  // The recording, exported from a living node, re-simulates: `cli verify` passes.
  await exportVerifies(hostBack.node, host.code);
}, 60_000);

/** The count of owners killed one after another in one lesson. */
const ROUNDS = 10;

test('the owner killed ten times in a row: each time another node continues the room', async () => {
  let alive: NodeProcess[] = await threeNodes();
  const host = await hostOn(alive[0]!);
  const { code } = host;
  let clients: Member[] = [
    host,
    await joinOn(alive[1]!, code, 'Ada'),
    await joinOn(alive[2]!, code, 'Bob'),
  ];
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  let started = alive.length;
  for (let round = 0; round < ROUNDS; round++) {
    const from = clients[0]!.mirror.seq;
    await ok(clients[0]!.socket, 'host:play', { playing: true });
    await waitUntil(() => clients.every((m) => m.mirror.seq >= from + 10));

    const ownerId = await services.client.get(leaseKey(code));
    const owner = alive.find((node) => node.id === ownerId)!;
    // Its clients lose the connection; the others' are closed by the node that takes over.
    const dropped = clients.map((m) => once(m.socket, 'disconnect'));
    const killed = Date.now();
    owner.child.kill('SIGKILL');
    const replacement = cluster.start(`node-${++started}`);
    await Promise.all(dropped);
    expect(Date.now() - killed).toBeLessThan(FAILOVER_MS);
    const survivors = alive.filter((node) => node !== owner);

    const back: Member[] = [];
    for (const [k, m] of clients.entries()) {
      const node = survivors[k % survivors.length]!;
      const again = await cluster.resume(node, code, m.token, m.mirror);
      expect(again.reply).toMatchObject({ ok: true });
      back.push({ ...again, token: m.token, node });
    }
    await sameStream(code, back);
    clients = back;
    alive = [...survivors, await replacement];
  }
  await ok(clients[0]!.socket, 'host:end', {});
  await sameStream(code, clients);

  await exportVerifies(clients[0]!.node, code);
}, 60_000);

test('a stale owner (SIGSTOP past its lease, then SIGCONT) commits nothing and lets go', async () => {
  const [a, b, c] = await threeNodes();
  const host = await hostOn(a);
  const { code } = host;
  const ada = await joinOn(b, code, 'Ada');
  const bob = await joinOn(c, code, 'Bob');
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() => ada.mirror.seq > 20 && bob.mirror.seq > 20);

  // Frozen: its lease runs out, another node takes the room and its clients resume.
  const dropped = [ada, bob].map((m) => once(m.socket, 'disconnect'));
  a.child.kill('SIGSTOP');
  await Promise.all(dropped);
  const back: Member[] = [];
  for (const [m, node] of [
    [host, b],
    [ada, b],
    [bob, c],
  ] as const) {
    const again = await cluster.resume(node, code, m.token, m.mirror);
    expect(again.reply).toMatchObject({ ok: true });
    back.push({ ...again, token: m.token, node });
  }
  const before = await sameStream(code, back);

  // It wakes: its next commit or renewal finds the room gone, and it drops it: its own
  // socket is disconnected, the others' are not, and nothing of it is stored.
  const stale = once(host.socket, 'disconnect');
  let lost = false;
  for (const m of back) m.socket.once('disconnect', () => (lost = true));
  a.child.kill('SIGCONT');
  await stale;
  expect(await services.client.get(leaseKey(code))).not.toBe('node-a');
  const [hostBack] = back as [Member];
  await ok(hostBack.socket, 'host:step', { granularity: 'batch' });
  const after = await sameStream(code, back);
  expect(after).toBe(before + 1);
  expect(lost).toBe(false);
}, 60_000);
