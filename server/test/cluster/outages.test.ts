/**
 * Outages in a cluster of three node processes (one Redis, one Postgres, real services):
 * Redis restarted during play, and a node that is not the room's owner killed (kill -9).
 */
import { expect, test } from 'vitest';
import { leaseKey } from '../../src/cluster/room-leases';
import { emitAck, ok, waitUntil } from '../helpers/sockets';
import { useLesson } from './lesson-checks';
import type { Member, NodeProcess } from './node-processes';

/** The default lease: a Redis restart shorter than it keeps every room where it runs. */
const LEASE_TTL_MS = 3000;

const { services, cluster, threeNodes, hostOn, joinOn, sameStream, exportVerifies } = useLesson(
  LEASE_TTL_MS,
  'Outages',
);

/** Polls Redis until the room's lease is `node`'s again (within a second of Redis's return). */
async function leaseBack(code: string, node: string): Promise<void> {
  const deadline = Date.now() + 2000;
  while ((await services.client.get(leaseKey(code)).catch(() => null)) !== node) {
    expect(Date.now()).toBeLessThan(deadline);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('Redis restarted during play: the owner keeps the room, every client catches up', async () => {
  const [a, b, c] = await threeNodes();
  const host = await hostOn(a);
  const { code } = host;
  const members = [host, await joinOn(a, code, 'Ada'), await joinOn(b, code, 'Bob')];
  const cy = await joinOn(c, code, 'Cy');
  members.push(cy);
  const bob = members[2]!;
  // Dee leaves node b during the first outage: the departure still reaches the owner.
  const dee = await joinOn(b, code, 'Dee');
  const deeConnected = () =>
    host.mirror.state!.participants.find((p) => p.name === 'Dee')!.connected;
  let dropped = 0;
  for (const m of members) m.socket.on('disconnect', () => dropped++);
  await ok(host.socket, 'host:proposals', { open: true });
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() => members.every((m) => m.mirror.seq > 20));

  // 1. Restarted while the room plays on: frames published meanwhile are lost to nodes b
  // and c, which fill the gap from the owner when the next frame shows it.
  await services.redis.stop();
  const during = host.mirror.seq;
  await waitUntil(() => host.mirror.seq >= during + 5);
  // A command that must cross to the owner is refused at once, saying why (not a hang).
  const asked = Date.now();
  const refused = await emitAck(bob.socket, 'student:propose', {
    rate: 0.3,
    key: 'bob-in-outage1',
  });
  expect(Date.now() - asked).toBeLessThan(1000);
  expect(refused).toMatchObject({ ok: false, error: { code: 'busy', message: /Redis/ } });
  dee.socket.disconnect();
  await services.redis.start();
  // The owner takes its lease again at once (Redis lost it: no persistence).
  await leaseBack(code, 'node-a');
  await waitUntil(() => !deeConnected());
  const back = host.mirror.seq;
  await waitUntil(() => [bob, cy].every((m) => m.mirror.seq >= back + 10), 10_000);
  expect(await services.client.get(leaseKey(code))).toBe('node-a');
  const proposal = await ok(bob.socket, 'student:propose', { rate: 0.3, key: 'bob-after-outage' });
  expect(proposal.proposalId).toBeTruthy();
  await ok(host.socket, 'host:play', { playing: false });
  await sameStream(code, members, 10_000);

  // 2. Restarted while the host pauses: nothing follows the pause, so nodes b and c learn
  // from the owner's heads that they are behind, and ask.
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() =>
    [bob, cy].every((m) => m.mirror.seq >= host.mirror.seq - 2 && m.mirror.seq > back + 20),
  );
  await services.redis.stop();
  await ok(host.socket, 'host:play', { playing: false });
  await ok(host.socket, 'host:step', { granularity: 'batch' });
  await services.redis.start();
  await sameStream(code, members, 10_000);
  expect(host.mirror.state!.playing).toBe(false);
  expect(await services.client.get(leaseKey(code))).toBe('node-a');
  expect(dropped).toBe(0);

  await ok(host.socket, 'host:end', {});
  await sameStream(code, members);
  await exportVerifies(c, code);
}, 60_000);

/** Resumes like the browser: a `busy` answer (Redis away, or just back) is tried again. */
async function resumeUntilOk(node: NodeProcess, code: string, m: Member, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const again = await cluster.resume(node, code, m.token, m.mirror);
    if (again.reply.ok) return { ...again, token: m.token, node } satisfies Member;
    expect(again.reply).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(Date.now()).toBeLessThan(deadline);
    again.socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('Redis away for longer than a lease: the owner lets go, the room comes back when Redis does', async () => {
  const [a, b, c] = await threeNodes();
  const host = await hostOn(a);
  const { code } = host;
  const members = [host, await joinOn(b, code, 'Bob'), await joinOn(c, code, 'Cy')];
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() => members.every((m) => m.mirror.seq > 20));

  // Unconfirmed for a whole lease time, the owner drops the room: its own client is
  // disconnected (the others' nodes keep theirs: they do not run the room).
  const dropped = new Promise((resolve) => host.socket.once('disconnect', resolve));
  await services.redis.stop();
  await dropped;
  // Meanwhile a resume is refused at once, saying why, on the owner and elsewhere.
  for (const node of [a, b]) {
    const asked = Date.now();
    const refused = await cluster.resume(node, code, host.token, host.mirror);
    expect(Date.now() - asked).toBeLessThan(1000);
    expect(refused.reply).toMatchObject({ ok: false, error: { code: 'busy', message: /Redis/ } });
  }

  // Redis is back: once it is older than a lease time (no owner left to take its leases
  // back), the room is restored from Postgres, paused at its last committed event; every
  // client resumes (the others are disconnected by the restore) without a gap.
  const othersDropped = members
    .slice(1)
    .map((m) => new Promise((r) => m.socket.once('disconnect', r)));
  await services.redis.start();
  const hostBack = await resumeUntilOk(a, code, host, 15_000);
  await Promise.all(othersDropped);
  const back = [hostBack];
  for (const [k, m] of members.slice(1).entries())
    back.push(await resumeUntilOk([b, c][k]!, code, m, 10_000));
  expect(hostBack.mirror.state!.playing).toBe(false);
  const seq = await sameStream(code, back);
  for (const m of members) expect(seq).toBeGreaterThanOrEqual(m.mirror.seq);

  await ok(hostBack.socket, 'host:play', { playing: true });
  await waitUntil(() => back.every((m) => m.mirror.seq >= seq + 10));
  await ok(hostBack.socket, 'host:play', { playing: false });
  await ok(hostBack.socket, 'host:end', {});
  await sameStream(code, back);
  await exportVerifies(b, code);
}, 60_000);

/** A dead node's clients are shown gone within a heartbeat's time and a look (node-heartbeats.ts). */
const DEAD_NODE_MS = 5000;

test('kill -9 of a node that is not the owner: its students are shown gone, then back', async () => {
  const [a, b, c] = await threeNodes();
  const host = await hostOn(a);
  const { code } = host;
  const ada = await joinOn(a, code, 'Ada');
  const bob = await joinOn(b, code, 'Bob');
  const cy = await joinOn(b, code, 'Cy');
  const dee = await joinOn(c, code, 'Dee');
  // Cy opens a second screen on node c before b dies: Cy must stay connected throughout.
  const cyOnC = await cluster.resume(c, code, cy.token, cy.mirror);
  expect(cyOnC.reply).toMatchObject({ ok: true });
  const cyAgain: Member = { ...cyOnC, token: cy.token, node: c };
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() => [ada, bob, cyAgain, dee].every((m) => m.mirror.seq > 20));

  const connected = (name: string) =>
    host.mirror.state!.participants.find((p) => p.name === name)!.connected;
  const idOf = (name: string) => host.mirror.state!.participants.find((p) => p.name === name)!.id;
  const from = host.mirror.received.length;
  const killed = Date.now();
  b.child.kill('SIGKILL');
  await b.exited;
  await waitUntil(() => !connected('Bob'), DEAD_NODE_MS + 1000);
  expect(Date.now() - killed).toBeLessThan(DEAD_NODE_MS);
  // Recorded as any departure: one event for Bob, none for Cy (still on node c).
  const departures = host.mirror.received
    .slice(from)
    .filter((event) => event.type === 'participant-connection');
  expect(departures).toEqual([expect.objectContaining({ id: idOf('Bob'), connected: false })]);
  expect(connected('Cy')).toBe(true);

  // Bob resumes on node c: shown connected again, caught up without a gap.
  const bobOnC = await cluster.resume(c, code, bob.token, bob.mirror);
  expect(bobOnC.reply).toMatchObject({ ok: true });
  const bobAgain: Member = { ...bobOnC, token: bob.token, node: c };
  await waitUntil(() => connected('Bob'));
  await ok(host.socket, 'host:play', { playing: false });
  await ok(host.socket, 'host:end', {});
  await sameStream(code, [host, ada, bobAgain, cyAgain, dee]);
  await exportVerifies(c, code);
}, 60_000);
