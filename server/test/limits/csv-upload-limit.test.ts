import { afterEach, expect, test } from 'vitest';
import { csvUploadPath } from '@backprop/shared/protocol';
import { startServer, type TestServer } from '../helpers/server';
import { createSession } from '../helpers/session';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

test('uploads into one session are rate-limited (429 with Retry-After)', async () => {
  server = await startServer({ limits: { csvUploadsPerSession: { points: 2, seconds: 60 } } });
  const host = await createSession(server);
  const post = () =>
    fetch(server.url + csvUploadPath(host.code, ['y']), {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${host.hostToken}` },
      body: 'x,y\n1,2\n3,4\n5,6\n',
    });
  expect((await post()).status).toBe(200);
  expect((await post()).status).toBe(200);
  const refused = await post();
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await refused.json()).toMatchObject({ error: { code: 'rate-limited' } });
  // Strangers are refused before they count: they cannot use up the host's allowance.
  const stranger = await fetch(server.url + csvUploadPath(host.code, ['y']), {
    method: 'POST',
    headers: { 'content-type': 'text/csv', authorization: `Bearer ${'x'.repeat(32)}` },
    body: 'x,y\n1,2\n',
  });
  expect(stranger.status).toBe(404);
});
