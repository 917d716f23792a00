/**
 * The host learns where students can reach the server (GET /api/sessions/:code/join-addresses),
 * and a student who arrives through an advertised address is let in by the origin check.
 * The machine's interfaces are injected, so the test is the same on every machine.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { joinAddressesPath, type JoinAddressesReply } from '@backprop/shared/protocol';
import type { InterfaceList } from '../../src/network/join-addresses';
import { connectWithOrigin, startServer, type TestServer } from '../helpers/server';
import { createSession, joinSession } from '../helpers/session';
import { LOOPBACK, ipv4 } from './fake-interfaces';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

/** A laptop on the classroom Wi-Fi, listening on every IPv4 interface as `npm start` does. */
let interfaces: InterfaceList;
beforeEach(() => {
  interfaces = { ...LOOPBACK, wlan0: [ipv4('192.168.1.23')] };
});
const options = (publicUrl: string | null = null) => ({
  config: { host: '0.0.0.0', publicUrl },
  networkInterfaces: () => interfaces,
});

function get(path: string, token?: string): Promise<Response> {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  return fetch(`${server.url}${path}`, { headers });
}

test('the host learns the network addresses, read afresh on every request', async () => {
  server = await startServer(options());
  const port = new URL(server.url).port;
  const host = await createSession(server);

  const res = await get(joinAddressesPath(host.code), host.hostToken);
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const reply: JoinAddressesReply = {
    publicUrl: null,
    network: [`http://192.168.1.23:${port}`],
  };
  expect(await res.json()).toEqual(reply);

  // The laptop moves to another network while the session runs.
  interfaces = { ...LOOPBACK, eth0: [ipv4('10.0.0.5')] };
  const later = await get(joinAddressesPath(host.code), host.hostToken);
  expect(await later.json()).toEqual({ publicUrl: null, network: [`http://10.0.0.5:${port}`] });

  const listening = server.logs.find((line) => line.msg === 'Backprop Live listening');
  expect(listening).toMatchObject({
    local: `http://localhost:${port}`,
    network: [`http://192.168.1.23:${port}`],
    publicUrl: null,
  });
});

test('only the host may ask, and a refusal does not tell whether the code exists', async () => {
  server = await startServer(options());
  const host = await createSession(server);
  const student = await joinSession(server, host.code, 'Ada');
  const refusals = [
    await get(joinAddressesPath(host.code)),
    await get(joinAddressesPath(host.code), student.token),
    await get(joinAddressesPath('ZZZZZZ'), host.hostToken),
  ];
  const answers = await Promise.all(refusals.map(async (res) => [res.status, await res.text()]));
  expect(answers.map(([status]) => status)).toEqual([404, 404, 404]);
  expect(new Set(answers.map(([, body]) => body)).size).toBe(1);
});

test('PUBLIC_URL is handed to the host as it is, path included', async () => {
  server = await startServer(options('https://backprop.example.edu/class'));
  const host = await createSession(server);
  const reply = (await (
    await get(joinAddressesPath(host.code), host.hostToken)
  ).json()) as JoinAddressesReply;
  expect(reply.publicUrl).toBe('https://backprop.example.edu/class');
});

test('a socket from an advertised address is accepted, another address is refused', async () => {
  server = await startServer(options('https://backprop.example.edu/class'));
  const port = new URL(server.url).port;
  // The Host header says 127.0.0.1 (as behind a proxy that rewrites it): only the
  // advertised list can let these in.
  expect(await connectWithOrigin(server.url, `http://192.168.1.23:${port}`)).toBe('connected');
  expect(await connectWithOrigin(server.url, 'https://backprop.example.edu')).toBe('connected');
  expect(await connectWithOrigin(server.url, `http://192.168.1.99:${port}`)).not.toBe('connected');
  expect(await connectWithOrigin(server.url, 'http://192.168.1.23:1')).not.toBe('connected');
  expect(await connectWithOrigin(server.url, 'https://evil.example')).not.toBe('connected');
});
