import { describe, expect, test } from 'vitest';
import { RecordingsApi, exportPath } from '../src/lib/replay/api';

type Call = { url: string; init: RequestInit | undefined };

function fakeFetch(respond: (url: string, init?: RequestInit) => Response) {
  const calls: Call[] = [];
  const fetcher = ((url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return Promise.resolve(respond(url, init));
  }) as typeof fetch;
  return { calls, fetcher };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('RecordingsApi', () => {
  test('seeks by seq, time or step, and pages events with a capped limit', async () => {
    const { calls, fetcher } = fakeFetch((url) =>
      url.includes('/state') ? json({ seq: 3, state: {} }) : json({ events: [] }),
    );
    const api = new RecordingsApi(fetcher);
    await api.state('abc_DEF-123456789012', { seq: 3 });
    await api.state('abc_DEF-123456789012', { t: 1234.6 });
    await api.state('abc_DEF-123456789012', { step: 7 });
    await api.events('abc_DEF-123456789012', 10, 99_999);
    expect(calls.map((c) => c.url)).toEqual([
      '/api/recordings/abc_DEF-123456789012/state?seq=3',
      '/api/recordings/abc_DEF-123456789012/state?t=1235',
      '/api/recordings/abc_DEF-123456789012/state?step=7',
      '/api/recordings/abc_DEF-123456789012/events?after=10&limit=2000',
    ]);
  });

  test('an import refused shows the server’s line and reason', async () => {
    const { calls, fetcher } = fakeFetch(() =>
      json(
        {
          error: {
            code: 'bad-recording',
            message: 'line 3: event seq 5 follows 3 (missing 4)',
            line: 3,
          },
        },
        400,
      ),
    );
    const reply = await new RecordingsApi(fetcher).importFile('{"format":…}\n');
    expect(reply).toEqual({
      ok: false,
      problem: {
        status: 400,
        code: 'bad-recording',
        message: 'line 3: event seq 5 follows 3 (missing 4)',
        line: 3,
      },
    });
    expect(calls[0]?.init?.method).toBe('POST');
  });

  test('delete sends the token as a bearer token; 204 is success', async () => {
    const { calls, fetcher } = fakeFetch(() => new Response(null, { status: 204 }));
    const reply = await new RecordingsApi(fetcher).remove('abcdefghijklmnopqrstuv', 'tok');
    expect(reply.ok).toBe(true);
    expect(calls[0]?.init?.method).toBe('DELETE');
    expect(new Headers(calls[0]?.init?.headers).get('Authorization')).toBe('Bearer tok');
  });

  test('errors without a body get a readable message; unreachable servers too', async () => {
    const notFound = await new RecordingsApi(
      fakeFetch(() => new Response('nope', { status: 404 })).fetcher,
    ).meta('abcdefghijklmnopqrstuv');
    expect(notFound).toMatchObject({ ok: false, problem: { status: 404, code: 'not-found' } });
    const offline = await new RecordingsApi((() =>
      Promise.reject(new TypeError('network'))) as typeof fetch).meta('abcdefghijklmnopqrstuv');
    expect(offline).toMatchObject({ ok: false, problem: { status: 0, code: 'offline' } });
  });

  test('a malformed answer is a problem, not a crash', async () => {
    const reply = await new RecordingsApi(fakeFetch(() => json({ what: 1 })).fetcher).meta(
      'abcdefghijklmnopqrstuv',
    );
    expect(reply).toMatchObject({ ok: false, problem: { code: 'internal' } });
  });

  test('export: the text and the file name from Content-Disposition', async () => {
    const { fetcher } = fakeFetch(
      () =>
        new Response('{"format":"x"}\n', {
          status: 200,
          headers: { 'Content-Disposition': 'attachment; filename="lecture-5.ndjson"' },
        }),
    );
    const reply = await new RecordingsApi(fetcher).exportFile('abcdefghijklmnopqrstuv', true);
    expect(reply).toEqual({
      ok: true,
      value: { text: '{"format":"x"}\n', filename: 'lecture-5.ndjson' },
    });
    expect(exportPath('abcdefghijklmnopqrstuv', true)).toBe(
      '/api/recordings/abcdefghijklmnopqrstuv/export?anonymize=1',
    );
  });

  test('verify answers either way', async () => {
    const ok = await new RecordingsApi(
      fakeFetch(() => json({ ok: true, checked: 12 })).fetcher,
    ).verify('abcdefghijklmnopqrstuv');
    expect(ok).toEqual({ ok: true, value: { ok: true, checked: 12 } });
    const bad = await new RecordingsApi(
      fakeFetch(() =>
        json({
          ok: false,
          firstDivergence: { seq: 9, step: 2, what: 'weights', expected: 1, actual: 2 },
        }),
      ).fetcher,
    ).verify('abcdefghijklmnopqrstuv');
    expect(bad).toMatchObject({ ok: true, value: { ok: false, firstDivergence: { seq: 9 } } });
  });
});
