/**
 * Issue 12 §5: every /api answer is JSON, errors included — an unknown path is a 404, a
 * known path with another method a 405 naming the allowed ones, and a malformed
 * %-encoding a 400 that says what is wrong (never express's HTML pages).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});

async function call(method: string, path: string) {
  const res = await fetch(`${server.url}${path}`, { method });
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return { status: res.status, allow: res.headers.get('allow'), body: await res.json() };
}

test('unknown /api paths are JSON 404s', async () => {
  for (const path of ['/api/recordings', '/api/sessions', '/api', '/api/nothing/here']) {
    expect(await call('GET', path), path).toMatchObject({
      status: 404,
      body: { error: { code: 'not-found', message: expect.stringContaining(path) } },
    });
  }
});

test('a known path with another method is a JSON 405 with Allow', async () => {
  const recording = '/api/recordings/AAAAAAAAAAAAAAAAAAAAAA';
  for (const method of ['PUT', 'PATCH']) {
    expect(await call(method, recording)).toMatchObject({
      status: 405,
      allow: 'DELETE, GET, HEAD',
      body: { error: { code: 'method-not-allowed', message: expect.stringContaining(method) } },
    });
  }
  expect(await call('GET', '/api/recordings/import')).toMatchObject({
    status: 404, // GET /api/recordings/:replayId: "import" is no replay id
  });
  expect(await call('DELETE', '/api/recordings/import')).toMatchObject({ status: 404 });
  expect(await call('PUT', '/api/recordings/import')).toMatchObject({
    status: 405,
    allow: 'DELETE, GET, HEAD, POST',
  });
});

test('a malformed %-encoding is a 400 that says so', async () => {
  for (const path of ['/api/recordings/%E0%A4%A', '/api/sessions/%ZZ/replay']) {
    expect(await call('GET', path), path).toMatchObject({
      status: 400,
      body: { error: { code: 'bad-request', message: expect.stringContaining('%-encoding') } },
    });
  }
  expect(server.logs.filter((line) => line.level === 50)).toEqual([]);
});
