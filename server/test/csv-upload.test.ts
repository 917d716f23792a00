import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { csvUploadPath } from '@backprop/shared/protocol';
import { startServer, type TestServer } from './helpers/server';
import { createSession, joinSession, serverState, type Host } from './helpers/session';
import { emitAck, ok } from './helpers/sockets';

let server: TestServer;
let host: Host;
beforeEach(async () => {
  server = await startServer();
  host = await createSession(server);
});
afterEach(async () => {
  await server.close();
});

const GOOD = [
  'size,rooms,price',
  '50,2,100000',
  '80,3,160000',
  '120,4,230000',
  '65,2,125000',
  '',
].join('\n');

async function upload(
  body: string,
  options: { token?: string | null; targets?: string[]; type?: string; code?: string } = {},
) {
  const token = options.token === undefined ? host.hostToken : options.token;
  const headers: Record<string, string> = { 'content-type': options.type ?? 'text/csv' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(
    server.url + csvUploadPath(options.code ?? host.code, options.targets ?? ['price']),
    {
      method: 'POST',
      headers,
      body,
    },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('CSV upload', () => {
  test('a good file is stored and used once the host picks it', async () => {
    const before = serverState(server, host.code).seq;
    const res = await upload(GOOD);
    expect(res).toEqual({
      status: 200,
      body: {
        ok: true,
        rows: 4,
        columns: ['size', 'rooms', 'price'],
        inputs: ['size', 'rooms'],
        targets: ['price'],
      },
    });
    // Uploading alone does not change the session.
    expect(serverState(server, host.code).seq).toBe(before);
    await ok(host.socket, 'host:setup', {
      datasetId: 'csv',
      hidden: [3],
      activations: ['tanh', 'linear'],
      trainBiases: true,
      seed: 2,
      normalize: true,
      testFraction: 0.25,
    });
    const { setup, fit } = serverState(server, host.code);
    expect(setup).toMatchObject({
      datasetId: 'csv',
      layers: [2, 3, 1],
      rows: 4,
      trainRows: 3,
      testRows: 1,
      inputs: [{ name: 'size' }, { name: 'rooms' }],
      targets: [{ name: 'price' }],
    });
    expect(fit!.actual).toEqual([100000, 160000, 230000, 125000]);
    await ok(host.socket, 'host:step', { granularity: 'epoch' });
    expect(serverState(server, host.code).step).toBeGreaterThan(0);
  });

  test('choosing the CSV dataset before any upload is refused', async () => {
    const reply = await emitAck(host.socket, 'host:setup', {
      datasetId: 'csv',
      hidden: [3],
      activations: ['tanh', 'linear'],
      trainBiases: true,
      seed: 2,
      normalize: true,
      testFraction: 0.25,
    });
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  test.each([
    ['a cell that is not a number', 'a,b\n1,2\n3,x\n', ['b'], 3, /column "b" is not a number/],
    ['a short row', 'a,b\n1,2\n3\n', ['b'], 3, /expected 2 cells/],
    ['an unknown target', 'a,b\n1,2\n', ['price'], 0, /there is no column "price"/],
    ['only a header', 'a,b\n', ['b'], 0, /no data rows/],
    ['no header', '1,2\n3,4\n', ['b'], 1, /header/],
  ])('%s is refused with the line and the reason', async (_what, body, targets, line, reason) => {
    const res = await upload(body, { targets });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: 'bad-csv', line, reason: expect.stringMatching(reason) },
    });
  });

  test('absurdly large values are refused: training on them could overflow', async () => {
    const res = await upload('a,b\n1e300,2\n3,4\n', { targets: ['b'] });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'bad-csv' } } });
  });

  test('missing targets, a non-text body and an oversized file are refused', async () => {
    expect(await upload(GOOD, { targets: [] })).toMatchObject({
      status: 400,
      body: { error: { code: 'bad-request' } },
    });
    expect(await upload(GOOD, { type: 'application/json' })).toMatchObject({
      status: 415,
      body: { error: { code: 'bad-request' } },
    });
    const huge = 'a,b\n' + '1,2\n'.repeat(600_000);
    expect(await upload(huge, { targets: ['b'] })).toMatchObject({
      status: 413,
      body: { error: { code: 'too-large' } },
    });
  });

  test('only the host may upload; everyone else gets the answer of an unknown code', async () => {
    const student = await joinSession(server, host.code, 'Ada');
    const other = await createSession(server);
    const unknown = await upload(GOOD, { code: 'ZZZZZZ' });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'not-found' } } });
    for (const token of [null, 'not a token', student.token, other.hostToken]) {
      expect(await upload(GOOD, { token })).toEqual(unknown);
    }
    expect(server.app.sessions.get(host.code)!.csvDataset).toBeNull();
  });

  test('an ended session takes no uploads', async () => {
    await ok(host.socket, 'host:end', {});
    expect(await upload(GOOD)).toMatchObject({ status: 409, body: { error: { code: 'ended' } } });
  });
});
