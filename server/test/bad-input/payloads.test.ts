/**
 * The bad-payload table: for every command of the protocol (every key of `schemas`,
 * including ones added later), every malformed payload gets a 'bad-request' ack naming
 * the command, changes nothing (the room's state and seq, the number of rooms), and the
 * server goes on serving the class. Without an ack function, the same payloads are
 * dropped silently, with the same guarantees.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { schemas, type CommandName } from '@backprop/shared/protocol';
import { startServer, type Client, type TestServer } from '../helpers/server';
import {
  createSession,
  joinSession,
  serverState,
  type Host,
  type Student,
} from '../helpers/session';
import { emitAck, emitNoAck, emitRaw, ok, waitForEvent } from '../helpers/sockets';
import { NESTED_CASES, fieldCases, genericCases, learningRateCases } from './bad-payloads';
import { senderOf, validPayloads } from './valid-payloads';

let server: TestServer;
let host: Host;
let student: Student;
let stranger: Client;
beforeAll(async () => {
  server = await startServer();
  host = await createSession(server);
  student = await joinSession(server, host.code, 'Ada');
  stranger = await server.connect();
});
afterAll(async () => {
  await server.close();
});

const COMMANDS = Object.keys(schemas) as CommandName[];

function examples() {
  return validPayloads({
    code: host.code,
    studentToken: student.token,
    participantId: student.participantId,
  });
}

function socketFor(command: CommandName): Client {
  const sender = senderOf(command);
  return sender === 'host' ? host.socket : sender === 'student' ? student.socket : stranger;
}

test('every command of the protocol has a valid example to derive bad payloads from', () => {
  const missing = COMMANDS.filter((command) => !examples()[command]);
  expect(missing, 'add them to server/test/bad-input/valid-payloads.ts').toEqual([]);
});

describe.each(COMMANDS)('%s', (command) => {
  test('refuses every bad payload with bad-request and changes nothing', async (ctx) => {
    const socket = socketFor(command);
    const probe = await emitAck(socket, command, null);
    if (!probe.ok && probe.error.message.includes('not available on this server')) {
      // The protocol has the command, this server no handler yet (work in progress).
      ctx.skip();
    }
    const valid = examples()[command];
    expect(valid, `a valid example of ${command}`).toBeDefined();
    const cases = [
      ...genericCases(valid!),
      ...fieldCases(valid!),
      ...learningRateCases(command, valid!),
      ...(NESTED_CASES[command] ?? []),
    ];
    const before = structuredClone(serverState(server, host.code));
    const rooms = server.app.sessions.size;

    for (const [what, payload] of cases) {
      const reply = await emitAck(socket, command, payload);
      expect(reply, `${command} with ${what}`).toMatchObject({
        ok: false,
        error: { code: 'bad-request', message: expect.stringContaining(command) },
      });
    }
    // No payload at all, two payloads, an ack in the wrong place.
    for (const args of [[], [{}, {}], [valid, 'not an ack']]) {
      expect(
        await emitRaw(socket, command, ...args),
        `${command} with ${args.length} args`,
      ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    // Without an ack function: dropped, nothing answered, nothing changed.
    for (const [, payload] of cases.slice(0, 20)) emitNoAck(socket, command, payload);
    emitNoAck(socket, command);
    await ok(socket, 'session:sync', { lastSeq: 0 }).catch(() => undefined);
    await ok(host.socket, 'session:sync', { lastSeq: before.seq });

    expect(serverState(server, host.code)).toEqual(before);
    expect(server.app.sessions.size).toBe(rooms);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('admin');
    // Still serving: the student follows a step.
    const seen = waitForEvent(student.socket, (e) => e.type === 'stepped');
    await ok(host.socket, 'host:step', { granularity: 'sample' });
    await seen;
  });
});
