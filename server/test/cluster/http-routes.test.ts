/**
 * The host's HTTP requests on a live room (CSV upload, quiz results, join addresses) on a
 * node that does not run the room: answered by the room's owner (cluster/http-forwarding.ts)
 * exactly as the owner answers them itself: the same status, headers and bytes, the same
 * refusals. Two node processes on loopback, one Redis, one Postgres.
 */
import { expect, test } from 'vitest';
import {
  csvUploadPath,
  joinAddressesPath,
  quizResultsPath,
  type CsvUploadReply,
} from '@backprop/shared/protocol';
import { leaseKey } from '../../src/cluster/room-leases';
import { HTTP_FORWARD_TIMEOUT_MS } from '../../src/cluster/http-forwarding';
import { ELSEWHERE_MESSAGE } from '../../src/cluster/forwarding';
import { NO_HOST_ACCESS } from '../../src/http/host-access';
import { emitAck, ok } from '../helpers/sockets';
import { useCluster, type NodeProcess } from './node-processes';

const { services, nodes: cluster } = useCluster(1000);

const GOOD = ['size,rooms,price', '50,2,100000', '80,3,160000', '120,4,230000', ''].join('\n');

interface Got {
  status: number;
  type: string | null;
  headers: Record<string, string | null>;
  body: string;
}

/** A request and what came back, the parts a client can tell apart. */
async function call(
  node: NodeProcess,
  path: string,
  token: string | null,
  init: { method?: string; body?: string; type?: string } = {},
): Promise<Got> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (init.type) headers['content-type'] = init.type;
  const res = await fetch(node.url + path, { method: init.method, headers, body: init.body });
  const named = ['cache-control', 'content-disposition', 'retry-after'] as const;
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    headers: Object.fromEntries(named.map((name) => [name, res.headers.get(name)])),
    body: await res.text(),
  };
}

const upload = (
  node: NodeProcess,
  code: string,
  token: string | null,
  body: string,
  type = 'text/csv',
) => call(node, csvUploadPath(code, ['price']), token, { method: 'POST', body, type });

async function twoNodes() {
  const [a, b] = await Promise.all([cluster.start('node-a'), cluster.start('node-b')]);
  const socket = await cluster.connect(a);
  const created = await ok(socket, 'session:create', { title: 'HTTP on any node' });
  expect(await services.client.get(leaseKey(created.code))).toBe('node-a');
  return {
    a,
    b,
    host: { socket, code: created.code, token: created.hostToken, replayId: created.replayId },
  };
}

test('the host uploads a CSV, reads quiz results and join addresses through a node that does not run the room', async () => {
  const { a, b, host } = await twoNodes();

  // A CSV through B is stored in the room on A: the host can set the network up on it.
  const stored = await upload(b, host.code, host.token, GOOD);
  expect(stored.status).toBe(200);
  expect(JSON.parse(stored.body)).toEqual({
    ok: true,
    rows: 3,
    columns: ['size', 'rooms', 'price'],
    inputs: ['size', 'rooms'],
    targets: ['price'],
  } satisfies CsvUploadReply);
  expect(await upload(a, host.code, host.token, GOOD)).toEqual(stored);
  await ok(host.socket, 'host:setup', {
    datasetId: 'csv',
    hidden: [3],
    activations: ['tanh', 'linear'],
    trainBiases: true,
    seed: 2,
    normalize: true,
    testFraction: 0,
  });

  // A student on B answers a quiz; the results read through B are A's, to the byte.
  const student = await cluster.connect(b);
  await ok(student, 'session:join', { code: host.code, name: '=Ann, "the" best' });
  const { quizId } = await ok(host.socket, 'host:quiz-open', {
    kind: 'direction',
    layer: 0,
    to: 1,
    from: 0,
    timeLimitSeconds: 30,
  });
  await ok(student, 'student:answer', {
    quizId,
    answer: { kind: 'direction', value: 'up' },
    key: 'answer-key-0001',
  });
  await ok(host.socket, 'host:quiz-reveal', {});
  const results = await call(b, quizResultsPath(host.code), host.token);
  expect(results.status).toBe(200);
  expect(results.type).toBe('text/csv; charset=utf-8');
  expect(results.headers).toMatchObject({
    'cache-control': 'no-store',
    'content-disposition': `attachment; filename=quiz-results-${host.code}.csv`,
  });
  const lines = results.body.split('\r\n');
  expect(lines[0]).toBe('name,question,answer,correct,time');
  expect(lines[1]).toMatch(/^"'=Ann, ""the"" best",.*,up,(yes|no),\d+\.\d$/);
  expect(await call(a, quizResultsPath(host.code), host.token)).toEqual(results);

  // The join addresses: the room's node's, whichever node is asked.
  const addresses = await call(b, joinAddressesPath(host.code), host.token);
  expect(addresses.status).toBe(200);
  expect(addresses.headers['cache-control']).toBe('no-store');
  expect(JSON.parse(addresses.body)).toMatchObject({ publicUrl: null });
  expect(await call(a, joinAddressesPath(host.code), host.token)).toEqual(addresses);
}, 60_000);

test('through the other node, a bad or too large file and a stranger get the owner’s refusals; a 1.7 MB file is taken', async () => {
  const { a, b, host } = await twoNodes();
  const student = await cluster.connect(b);
  const { token: studentToken } = await ok(student, 'session:join', {
    code: host.code,
    name: 'Bo',
  });

  const same = async (ask: (node: NodeProcess) => Promise<Got>) => {
    const [onA, onB] = [await ask(a), await ask(b)];
    expect(onB).toEqual(onA);
    return onB;
  };
  // A file that does not parse: 400 bad-csv naming the line.
  const bad = await same((node) => upload(node, host.code, host.token, 'size,price\n1,2\n3\n'));
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.body)).toMatchObject({ error: { code: 'bad-csv', line: 3 } });
  // Not text: 415, checked on the node that read the request.
  expect(
    (await same((node) => upload(node, host.code, host.token, '{}', 'application/json'))).status,
  ).toBe(415);
  // No target named: 400.
  const noTargets = await same((node) =>
    call(node, csvUploadPath(host.code, []), host.token, {
      method: 'POST',
      body: GOOD,
      type: 'text/csv',
    }),
  );
  expect(noTargets.status).toBe(400);

  // Over 2 MB: 413, checked on the node that reads the body, before anything travels.
  const huge = 'a,price\n' + '1,2\n'.repeat(600_000);
  const tooLarge = await same((node) => upload(node, host.code, host.token, huge));
  expect(tooLarge.status).toBe(413);
  // Just under the cap (1.7 MB, 10,000 rows) travels to the owner and is taken there.
  const columns = Array.from({ length: 30 }, (_, k) => `c${k}`);
  const rows = Array.from({ length: 10_000 }, (_, r) =>
    columns.map((_, k) => ((r * 31 + k * 7) % 1000) / 10 + 100).join(','),
  );
  const large = [columns.join(','), ...rows, ''].join('\n');
  expect(large.length).toBeGreaterThan(1.5 * 1024 * 1024);
  const taken = await call(b, csvUploadPath(host.code, ['c29']), host.token, {
    method: 'POST',
    body: large,
    type: 'text/csv',
  });
  expect([taken.status, JSON.parse(taken.body)]).toMatchObject([200, { rows: 10_000 }]);

  // No token, a student's token, a wrong code: the one 404 of host-access.ts, everywhere.
  const refused = { error: { code: 'not-found', message: NO_HOST_ACCESS } };
  for (const token of [null, studentToken]) {
    const asks = [
      (node: NodeProcess) => upload(node, host.code, token, GOOD),
      (node: NodeProcess) => call(node, quizResultsPath(host.code), token),
      (node: NodeProcess) => call(node, joinAddressesPath(host.code), token),
    ];
    for (const ask of asks) {
      const got = await same(ask);
      expect(got.status).toBe(404);
      expect(JSON.parse(got.body)).toEqual(refused);
    }
  }
  const unknown = await same((node) => call(node, quizResultsPath('ZZZZZZ'), host.token));
  expect([unknown.status, JSON.parse(unknown.body)]).toEqual([404, refused]);
}, 60_000);

test('an owner that does not answer: a 503 that says to try again', async () => {
  const { b, host } = await twoNodes();
  // The lease names a node that does not exist (an owner just killed, its lease not out yet).
  await services.client.set(leaseKey(host.code), 'node-gone', { PX: 60_000 });
  const started = Date.now();
  const got = await call(b, quizResultsPath(host.code), host.token);
  expect(Date.now() - started).toBeGreaterThanOrEqual(HTTP_FORWARD_TIMEOUT_MS - 100);
  expect(got.status).toBe(503);
  expect(got.headers['retry-after']).toBe('1');
  expect(JSON.parse(got.body)).toEqual({
    error: { code: 'busy', message: ELSEWHERE_MESSAGE, retryAfterSeconds: 1 },
  });
  // A command through B is told the same (forwarding.ts), so the client's retry is one path.
  const socket = await cluster.connect(b);
  expect(
    await emitAck(socket, 'session:resume', { code: host.code, token: host.token, lastSeq: 0 }),
  ).toMatchObject({
    ok: false,
    error: { code: 'busy', message: ELSEWHERE_MESSAGE, retryAfterMs: 1000 },
  });
}, 60_000);

test('a live session’s recording is not deleted through a node that does not run it', async () => {
  const { a, b, host } = await twoNodes();
  const del = (node: NodeProcess) =>
    call(node, `/api/recordings/${host.replayId}`, host.token, { method: 'DELETE' });
  const refused = await del(b);
  expect(refused.status).toBe(409);
  expect(await del(a)).toEqual(refused);
  // Still there, and the room goes on.
  expect((await call(b, `/api/recordings/${host.replayId}`, null)).status).toBe(200);
  await ok(host.socket, 'host:step', { granularity: 'sample' });
}, 60_000);
