/**
 * No payload, however malformed, may crash the server or change anything: every bad one
 * gets a 'bad-request' ack, and the server goes on serving everyone.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CommandName } from '@backprop/shared/protocol';
import { startServer, type Client, type TestServer } from './helpers/server';
import {
  createSession,
  joinSession,
  serverState,
  type Host,
  type Student,
} from './helpers/session';
import { emitAck, emitNoAck, emitRaw, ok, once, waitForEvent } from './helpers/sockets';

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

const LONG = 'x'.repeat(10_000);

/** A valid payload of every command; the bad ones are derived from these. */
function validPayloads(): Record<CommandName, Record<string, unknown>> {
  return {
    'session:create': { title: 'A title' },
    'session:join': { code: host.code, name: 'Bob' },
    'session:resume': { code: host.code, token: student.token, lastSeq: 1 },
    'session:sync': { lastSeq: 1 },
    'host:setup': {
      datasetId: 'xor',
      hidden: [2],
      activations: ['tanh', 'sigmoid'],
      trainBiases: true,
      seed: 1,
      normalize: false,
      testFraction: 0,
    },
    'host:hyper': { learningRate: 0.1, batchSize: 4, speed: 10 },
    'host:step': { granularity: 'batch' },
    'host:play': { playing: true },
    'host:reset': {},
    'host:edit-weight': { layer: 0, to: 0, from: 0, value: 1 },
    'host:kick': { participantId: student.participantId },
    'host:lock': { locked: true },
    'host:title': { title: 'New title' },
    'host:end': {},
  };
}

const INTEGER_KEYS = new Set(['lastSeq', 'batchSize', 'speed', 'seed', 'layer', 'to', 'from']);

/** The payload with an own "__proto__" key, as JSON.parse makes it (not a prototype). */
function withProto(valid: Record<string, unknown>): unknown {
  const rest = JSON.stringify(valid).slice(1);
  return JSON.parse(`{"__proto__": {"admin": true}${rest === '}' ? '' : ','}${rest}`);
}

/** Every way to get a payload wrong, named for the test output. */
function badPayloads(valid: Record<string, unknown>): [string, unknown][] {
  const cases: [string, unknown][] = [
    ['null', null],
    ['a number', 42],
    ['a string', 'host'],
    ['an array', [valid]],
    ['true', true],
    ['an extra key', { ...valid, extra: 1 }],
    ['a __proto__ key from JSON.parse', withProto(valid)],
    ['a constructor key', { ...valid, constructor: { prototype: {} } }],
  ];
  for (const [key, value] of Object.entries(valid)) {
    const withValue = (v: unknown) => ({ ...valid, [key]: v });
    const without = { ...valid };
    delete without[key];
    cases.push([`${key} null (how NaN and Infinity arrive)`, withValue(null)]);
    cases.push([`${key} a 10 KB string`, withValue(LONG)]);
    cases.push([`${key} an object`, withValue({})]);
    cases.push([`${key} an array`, withValue([value])]);
    if (typeof value === 'number') {
      cases.push([`${key} a numeric string`, withValue(String(value))]);
      cases.push([`${key} huge`, withValue(1e300)]);
      cases.push([`${key} out of range`, withValue(key === 'value' ? 101 : -1 - value)]);
      if (INTEGER_KEYS.has(key)) cases.push([`${key} fractional`, withValue(value + 0.5)]);
    }
    if (typeof value === 'boolean') cases.push([`${key} "true"`, withValue('true')]);
    if (typeof value === 'string') cases.push([`${key} a number`, withValue(7)]);
    if (Array.isArray(value)) {
      cases.push([`${key} [null]`, withValue([null])]);
      cases.push([`${key} ["2"]`, withValue(['2'])]);
      cases.push([`${key} 5 000 entries`, withValue(Array(5_000).fill(1))]);
    }
    // Optional keys may be left out: that is not a bad payload.
    if (!['title', 'learningRate', 'batchSize', 'speed'].includes(key)) {
      cases.push([`${key} missing`, without]);
    }
  }
  return cases;
}

const COMMANDS = Object.keys({
  'session:create': 0,
  'session:join': 0,
  'session:resume': 0,
  'session:sync': 0,
  'host:setup': 0,
  'host:hyper': 0,
  'host:step': 0,
  'host:play': 0,
  'host:reset': 0,
  'host:edit-weight': 0,
  'host:kick': 0,
  'host:lock': 0,
  'host:title': 0,
  'host:end': 0,
}) as CommandName[];

describe.each(COMMANDS)('%s', (command) => {
  test('refuses every bad payload with bad-request and changes nothing', async () => {
    // The host sends host commands (so refusals come from validation, not authorization);
    // a stranger sends the session commands.
    const socket = command.startsWith('host:') ? host.socket : stranger;
    const before = structuredClone(serverState(server, host.code));
    const rooms = server.app.sessions.size;
    const cases = badPayloads(validPayloads()[command]);
    for (const [what, payload] of cases) {
      const reply = await emitAck(socket, command, payload);
      expect(reply, `${command} with ${what}`).toMatchObject({
        ok: false,
        error: { code: 'bad-request', message: expect.stringContaining(command) },
      });
    }
    // No payload at all, and two payloads.
    expect(await emitRaw(socket, command)).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await emitRaw(socket, command, {}, {})).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(serverState(server, host.code)).toEqual(before);
    expect(server.app.sessions.size).toBe(rooms);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    // Still serving: the student follows a step.
    const seen = waitForEvent(student.socket, (e) => e.type === 'stepped');
    await ok(host.socket, 'host:step', { granularity: 'sample' });
    await seen;
  });
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

  test('unknown events are ignored', async () => {
    const before = structuredClone(serverState(server, host.code));
    for (const event of ['nonsense', 'host:steal', '__proto__', 'constructor', 'toString']) {
      emitNoAck(host.socket, event, { x: 1 });
    }
    await ok(host.socket, 'session:sync', { lastSeq: before.seq });
    expect(serverState(server, host.code)).toEqual(before);
  });

  test('a message over 16 KiB closes only that connection', async () => {
    const greedy = await server.connect();
    const closed = once(greedy, 'disconnect');
    emitNoAck(greedy, 'session:join', { code: host.code, name: 'y'.repeat(20_000) });
    await closed;
    await ok(host.socket, 'host:step', { granularity: 'sample' });
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
