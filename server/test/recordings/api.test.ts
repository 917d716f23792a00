/**
 * The recordings HTTP API (docs/recordings.md) on a real recorded session: the summary,
 * the state at any point (equal to the reducer over the events), the events for playback,
 * export and import (a lossless round trip; a bad file refused with nothing stored), who
 * may delete, and the host's way to the replay id.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  IDLE_GAP_MS,
  type RecordingEventsReply,
  type RecordingImportReply,
  type RecordingStateReply,
  type RecordingSummaryReply,
} from '@backprop/shared/protocol';
import { decodeRecording, RecordingIndex } from '@backprop/shared/recording';
import { applyEvent, applyEvents, type SessionEvent } from '@backprop/shared/session';
import { startServer, type TestServer } from '../helpers/server';
import { driveLesson, getJson, replayIdOf, storeOf } from '../helpers/recordings';
import type { Host } from '../helpers/session';

let server: TestServer;
let host: Host;
let replayId: string;
let file: string;

beforeAll(async () => {
  server = await startServer();
  host = await driveLesson(server);
  replayId = await replayIdOf(server, host);
  file = await (await fetch(`${server.url}/api/recordings/${replayId}/export`)).text();
}, 60_000);
afterAll(async () => {
  await server.close();
});

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

async function counts() {
  return (await storeOf(server).listRecordings()).length;
}

describe('reading a recording', () => {
  test('the summary says what the recording holds', async () => {
    const { status, body } = await getJson(server, `/api/recordings/${replayId}`);
    expect(status).toBe(200);
    const summary = body as RecordingSummaryReply;
    const { header, events } = decodeRecording(file);
    const index = new RecordingIndex(header.initial, events);
    expect(summary).toMatchObject({
      replayId,
      title: 'Week 3: backprop (done)',
      endedAt: events.at(-1)!.t,
      participants: 2,
      dataset: { id: 'houses', title: 'House prices' },
      network: { layers: [3, 4, 1], activations: ['linear', 'linear'] },
      firstSeq: 0,
      lastSeq: events.length,
      firstT: header.initial.createdAt,
      lastT: events.at(-1)!.t,
      durationMs: events.at(-1)!.t - header.initial.createdAt,
    });
    expect(summary.markers).toEqual(index.markers());
    expect(summary.markers.map((m) => m.kind)).toContain('marker');
    let state = header.initial;
    let maxStep = state.step;
    for (const event of events) {
      state = applyEvent(state, event);
      maxStep = Math.max(maxStep, state.step);
    }
    expect(summary.steps).toBe(maxStep);
    // Every step index entry points at the first state that reached its step.
    expect(summary.stepIndex.length).toBeLessThanOrEqual(2000);
    for (const [step, seq] of summary.stepIndex) expect(index.seqAtStep(step)).toBe(seq);
    // The idle stretches: every gap between two events (or the start) longer than 2 s.
    const times = [header.initial.createdAt, ...events.map((e) => e.t)];
    const gaps = times
      .slice(1)
      .map((t, k) => [times[k]!, t] as [number, number])
      .filter(([from, to]) => to - from > IDLE_GAP_MS);
    expect(summary.idle).toEqual(gaps);
  });

  test('the state at a seq, a time or a step is the reducer over the events', async () => {
    const { header, events } = decodeRecording(file);
    for (const seq of [0, 1, 7, 999, 1000, 1001, events.length - 1, events.length]) {
      if (seq > events.length) continue;
      const { body } = await getJson(server, `/api/recordings/${replayId}/state?seq=${seq}`);
      const reply = body as RecordingStateReply;
      expect(reply.seq).toBe(seq);
      // The join code is blanked, as in the file's initial state.
      expect(reply.state).toEqual(wire(applyEvents(header.initial, events.slice(0, seq))));
      expect(reply.state.code).toBe('');
    }
    const middle = events[Math.floor(events.length / 2)]!;
    const byTime = (await getJson(server, `/api/recordings/${replayId}/state?t=${middle.t}`))
      .body as RecordingStateReply;
    expect(events[byTime.seq - 1]!.t).toBe(middle.t);
    expect(events[byTime.seq]?.t ?? Infinity).toBeGreaterThan(middle.t);
    const byStep = (await getJson(server, `/api/recordings/${replayId}/state?step=20`))
      .body as RecordingStateReply;
    expect(byStep.state.step).toBeGreaterThanOrEqual(20);
    const early = (await getJson(server, `/api/recordings/${replayId}/state?t=0`)).body;
    expect((early as RecordingStateReply).seq).toBe(0);
  });

  test('bad state queries are 400s; a step never reached is a 404', async () => {
    for (const query of ['', 'seq=-1', 'seq=1.5', 'seq=99999999', 'seq=1&t=2', 't=abc', 'step=x']) {
      const { status, body } = await getJson(server, `/api/recordings/${replayId}/state?${query}`);
      expect(status, query).toBe(400);
      expect(body).toMatchObject({ error: { code: 'bad-request' } });
    }
    expect((await getJson(server, `/api/recordings/${replayId}/state?step=99999999`)).status).toBe(
      404,
    );
  });

  test('events come in pages for playback', async () => {
    const { events } = decodeRecording(file);
    const page = (await getJson(server, `/api/recordings/${replayId}/events?after=5&limit=10`))
      .body as RecordingEventsReply;
    expect(page.events).toEqual(events.slice(5, 15));
    const all: SessionEvent[] = [];
    for (let after = 0; ;) {
      const next = (
        await getJson(server, `/api/recordings/${replayId}/events?after=${after}&limit=2000`)
      ).body as RecordingEventsReply;
      if (next.events.length === 0) break;
      all.push(...next.events);
      after = next.events.at(-1)!.seq;
    }
    expect(all).toEqual(events);
    expect(
      (await getJson(server, `/api/recordings/${replayId}/events?after=0&limit=2001`)).status,
    ).toBe(400);
  });

  test('an unknown or malformed replay id is a 404', async () => {
    for (const id of ['A'.repeat(22), 'short', '..%2F..']) {
      const { status, body } = await getJson(server, `/api/recordings/${id}`);
      expect(status).toBe(404);
      expect(body).toMatchObject({ error: { code: 'not-found' } });
    }
  });
});

describe('export and import', () => {
  test('the export is an attachment named after the title and the day', async () => {
    const res = await fetch(`${server.url}/api/recordings/${replayId}/export`);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const day = new Date((await storeOf(server).session(host.code))!.createdAt)
      .toISOString()
      .slice(0, 10);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename=week-3-backprop-done-${day}.ndjson`,
    );
  });

  test('export → import → export is lossless', async () => {
    const { status, body } = await getJson(server, '/api/recordings/import', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: file,
    });
    expect(status).toBe(201);
    const reply = body as RecordingImportReply;
    expect(reply.replayId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(reply.replayId).not.toBe(replayId);
    expect(reply.deleteToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const again = await (
      await fetch(`${server.url}/api/recordings/${reply.replayId}/export`)
    ).text();
    const first = decodeRecording(file);
    const second = decodeRecording(again);
    expect(second.events).toEqual(first.events);
    expect({ ...second.header, exportedAt: 0 }).toEqual({ ...first.header, exportedAt: 0 });
    // And the imported copy reads the same.
    const summary = (await getJson(server, `/api/recordings/${reply.replayId}`)).body;
    const original = (await getJson(server, `/api/recordings/${replayId}`)).body;
    expect({ ...(summary as object), replayId: '' }).toEqual({
      ...(original as object),
      replayId: '',
    });
  });

  test('anonymized export: names become Student 1, 2…', async () => {
    const text = await (
      await fetch(`${server.url}/api/recordings/${replayId}/export?anonymize=1`)
    ).text();
    expect(text).not.toContain('"Ada"');
    const { header, events } = decodeRecording(text);
    expect(header.anonymized).toBe(true);
    const names = events.flatMap((e) =>
      e.type === 'participant-joined' ? [e.participant.name] : [],
    );
    expect(names).toEqual(['Student 1', 'Student 2']);
  });

  const lines = () => file.trimEnd().split('\n');
  const join = (list: string[]) => `${list.join('\n')}\n`;
  const badFiles: [string, () => string, RegExp][] = [
    ['empty', () => '', /the file is empty/],
    ['not JSON', () => join(['{nope', ...lines().slice(1)]), /^line 1: not valid JSON/],
    [
      'another format',
      () => '{"format":"csv"}\n',
      /^line 1: this is not a Backprop Live recording/,
    ],
    [
      'a missing event',
      () => join([lines()[0]!, ...lines().slice(1, 10), ...lines().slice(11)]),
      /^line 11: event seq 11 follows 9 \(missing 10\)/,
    ],
    [
      'a NaN (null) in a weight',
      () => {
        const list = lines();
        const k = list.findIndex((line) => line.includes('"type":"stepped"'));
        const event = JSON.parse(list[k]!) as { progress: { network: { weights: unknown[][][] } } };
        event.progress.network.weights[0]![0]![0] = null;
        list[k] = JSON.stringify(event);
        return join(list);
      },
      /expected a number \(NaN and Infinity cannot be saved/,
    ],
    [
      'time going backwards',
      () => {
        const list = lines();
        const event = JSON.parse(list[20]!) as { t: number };
        event.t -= 1_000_000;
        list[20] = JSON.stringify(event);
        return join(list);
      },
      /^line 21: event time .* is earlier than the previous event's/,
    ],
    [
      'a frame of the wrong size',
      () => {
        const list = lines();
        const k = list.findIndex((line) => line.includes('"type":"frame"'));
        const event = JSON.parse(list[k]!) as { params: number[] };
        event.params.pop();
        list[k] = JSON.stringify(event);
        return join(list);
      },
      /frame event: params has 20 numbers; a 3-4-1 network has 21/,
    ],
    [
      'one event too many',
      () => join([...lines(), lines().at(-1)!]),
      /this line would be one more/,
    ],
  ];

  test.each(badFiles)(
    'a bad file (%s) is refused with its line, and nothing is stored',
    async (_name, make, message) => {
      const before = await counts();
      const { status, body } = await getJson(server, '/api/recordings/import', {
        method: 'POST',
        body: make(),
      });
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: { code: 'bad-recording', line: expect.any(Number) } });
      expect((body as { error: { message: string } }).error.message).toMatch(message);
      expect(await counts()).toBe(before);
    },
  );
});

describe('deleting', () => {
  test('needs the session’s host token; an import’s delete token deletes the import', async () => {
    const imported = (
      await getJson(server, '/api/recordings/import', { method: 'POST', body: file })
    ).body as RecordingImportReply;
    const del = (id: string, token?: string) =>
      fetch(`${server.url}/api/recordings/${id}`, {
        method: 'DELETE',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await del(imported.replayId)).status).toBe(401);
    expect((await del(imported.replayId, host.hostToken)).status).toBe(403);
    expect((await del(replayId, imported.deleteToken)).status).toBe(403);
    expect((await del(imported.replayId, imported.deleteToken)).status).toBe(204);
    expect((await getJson(server, `/api/recordings/${imported.replayId}`)).status).toBe(404);
  });

  test('a live session’s recording is kept until it ends', async () => {
    const live = await driveLesson(server, { end: false });
    const id = await replayIdOf(server, live);
    const del = () =>
      fetch(`${server.url}/api/recordings/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${live.hostToken}` },
      });
    const refused = await del();
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: { code: 'live' } });
    await live.socket.emitWithAck('host:end', {});
    expect((await del()).status).toBe(204);
    expect(await storeOf(server).session(live.code)).toBeNull();
    expect(server.app.sessions.get(live.code)).toBeUndefined();
  }, 60_000);
});

describe('the host’s replay link', () => {
  test('the host token gets the replay id; anyone else does not', async () => {
    const path = `/api/sessions/${host.code}/replay`;
    const unknown = await getJson(server, '/api/sessions/ZZZZZZ/replay');
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    expect((await getJson(server, path)).body).toEqual(unknown.body);
    const wrong = { headers: { authorization: `Bearer ${'x'.repeat(32)}` } };
    expect(await getJson(server, path, wrong)).toMatchObject({ status: 404, body: unknown.body });
    const { status, body } = await getJson(server, path, {
      headers: { authorization: `Bearer ${host.hostToken}` },
    });
    expect(status).toBe(200);
    expect(body).toEqual({ replayId });
  });
});
