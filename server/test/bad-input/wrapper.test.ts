/**
 * The command wrapper and the socket around it: commands without acks, unknown events,
 * oversized frames, a handler that throws. The table of bad payloads per command is in
 * payloads.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type Client, type TestServer } from '../helpers/server';
import {
  createSession,
  joinSession,
  serverState,
  type Host,
  type Student,
} from '../helpers/session';
import { emitAck, emitNoAck, emitRaw, ok, once, waitForEvent } from '../helpers/sockets';

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

describe('the wrapper', () => {
  test('a command without an ack still runs; a bad one without an ack is ignored', async () => {
    const seq = serverState(server, host.code).seq;
    const stepped = waitForEvent(host.socket, (e) => e.type === 'stepped');
    emitNoAck(host.socket, 'host:step', { granularity: 'sample' });
    emitNoAck(host.socket, 'host:step', null, 'not a function');
    emitNoAck(host.socket, 'host:step');
    expect(await stepped).toMatchObject({ seq: seq + 1 });
    await ok(host.socket, 'host:title', { title: 'Still here' });
    expect(serverState(server, host.code).seq).toBe(seq + 2);
  });

  test('unknown events are answered bad-request (when an ack waits) and change nothing', async () => {
    const before = structuredClone(serverState(server, host.code));
    const names = [
      'nonsense',
      'host:steal',
      '__proto__',
      'constructor',
      'toString',
      'x'.repeat(500),
    ];
    for (const event of names) {
      emitNoAck(host.socket, event, { x: 1 });
      expect(await emitRaw(host.socket, event, { x: 1 }), event.slice(0, 20)).toMatchObject({
        ok: false,
        error: { code: 'bad-request', message: expect.stringContaining('Unknown event') },
      });
    }
    // Reserved names cannot even be sent by a socket.io client; a raw frame carrying one
    // is refused by the parser, which closes only that connection.
    await ok(host.socket, 'session:sync', { lastSeq: before.seq });
    expect(serverState(server, host.code)).toEqual(before);
    expect(server.logs.some((l) => JSON.stringify(l).includes('x'.repeat(100)))).toBe(false);
  });

  test('a message over 16 KiB closes only that connection, and changes nothing', async () => {
    const before = structuredClone(serverState(server, host.code));
    const oversized: [string, unknown][] = [
      ['session:join', { code: host.code, name: 'y'.repeat(20_000) }],
      ['host:title', { title: 'y'.repeat(17 * 1024) }],
      ['host:setup', { hidden: Array(9_000).fill(1) }],
      ['nonsense', 'z'.repeat(16 * 1024 + 1)],
    ];
    for (const [event, payload] of oversized) {
      // From the host's own connection too: the frame limit applies before anything else.
      const greedy = await server.connect();
      const closed = once(greedy, 'disconnect');
      emitNoAck(greedy, event, payload);
      expect(await closed, event).toEqual(['transport close', expect.anything()]);
    }
    expect(serverState(server, host.code)).toEqual(before);
    expect(stranger.connected).toBe(true);
    const seen = waitForEvent(student.socket, (e) => e.type === 'stepped');
    await ok(host.socket, 'host:step', { granularity: 'sample' });
    await seen;
  });

  test('a thrown error becomes an internal ack and a log line without the payload', async () => {
    let failing = false;
    const local = await startServer({
      clock: {
        now: () => {
          if (failing) throw new Error('clock broke');
          return Date.now();
        },
      },
    });
    try {
      const localHost = await createSession(local);
      const before = structuredClone(serverState(local, localHost.code));
      failing = true;
      const reply = await emitAck(localHost.socket, 'host:title', { title: 'Secret title' });
      failing = false;
      expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(serverState(local, localHost.code)).toEqual(before);
      const line = local.logs.find((l) => l.msg === 'command failed');
      expect(line).toMatchObject({ command: 'host:title', level: 50 });
      expect(JSON.stringify(local.logs)).not.toContain('Secret title');
      expect(JSON.stringify(local.logs)).not.toContain(localHost.hostToken);
      await ok(localHost.socket, 'host:title', { title: 'Works again' });
    } finally {
      await local.close();
    }
  });
});
