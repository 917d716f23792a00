/**
 * Participation is part of the recording: every event a live session sends passes the
 * recording's event schema, the state its schema, and replaying the events over the first
 * snapshot gives the server's state (what a replay shows is what the class saw).
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as v from 'valibot';
import { sessionEventSchema, sessionStateSchema } from '@backprop/shared/recording';
import { applyEvents, type SessionState } from '@backprop/shared/session';
import { joinClass, newKey, TestClock } from '../helpers/participation';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState, type Host } from '../helpers/session';
import { ok, waitUntil } from '../helpers/sockets';

let server: TestServer;
let clock: TestClock;
let host: Host;
beforeEach(async () => {
  clock = new TestClock();
  server = await startServer({ clock });
  host = await createSession(server);
});
afterEach(async () => {
  await server.close();
});

test('a lesson with every participation feature records, validates and replays', async () => {
  const first: SessionState = structuredClone(host.mirror.state!);
  const [a, b, c] = await joinClass(server, host.code, 3);
  if (!a || !b || !c) throw new Error('three students expected');
  await ok(host.socket, 'host:proposals', { open: true });
  const p1 = await ok(a.socket, 'student:propose', { rate: 0.05, note: 'gentle', key: newKey() });
  await ok(host.socket, 'host:participation', { showNames: false });
  const p2 = await ok(b.socket, 'student:propose', { rate: 0.5, key: newKey() });
  await ok(c.socket, 'student:propose', { rate: 0.5, key: newKey() });
  const { voteId } = await ok(host.socket, 'host:vote-open', {
    proposalIds: [p1.proposalId, p2.proposalId],
    hideTallies: true,
  });
  for (const s of [a, b, c]) {
    await ok(s.socket, 'student:vote', { voteId, proposalId: p2.proposalId, key: newKey() });
  }
  await ok(host.socket, 'host:vote-close', {});
  await ok(host.socket, 'host:apply-median', {});
  await ok(host.socket, 'host:class-steps', {
    enabled: true,
    granularity: 'stage',
    quorum: { kind: 'majority' },
  });
  for (let k = 0; k < 3; k++) {
    await ok(a.socket, 'student:ready', { ready: true });
    await ok(b.socket, 'student:ready', { ready: true });
  }
  await ok(host.socket, 'host:force-step', {});
  const { quizId } = await ok(host.socket, 'host:quiz-open', {
    kind: 'direction',
    layer: 0,
    to: 0,
    from: 1,
    timeLimitSeconds: 10,
  });
  await ok(a.socket, 'student:answer', {
    quizId,
    answer: { kind: 'direction', value: 'down' },
    key: newKey(),
  });
  await ok(host.socket, 'host:quiz-reveal', {});
  await ok(host.socket, 'host:leaderboard', { visible: true });
  const { raceId } = await ok(host.socket, 'host:race', { rates: [0.01, 10], steps: 200 });
  await waitUntil(() => serverState(server, host.code).participation.race?.status === 'finished');
  await ok(host.socket, 'host:race-adopt', { fork: 0, what: 'weights' });
  const late = await joinSession(server, host.code, 'Late');

  const final = serverState(server, host.code);
  await host.mirror.reach(final.seq);
  const events = host.mirror.received;
  expect(events.map((e) => e.seq)).toEqual(events.map((_, k) => k + 1));
  const types = new Set(events.map((e) => e.type));
  for (const type of [
    'proposal-added',
    'proposal-supported',
    'vote-closed',
    'class-stepped',
    'quiz-revealed',
    'race-progress',
    'network-set',
  ]) {
    expect(types).toContain(type);
  }
  for (const event of events) {
    const parsed = v.safeParse(sessionEventSchema, event);
    expect(parsed.success, `${event.type}: ${JSON.stringify(parsed.issues?.[0]?.message)}`).toBe(
      true,
    );
  }
  expect(v.safeParse(sessionStateSchema, final).success).toBe(true);
  expect(applyEvents(first, events)).toEqual(final);
  expect(late.mirror.state).toEqual(final);
  expect(final.participation.race).toMatchObject({ id: raceId, status: 'finished' });
  expect(final.participation.quiz.current).toMatchObject({ id: quizId, status: 'revealed' });
});
