/**
 * Verification: a real session's recording re-simulates exactly (every network, trace,
 * loss, fit, divergence and race fork it holds), and a recording with one number changed
 * is caught at that event, naming the value.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RecordingVerifyReply } from '@backprop/shared/protocol';
import type { SessionEvent } from '@backprop/shared/session';
import { startServer, type TestServer } from '../helpers/server';
import { driveLesson, getJson, replayIdOf } from '../helpers/recordings';

let server: TestServer;
let replayId: string;
let file: string;

beforeAll(async () => {
  server = await startServer();
  const host = await driveLesson(server);
  replayId = await replayIdOf(server, host);
  const res = await fetch(`${server.url}/api/recordings/${replayId}/export`);
  file = await res.text();
}, 60_000);
afterAll(async () => {
  await server.close();
});

const verify = async (id: string) =>
  getJson(server, `/api/recordings/${id}/verify`, { method: 'POST' });

/** Imports `text`; its replay id. */
async function imported(text: string): Promise<string> {
  const reply = await getJson(server, '/api/recordings/import', { method: 'POST', body: text });
  expect(reply.status).toBe(201);
  return (reply.body as { replayId: string }).replayId;
}

/** The file with the event of `seq` passed through `change`. */
function tampered(seq: number, change: (event: SessionEvent) => void): string {
  const lines = file.trimEnd().split('\n');
  const event = JSON.parse(lines[seq]!) as SessionEvent;
  expect(event.seq).toBe(seq);
  change(event);
  lines[seq] = JSON.stringify(event);
  return `${lines.join('\n')}\n`;
}

function eventsOfFile(): SessionEvent[] {
  return file
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => JSON.parse(line) as SessionEvent);
}

test('the lesson holds every kind of training event', () => {
  const types = new Set(eventsOfFile().map((e) => e.type));
  for (const type of [
    'staged-step-opened',
    'stage-ran',
    'stepped',
    'progressed',
    'frame',
    'weight-edited',
    'hyper-changed',
    'reset',
    'setup-changed',
    'race-started',
    'race-progress',
    'network-set',
    'diverged',
    'marker',
  ]) {
    expect(types, type).toContain(type);
  }
});

test('a real recording verifies: the re-simulation agrees with every event and keyframe', async () => {
  const reply = await verify(replayId);
  expect(reply.status).toBe(200);
  const body = reply.body as RecordingVerifyReply;
  expect(body).toEqual({ ok: true, checked: expect.any(Number) });
  if (body.ok) expect(body.checked).toBeGreaterThan(eventsOfFile().length);
});

test('its export, imported again, verifies too', async () => {
  const reply = await verify(await imported(file));
  expect(reply.body).toMatchObject({ ok: true });
});

test('one weight changed in one stepped event is pinpointed', async () => {
  const stepped = eventsOfFile().find((e) => e.type === 'stepped')!;
  const text = tampered(stepped.seq, (event) => {
    if (event.type !== 'stepped') throw new Error('expected a stepped event');
    event.progress.network.weights[0]![1]![2]! += 0.001;
  });
  const reply = await verify(await imported(text));
  expect(reply.body).toEqual({
    ok: false,
    firstDivergence: {
      seq: stepped.seq,
      step: expect.any(Number),
      what: 'progress.network.weights[0][1][2]',
      expected: expect.any(Number),
      actual: expect.any(Number),
    },
  });
  const { firstDivergence } = reply.body as Extract<RecordingVerifyReply, { ok: false }>;
  expect(firstDivergence.actual).toBe((firstDivergence.expected as number) + 0.001);
});

test('one weight changed in a compact play frame is pinpointed', async () => {
  const frames = eventsOfFile().filter((e) => e.type === 'frame');
  const frame = frames[Math.floor(frames.length / 2)]!;
  const text = tampered(frame.seq, (event) => {
    if (event.type !== 'frame') throw new Error('expected a frame');
    event.params![3] = -event.params![3]! + 0.5;
  });
  const reply = await verify(await imported(text));
  expect(reply.body).toMatchObject({
    ok: false,
    firstDivergence: { seq: frame.seq, what: 'params[3]' },
  });
});

test('a changed learning rate (a forged command) shows at the next step', async () => {
  const events = eventsOfFile();
  const hyper = events.find((e) => e.type === 'hyper-changed' && e.seq > 10)!;
  const next = events.find(
    (e) =>
      e.seq > hyper.seq &&
      (e.type === 'stepped' ||
        e.type === 'staged-step-opened' ||
        e.type === 'progressed' ||
        e.type === 'frame'),
  )!;
  const text = tampered(hyper.seq, (event) => {
    if (event.type !== 'hyper-changed') throw new Error('expected hyper-changed');
    event.hyper.learningRate = event.hyper.learningRate * 2;
  });
  const reply = await verify(await imported(text));
  expect(reply.body).toMatchObject({ ok: false, firstDivergence: { seq: next.seq } });
});

test('an unknown recording is a 404; verifying twice answers the same', async () => {
  expect((await verify('A'.repeat(22))).status).toBe(404);
  expect((await verify(replayId)).body).toEqual((await verify(replayId)).body);
});
