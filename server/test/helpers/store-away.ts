/**
 * The steps of a "store away" test, the same on SQLite (a full disk) and Postgres
 * (stopped): a class playing, the store going away, the room on hold refusing every
 * command, and the room back by itself with play going on and every client caught up.
 */
import { expect } from 'vitest';
import { STORE_UNAVAILABLE_MESSAGE } from '@backprop/shared/protocol';
import type { SessionEvent } from '@backprop/shared/session';
import { ResumingClient } from './resuming';
import type { TestServer } from './server';
import { createSession, joinSession, serverState } from './session';
import { emitAck, ok, waitUntil } from './sockets';

/** What every refusal while the store is away looks like, to the letter. */
export const REFUSED = {
  ok: false,
  error: { code: 'unavailable', message: STORE_UNAVAILABLE_MESSAGE },
};

export interface PlayingClass {
  code: string;
  host: ResumingClient;
  ada: ResumingClient;
}

/** A host and a student, a step, then play, until the student has seen it train. */
export async function playingClass(server: TestServer, title: string): Promise<PlayingClass> {
  const created = await createSession(server, title);
  const { code } = created;
  const joined = await joinSession(server, code, 'Ada');
  const host = new ResumingClient(server, code, created.hostToken, created);
  const ada = new ResumingClient(server, code, joined.token, joined);
  await ok(host.socket, 'host:step', { granularity: 'batch' });
  await ok(host.socket, 'host:play', { playing: true });
  await waitUntil(() => (ada.state?.step ?? 0) > 5);
  return { code, host, ada };
}

/**
 * Once the store is away: the room goes on hold, both clients are told once, and every
 * command of the room (the host's, a student's, a sync) and a new join are refused.
 */
export async function expectRefusedOnHold(server: TestServer, { code, host, ada }: PlayingClass) {
  await waitUntil(() => server.app.sessions.isHeld(code));
  await waitUntil(() => host.notices === 1 && ada.notices === 1);
  expect(await emitAck(host.socket, 'host:step', { granularity: 'batch' })).toEqual(REFUSED);
  expect(await emitAck(host.socket, 'host:play', { playing: false })).toEqual(REFUSED);
  expect(await emitAck(host.socket, 'session:sync', { lastSeq: host.seq })).toEqual(REFUSED);
  expect(await emitAck(ada.socket, 'student:ready', { ready: true })).toEqual(REFUSED);
  const late = await server.connect();
  expect(await emitAck(late, 'session:join', { code, name: 'Bea' })).toEqual(REFUSED);
  late.disconnect();
}

/** Still on hold after failed probes: nobody was disconnected. The log lines counted. */
export async function expectStillHeld(server: TestServer, { code, host, ada }: PlayingClass) {
  await waitUntil(() => logCount(server, 'store probe: still unavailable') >= 2);
  expect(server.app.sessions.isHeld(code)).toBe(true);
  expect(host.connected && ada.connected).toBe(true);
  expect(logCount(server, 'the recordings store is unavailable: session on hold')).toBe(1);
}

/**
 * Once the store is back: the room comes back by itself and plays on; the clients resume
 * once each; the host pauses and ends. Every client then holds the server's final state,
 * with no gap or duplicate, and everything it was sent is what the store holds at that
 * seq. After `heldAt` (a seq the clients had when the store went away) the recording has
 * the restore's pause, the play that went on by itself, and the host's pause.
 */
export async function expectPlaysOnAndConverges(
  server: TestServer,
  { code, host, ada }: PlayingClass,
  stored: (after: number) => Promise<SessionEvent[]>,
  heldAt: number,
): Promise<void> {
  await waitUntil(() => !server.app.sessions.isHeld(code), 10_000);
  await waitUntil(() => host.resumes === 1 && ada.resumes === 1 && host.connected, 10_000);
  const back = serverState(server, code);
  expect(back.playing).toBe(true);
  await waitUntil(() => serverState(server, code).step > back.step + 5, 10_000);
  await ok(host.socket, 'host:play', { playing: false });
  await ok(host.socket, 'host:end', {});
  const final = serverState(server, code);
  await host.reach(final.seq);
  await ada.reach(final.seq);
  const events = await stored(0);
  expect(events).toHaveLength(final.seq);
  const bySeq = new Map(events.map((event) => [event.seq, JSON.stringify(event)]));
  for (const client of [host, ada]) {
    expect(client.gaps + client.duplicates).toBe(0);
    expect(client.state).toEqual(final);
    for (const event of client.received) expect(JSON.stringify(event)).toBe(bySeq.get(event.seq));
  }
  const plays = (await stored(heldAt)).filter((event) => event.type === 'play-changed');
  expect(plays).toMatchObject([{ playing: false }, { playing: true }, { playing: false }]);
}

export function logCount(server: TestServer, prefix: string): number {
  return server.logs.filter((line) => String(line.msg).startsWith(prefix)).length;
}
