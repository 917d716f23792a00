/**
 * host:class-view: the host shows a weight's or unit's inspector to the class and the
 * projector's participation cards; an event like any other (broadcast, late joiners).
 * Recorded, exported and verified in driveLesson's lesson (helpers/recordings.ts).
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession, serverState, type Host } from '../helpers/session';
import { emitAck, ok, waitForEvent } from '../helpers/sockets';

let server: TestServer;
let host: Host;
beforeEach(async () => {
  server = await startServer();
  host = await createSession(server);
});
afterEach(async () => {
  await server.close();
});

const weight = { kind: 'weight', layer: 0, to: 1, from: 0 } as const;

test('the host focuses a weight: every student gets the event, a late joiner the state', async () => {
  const ada = await joinSession(server, host.code, 'Ada');
  const seen = waitForEvent(ada.socket, (e) => e.type === 'class-view-set');
  await ok(host.socket, 'host:class-view', { focus: weight });
  expect(await seen).toMatchObject({ classView: { focus: weight, cards: true } });
  expect(ada.mirror.state?.classView.focus).toEqual(weight);

  const bob = await joinSession(server, host.code, 'Bob');
  expect(bob.mirror.state?.classView).toEqual({ focus: weight, cards: true });

  await ok(host.socket, 'host:class-view', { focus: null, cards: false });
  expect(serverState(server, host.code).classView).toEqual({ focus: null, cards: false });
});

test('only the host may set it; a weight or unit the network lacks is refused', async () => {
  const ada = await joinSession(server, host.code, 'Ada');
  const before = serverState(server, host.code).seq;
  expect(await emitAck(ada.socket, 'host:class-view', { focus: weight })).toMatchObject({
    ok: false,
    error: { code: 'forbidden' },
  });
  const layers = serverState(server, host.code).setup.layers;
  const missingUnit = { kind: 'unit', layer: layers.length - 1, unit: layers.at(-1)! } as const;
  expect(await emitAck(host.socket, 'host:class-view', { focus: missingUnit })).toMatchObject({
    ok: false,
    error: { code: 'bad-request', message: expect.stringMatching(/has no such unit/) },
  });
  expect(await emitAck(host.socket, 'host:class-view', {})).toMatchObject({
    ok: false,
    error: { code: 'bad-request' },
  });
  // The same value again records nothing.
  await ok(host.socket, 'host:class-view', { cards: true });
  expect(serverState(server, host.code).seq).toBe(before);
});

test('a new setup clears the focus; a new quiz shows the cards again', async () => {
  await ok(host.socket, 'host:class-view', { focus: weight, cards: false });
  await ok(host.socket, 'host:setup', {
    datasetId: 'xor',
    hidden: [2],
    activations: ['tanh', 'sigmoid'],
    trainBiases: true,
    seed: 3,
    normalize: false,
    testFraction: 0,
  });
  expect(serverState(server, host.code).classView).toEqual({ focus: null, cards: false });
  await ok(host.socket, 'host:quiz-open', { kind: 'loss', timeLimitSeconds: 60 });
  expect(serverState(server, host.code).classView.cards).toBe(true);
});
