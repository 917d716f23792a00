/**
 * Recordings exported by older versions of the app, read by today's code. Recordings are a
 * contract: a file a class exported must keep importing, verifying (the API, `cli verify`
 * and the standalone resim.mjs) and replaying however the code changes. The files are what
 * the old code wrote: never regenerate them; a change that breaks one is a break of the
 * format (which needs a reader for the old files), not a stale fixture.
 *
 * fixtures/pre-playground.ndjson was exported by commit d4dd999 (the parent of ad56054),
 * before plane data sets, input features and regularization came in: no setup in it has
 * `plane` or `regularization`, no step a `penalty`, no frame an `accuracy`. Its old server
 * was driven over socket.io by a host and two students (Ada, Bob): the default houses
 * session stepped by stage (a whole staged step, one finished by a sample step), by batch
 * and by epoch; a play burst at speed 200, paused; a learning-rate change; proposals and a
 * vote that applies the winning rate; a marker, a weight edit, a reset; a 20-step race
 * whose fork's weights are adopted; a setup change to xor (3 hidden units, sigmoid output,
 * no test rows) stepped by stage and played at speed 500; a setup change to sine (5 and 3
 * hidden units, relu, a test fraction of 0.3) played at speed 100; the end. 81 events.
 * The playground's own fixture is test/playground/fixtures/playground-v1.ndjson.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type {
  RecordingEventsReply,
  RecordingImportReply,
  RecordingStateReply,
  RecordingSummaryReply,
} from '@backprop/shared/protocol';
import { decodeRecording } from '@backprop/shared/recording';
import { applyEvent, type SessionEvent } from '@backprop/shared/session';
import { getJson } from '../helpers/recordings';
import { startServer, type TestServer } from '../helpers/server';
import { forged, resim, tempFile, verify } from '../helpers/verifiers';

const FIXTURE = join(import.meta.dirname, 'fixtures/pre-playground.ndjson');
const text = readFileSync(FIXTURE, 'utf8');
/** What the file says, read by today's decoder. */
const { header, events } = decodeRecording(text);

let server: TestServer;
/** The fixture's import through the API, once: its status, and the replay id it gives. */
let importStatus: number;
let replayId: string;

/** POST /api/recordings/import of `file`. */
const imports = (file: string) =>
  getJson(server, '/api/recordings/import', {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: file,
  });
/** POST /api/recordings/:id/verify: its reply. */
const verifiedByApi = async (id: string) =>
  (await getJson(server, `/api/recordings/${id}/verify`, { method: 'POST' })).body;

beforeAll(async () => {
  server = await startServer();
  const { status, body } = await imports(text);
  [importStatus, replayId] = [status, (body as RecordingImportReply).replayId];
});
afterAll(async () => {
  await server.close();
});

test('the fixture is the old session: every kind of event of its day, nothing of the playground', () => {
  expect(header.version).toBe(1);
  expect(header.initial.setup.datasetId).toBe('houses');
  const setups = events.flatMap((e) => (e.type === 'setup-changed' ? [e.setup] : []));
  expect(setups.map((s) => s.datasetId)).toEqual(['xor', 'sine']);
  expect(setups.map((s) => s.testFraction)).toEqual([0, 0.3]);
  expect(new Set(events.map((e) => e.type))).toEqual(
    new Set<SessionEvent['type']>([
      'participant-joined',
      'hyper-changed',
      'staged-step-opened',
      'stage-ran',
      'stepped',
      'progressed',
      'play-changed',
      'frame',
      'proposals-set',
      'proposal-added',
      'vote-opened',
      'vote-cast',
      'vote-closed',
      'marker',
      'weight-edited',
      'reset',
      'race-started',
      'race-progress',
      'race-ended',
      'network-set',
      'setup-changed',
      'ended',
    ]),
  );
  for (const key of ['plane', 'regularization', 'features', 'penalty', 'accuracy']) {
    expect(text).not.toContain(`"${key}"`);
  }
  expect(events.map((e) => e.seq)).toEqual(events.map((_, k) => header.initial.seq + k + 1));
});

test('it imports (201) and verifies through the API, with cli verify and with resim.mjs', async () => {
  expect(importStatus).toBe(201);
  const checked = events.length + 1;
  expect(await verifiedByApi(replayId)).toEqual({ ok: true, checked });
  expect(verify(FIXTURE)).toEqual({ code: 0, reply: { ok: true, checked } });
  expect(await resim(FIXTURE)).toEqual({ code: 0, reply: { ok: true, checked } });
  // Today's export of the imported copy holds the same events, and verifies too.
  const again = await (await fetch(`${server.url}/api/recordings/${replayId}/export`)).text();
  expect(decodeRecording(again).events).toEqual(events);
  expect(verify(tempFile(again))).toEqual({ code: 0, reply: { ok: true, checked } });
});

test('it replays as the client does: the summary, the first state, the events, a seek to every seq', async () => {
  const meta = (await getJson(server, `/api/recordings/${replayId}`)).body as RecordingSummaryReply;
  const last = events.at(-1)!;
  expect(meta).toMatchObject({
    title: header.title,
    createdAt: header.createdAt,
    participants: 2,
    dataset: header.dataset,
    network: { layers: header.network.layers, activations: header.network.activations },
    firstSeq: header.initial.seq,
    lastSeq: last.seq,
    lastT: last.t,
  });
  expect(meta.markers.map((m) => m.label)).toContain('Before the reset');

  const seek = async (query: string) =>
    (await getJson(server, `/api/recordings/${replayId}/state?${query}`))
      .body as RecordingStateReply;
  const start = await seek(`seq=${meta.firstSeq}`);
  expect(start).toEqual({ seq: header.initial.seq, state: header.initial });
  const page = (await getJson(server, `/api/recordings/${replayId}/events?after=${meta.firstSeq}`))
    .body as RecordingEventsReply;
  expect(page.events).toEqual(events);

  // The player's way (applyEvent over the events) and the server's seek agree at every seq.
  let state = start.state;
  for (const event of page.events) {
    state = applyEvent(state, event);
    expect(await seek(`seq=${event.seq}`), `seq ${event.seq}`).toEqual({ seq: event.seq, state });
  }
  const [step, seqOfStep] = meta.stepIndex.at(-1)!;
  expect((await seek(`step=${step}`)).seq).toBe(seqOfStep);

  // The last state is what the file says: its header, its last training and hyperparameters.
  const lastOf = <T extends SessionEvent['type']>(type: T) =>
    events.findLast((e): e is Extract<SessionEvent, { type: T }> => e.type === type)!;
  const trained = lastOf('progressed').progress;
  expect(state).toMatchObject({
    seq: last.seq,
    title: header.title,
    ended: true,
    playing: false,
    participants: [{ name: 'Ada' }, { name: 'Bob' }],
    setup: {
      datasetId: header.dataset.id,
      layers: header.network.layers,
      activations: header.network.activations,
      seed: header.seed,
      testFraction: 0.3,
    },
    hyper: lastOf('hyper-changed').hyper,
    network: trained.network,
    step: trained.step,
    epoch: trained.epoch,
  });
});

test.each([
  [
    'a weight of a stepped step',
    (e: SessionEvent) => e.type === 'stepped',
    (e: SessionEvent) => {
      if (e.type === 'stepped') e.progress.network.weights[0]![1]![0]! += 1e-6;
    },
  ],
  [
    'a stage’s activation',
    (e: SessionEvent) => e.type === 'stage-ran' && e.patch.kind === 'forward',
    (e: SessionEvent) => {
      if (e.type === 'stage-ran' && e.patch.kind === 'forward') e.patch.a[0]! += 1e-3;
    },
  ],
  [
    'a play frame’s parameter',
    (e: SessionEvent) => e.type === 'frame' && e.params !== undefined,
    (e: SessionEvent) => {
      if (e.type === 'frame') e.params![2]! += 0.01;
    },
  ],
  [
    'a race fork’s loss',
    (e: SessionEvent) => e.type === 'race-progress',
    (e: SessionEvent) => {
      if (e.type === 'race-progress') e.forks[1]!.loss[0]!.train *= 1.01;
    },
  ],
])('a copy with %s changed fails every check, at that event', async (_, pick, change) => {
  const copy = forged(text, pick, change);
  const path = tempFile(copy.text);
  const at = {
    code: 1,
    reply: { ok: false, firstDivergence: expect.objectContaining({ seq: copy.seq }) },
  };
  expect(verify(path)).toEqual(at);
  expect(await resim(path)).toEqual(at);
  const { status, body } = await imports(copy.text);
  expect(status).toBe(201);
  expect(await verifiedByApi((body as RecordingImportReply).replayId)).toEqual(at.reply);
});
