import { expect, test } from 'vitest';
import { uploadCsv } from '../src/lib/upload';

function reply(status: number, body: unknown): typeof fetch {
  return async () => new Response(JSON.stringify(body), { status });
}

test('posts the CSV with the bearer token to the session path', async () => {
  let seen: { url: string; init: RequestInit } | null = null;
  const fetcher: typeof fetch = async (url, init) => {
    seen = { url: String(url), init: init! };
    return new Response(
      JSON.stringify({ ok: true, rows: 3, columns: ['a', 'y'], inputs: ['a'], targets: ['y'] }),
      { status: 200 },
    );
  };
  const result = await uploadCsv('ABCDEF', 'tok', 'a,y\n1,2\n', ['y'], fetcher);
  expect(result).toEqual({ ok: true, rows: 3, inputs: ['a'], targets: ['y'] });
  expect(seen!.url).toBe('/api/sessions/ABCDEF/dataset?targets=y');
  expect(seen!.init.method).toBe('POST');
  expect(seen!.init.headers).toMatchObject({
    Authorization: 'Bearer tok',
    'Content-Type': 'text/csv',
  });
});

test('a refusal comes back as the server’s readable message', async () => {
  const bad = reply(400, {
    error: { code: 'bad-csv', message: 'line 3: column "b" is not a number' },
  });
  expect(await uploadCsv('ABCDEF', 'tok', 'x', ['y'], bad)).toEqual({
    ok: false,
    message: 'line 3: column "b" is not a number',
  });
  expect(await uploadCsv('ABCDEF', 'tok', 'x', ['y'], reply(502, 'nope'))).toEqual({
    ok: false,
    message: 'The upload failed (HTTP 502).',
  });
  const offline: typeof fetch = async () => {
    throw new TypeError('network');
  };
  expect(await uploadCsv('ABCDEF', 'tok', 'x', ['y'], offline)).toMatchObject({ ok: false });
});
