import { afterEach, expect, test } from 'vitest';
import { pino } from 'pino';
import { createApp, type App } from '../src/app';
import { configFromEnv } from '../src/config';

let app: App | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('GET /healthz answers ok on a server started on port 0', async () => {
  app = createApp({
    config: { ...configFromEnv({}), port: 0, host: '127.0.0.1' },
    logger: pino({ level: 'silent' }),
  });
  const port = await app.listen();
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
});

test('configFromEnv refuses a port that is not a port', () => {
  expect(() => configFromEnv({ PORT: 'abc' })).toThrow(/PORT must be an integer/);
});
