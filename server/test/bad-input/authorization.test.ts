/**
 * Nobody but the host can do what only the host may do: every host:* command of the
 * protocol (including ones added later), valid payloads, sent by a student, by a stranger
 * who joined nothing and by the host of another session, in every state a session can be
 * in. Each gets 'forbidden' and changes nothing (while playing, only play frames follow).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { schemas, type CommandName } from '@backprop/shared/protocol';
import { startServer, type Client, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState, type Host } from '../helpers/session';
import { emitAck, ok } from '../helpers/sockets';
import { validPayloads } from './valid-payloads';

let server: TestServer;
/** Host commands this server has a handler for (the others are answered "not available"). */
let handled: CommandName[];
beforeAll(async () => {
  server = await startServer();
  const probe = await createSession(server);
  const hostCommands = (Object.keys(schemas) as CommandName[]).filter((c) => c.startsWith('host:'));
  handled = [];
  for (const command of hostCommands) {
    const reply = await emitAck(probe.socket, command, null);
    if (reply.ok || !reply.error.message.includes('not available')) handled.push(command);
  }
});
afterAll(async () => {
  await server.close();
});

type StateName = 'idle' | 'mid-staged-step' | 'playing' | 'locked' | 'ended';

/** Puts a new session with one student into `state`. */
async function sessionIn(state: StateName) {
  const host = await createSession(server);
  const student = await joinSession(server, host.code, 'Ada');
  switch (state) {
    case 'idle':
      break;
    case 'mid-staged-step':
      await ok(host.socket, 'host:step', { granularity: 'stage' });
      await ok(host.socket, 'host:step', { granularity: 'stage' });
      break;
    case 'playing':
      await ok(host.socket, 'host:hyper', { speed: 50 });
      await ok(host.socket, 'host:play', { playing: true });
      break;
    case 'locked':
      await ok(host.socket, 'host:lock', { locked: true });
      break;
    case 'ended':
      await ok(host.socket, 'host:end', {});
      break;
  }
  return { host, student };
}

/** The state without what play frames change. */
function stillParts(host: Host) {
  const { step, epoch, network, loss, fit, seq, ...rest } = serverState(server, host.code);
  void [step, epoch, network, loss, fit, seq];
  return structuredClone(rest);
}

describe.each<StateName>(['idle', 'mid-staged-step', 'playing', 'locked', 'ended'])(
  'in a session that is %s',
  (state) => {
    test('a student, a stranger and another session’s host are forbidden every host command', async () => {
      const { host, student } = await sessionIn(state);
      const other = await createSession(server);
      const stranger: Client = await server.connect();
      const actors: [string, Client][] = [
        ['a student', student.socket],
        ['a stranger', stranger],
        ['the host of another session', other.socket],
      ];
      const before = structuredClone(serverState(server, host.code));
      const otherBefore = structuredClone(serverState(server, other.code));
      const still = stillParts(host);
      const examples = validPayloads({
        code: host.code,
        studentToken: student.token,
        participantId: student.participantId,
      });

      for (const command of handled) {
        for (const [who, socket] of actors) {
          if (who === 'the host of another session') continue; // below: its own room only
          const reply = await emitAck(socket, command, examples[command]);
          expect(reply, `${command} by ${who} (${state})`).toMatchObject({
            ok: false,
            error: { code: 'forbidden' },
          });
        }
      }
      // The other host's commands act on the other session only, never on this one.
      await ok(other.socket, 'host:title', { title: 'Mine' });
      await ok(other.socket, 'host:kick', { participantId: student.participantId }).catch(
        () => undefined,
      );
      expect(serverState(server, other.code).seq).toBeGreaterThan(otherBefore.seq);

      if (state === 'playing') {
        await ok(host.socket, 'host:play', { playing: false });
        const after = serverState(server, host.code);
        await host.mirror.reach(after.seq);
        const changes = host.mirror.received.filter((e) => e.seq > before.seq);
        // Play frames, then the host's own pause (the exact network, then play-changed):
        // nothing the others sent.
        expect(
          changes.slice(0, -1).every((e) => e.type === 'frame' || e.type === 'progressed'),
        ).toBe(true);
        expect(changes.at(-1)).toMatchObject({ type: 'play-changed', playing: false });
        expect({ ...stillParts(host), playing: true }).toEqual(still);
      } else {
        expect(serverState(server, host.code)).toEqual(before);
      }
      expect(student.socket.connected).toBe(true);
    });
  },
);

test('a student who resumes with their own token is still a student', async () => {
  const { host, student } = await sessionIn('idle');
  const again = await server.connect();
  const resumed = await ok(again, 'session:resume', {
    code: host.code,
    token: student.token,
    lastSeq: 0,
  });
  expect(resumed).toMatchObject({ role: 'student', participantId: student.participantId });
  const reply = await emitAck(again, 'host:end', {});
  expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(serverState(server, host.code).ended).toBe(false);
});
