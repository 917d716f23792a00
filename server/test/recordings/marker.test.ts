/** host:marker: a labelled moment on the replay's timeline, cleaned like a name. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState, type Host } from '../helpers/session';
import { emitAck, ok, waitForEvent } from '../helpers/sockets';
import { getJson, replayIdOf } from '../helpers/recordings';
import type { RecordingSummaryReply } from '@backprop/shared/protocol';

let server: TestServer;
let host: Host;
beforeEach(async () => {
  server = await startServer();
  host = await createSession(server);
});
afterEach(async () => {
  await server.close();
});

test('the host marks a moment: a marker event, on the timeline with its label', async () => {
  const student = await joinSession(server, host.code, 'Ada');
  const seen = waitForEvent(student.socket, (e) => e.type === 'marker');
  await ok(host.socket, 'host:marker', { label: '  Now\u200B watch\tthe  hidden layer ' });
  expect(await seen).toMatchObject({ type: 'marker', label: 'Now watch the hidden layer' });
  const summary = (await getJson(server, `/api/recordings/${await replayIdOf(server, host)}`))
    .body as RecordingSummaryReply;
  expect(summary.markers.at(-1)).toMatchObject({
    kind: 'marker',
    label: 'Now watch the hidden layer',
  });
});

test('an empty or too long label is refused; students cannot mark', async () => {
  const before = serverState(server, host.code).seq;
  expect(await emitAck(host.socket, 'host:marker', { label: ' \u200B ' })).toMatchObject({
    ok: false,
    error: { code: 'bad-request', message: 'A marker needs a label.' },
  });
  expect(await emitAck(host.socket, 'host:marker', { label: 'x'.repeat(61) })).toMatchObject({
    ok: false,
    error: { code: 'bad-request', message: 'A marker label can have at most 60 characters.' },
  });
  await ok(host.socket, 'host:marker', { label: '🚀'.repeat(60) });
  const student = await joinSession(server, host.code, 'Ada');
  expect(await emitAck(student.socket, 'host:marker', { label: 'Mine' })).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });
  expect(serverState(server, host.code).seq).toBe(before + 2);
});
