/**
 * GET /metrics: off by default, behind METRICS_TOKEN on the app's port or alone on
 * METRICS_PORT, and its numbers move with what real socket.io clients do.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { configFromEnv, type MetricsConfig } from '../../src/config';
import { sample } from '../helpers/metrics';
import { startServer, type TestServer } from '../helpers/server';
import { emitAck, emitRaw, ok } from '../helpers/sockets';

const TOKEN = 'metrics-token-for-tests-0123456789';
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(metrics: MetricsConfig, limits = {}): Promise<TestServer> {
  const server = await startServer({ config: { metrics }, limits });
  servers.push(server);
  return server;
}

function scrape(url: string, token: string | null = TOKEN): Promise<Response> {
  return fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
}

async function metricsText(url: string): Promise<string> {
  const res = await scrape(url);
  expect(res.status).toBe(200);
  return res.text();
}

describe('access', () => {
  test('off unless METRICS_TOKEN or METRICS_PORT is set', async () => {
    const server = await serve({ token: null, port: null });
    expect((await scrape(server.url)).status).toBe(404);
    expect(server.app.metricsHttp).toBeNull();
  });

  test('with METRICS_TOKEN: 401 without the token, 403 with another, 200 with it', async () => {
    const server = await serve({ token: TOKEN, port: null });
    const missing = await scrape(server.url, null);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toBe(
      'Send METRICS_TOKEN as "Authorization: Bearer <token>".',
    );
    expect((await scrape(server.url, 'not-the-metrics-token-at-all')).status).toBe(403);
    const res = await scrape(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    // Process metrics and the event-loop lag come with prom-client's defaults.
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(sample(text, name), name).toBeGreaterThanOrEqual(0);
    }
    expect(sample(text, 'backprop_rooms_live')).toBe(0);
    expect(sample(text, 'backprop_rooms_on_hold')).toBe(0);
  });

  test('with METRICS_PORT: served there only, without a token unless one is set', async () => {
    const open = await serve({ token: null, port: 0 });
    const address = open.app.metricsHttp!.address();
    const metricsUrl = `http://127.0.0.1:${typeof address === 'object' && address!.port}`;
    expect((await scrape(open.url)).status).toBe(404);
    expect((await scrape(`${metricsUrl}`, null)).status).toBe(200);
    expect((await fetch(`${metricsUrl}/healthz`)).status).toBe(404);

    const guarded = await serve({ token: TOKEN, port: 0 });
    const guardedAddress = guarded.app.metricsHttp!.address();
    const guardedUrl = `http://127.0.0.1:${typeof guardedAddress === 'object' && guardedAddress!.port}`;
    expect((await scrape(guardedUrl, null)).status).toBe(401);
    expect((await scrape(guardedUrl)).status).toBe(200);
    expect((await scrape(guarded.url)).status).toBe(404);
  });

  test('a closed app closes its metrics port', async () => {
    const server = await serve({ token: null, port: 0 });
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    expect(server.app.metricsHttp!.listening).toBe(false);
  });

  test('configFromEnv: METRICS_TOKEN shaped like a bearer token, METRICS_PORT a port', () => {
    expect(configFromEnv({ METRICS_TOKEN: TOKEN, METRICS_PORT: '9100' }).metrics).toEqual({
      token: TOKEN,
      port: 9100,
    });
    expect(configFromEnv({}).metrics).toEqual({ token: null, port: null });
    expect(() => configFromEnv({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be/);
    expect(() => configFromEnv({ METRICS_TOKEN: 'has spaces in it, sixteen+' })).toThrow(
      /METRICS_TOKEN must be/,
    );
    expect(() => configFromEnv({ METRICS_PORT: 'x' })).toThrow(/METRICS_PORT must be an integer/);
  });
});

describe('what is counted', () => {
  test('rooms, sockets by role, commits and broadcasts follow real commands', async () => {
    const server = await serve({ token: TOKEN, port: null });
    const other = await serve({ token: TOKEN, port: null });
    const host = await server.connect();
    const { code } = await ok(host, 'session:create', { title: 'Metrics' });
    const student = await server.connect();
    await ok(student, 'session:join', { code, name: 'Ada' });
    await server.connect(); // connected, in no session
    for (let k = 0; k < 3; k++) await ok(host, 'host:step', { granularity: 'sample' });

    const text = await metricsText(server.url);
    expect(sample(text, 'backprop_rooms_live')).toBe(1);
    expect(sample(text, 'backprop_sockets{role="host"}')).toBe(1);
    expect(sample(text, 'backprop_sockets{role="student"}')).toBe(1);
    expect(sample(text, 'backprop_sockets{role="none"}')).toBe(1);
    // Every event of the session so far was committed, and counted once.
    const seq = server.app.sessions.get(code)!.state.seq;
    expect(seq).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'backprop_events_committed_total')).toBe(seq);
    // One broadcast per commit; each step is one commit at least.
    const commits = sample(text, 'backprop_commit_duration_seconds_count')!;
    expect(commits).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'backprop_broadcast_duration_seconds_count')).toBe(commits);
    expect(sample(text, 'backprop_commit_duration_seconds_bucket{le="+Inf"}')).toBe(commits);

    // Another app in the same process counts apart (a registry per app).
    const otherText = await metricsText(other.url);
    expect(sample(otherText, 'backprop_events_committed_total')).toBe(0);
    expect(sample(otherText, 'backprop_rooms_live')).toBe(0);
  });

  test('refused commands by reason, join failures, unknown events under one label', async () => {
    const server = await serve({ token: TOKEN, port: null });
    const host = await server.connect();
    const { code } = await ok(host, 'session:create', { title: 'Refusals' });
    const student = await server.connect();
    await ok(student, 'session:join', { code, name: 'Ada' });

    expect(await emitAck(student, 'host:step', { granularity: 'sample' })).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(await emitAck(host, 'host:step', { granularity: 'sideways' })).toMatchObject({
      error: { code: 'bad-request' },
    });
    const stranger = await server.connect();
    for (const name of ['Bo', 'Cy']) {
      expect(await emitAck(stranger, 'session:join', { code: 'ZZZZZZ', name })).toMatchObject({
        error: { code: 'not-found' },
      });
    }
    expect(await emitAck(stranger, 'session:join', { code, name: 'Ada' })).toMatchObject({
      error: { code: 'name-taken' },
    });
    await emitRaw(stranger, 'made:up:event-1', {});
    await emitRaw(stranger, 'made:up:event-2', {});

    const text = await metricsText(server.url);
    const refused = (command: string, reason: string) =>
      sample(text, `backprop_commands_refused_total{command="${command}",reason="${reason}"}`);
    expect(refused('host:step', 'forbidden')).toBe(1);
    expect(refused('host:step', 'bad-request')).toBe(1);
    expect(refused('session:join', 'not-found')).toBe(2);
    expect(refused('session:join', 'name-taken')).toBe(1);
    expect(refused('unknown', 'bad-request')).toBe(2);
    const joinFailed = (reason: string) =>
      sample(text, `backprop_join_failures_total{command="session:join",reason="${reason}"}`);
    expect(joinFailed('not-found')).toBe(2);
    expect(joinFailed('name-taken')).toBe(1);
    // Commands that succeeded are not refusals.
    expect(text).not.toContain('command="session:create"');
  });

  test('refusals by the rate limits are counted too', async () => {
    const server = await serve(
      { token: TOKEN, port: null },
      { events: { perSecond: 1, burst: 2, abuseFactor: 100 } },
    );
    const socket = await server.connect();
    const results = [];
    for (let k = 0; k < 4; k++) results.push(await emitAck(socket, 'session:sync', { lastSeq: 0 }));
    const limited = results.filter((r) => !r.ok && r.error.code === 'rate-limited').length;
    expect(limited).toBeGreaterThanOrEqual(1);
    const text = await metricsText(server.url);
    expect(
      sample(text, 'backprop_commands_refused_total{command="session:sync",reason="rate-limited"}'),
    ).toBe(limited);
  });
});
