/**
 * A reconnect storm: 500 students in one room; the socket layer restarts (the app is
 * closed, which disconnects every socket server-side, and a new app is started on the
 * same port over the same in-memory SessionRegistry: the rooms live on, as they would
 * with persistence across a real process restart); then all 500 reconnect at once and
 * resume with their token and last seq while the host steps. Every client must end with
 * the server's state, with no gap and no duplicate in what it applied.
 *
 * Production limits (DEFAULT_LIMITS), loopback only, bounded in time.
 */
import { io as connectClient } from 'socket.io-client';
import { afterAll, expect, test } from 'vitest';
import { PROTOCOL_VERSION } from '@backprop/shared/protocol';
import { DEFAULT_LIMITS } from '../../src/limits';
import { startServer, type Client, type TestServer } from '../helpers/server';
import { serverState } from '../helpers/session';
import { Mirror, waitUntil } from '../helpers/sockets';
import type { CommandName, CommandReplies } from '@backprop/shared/protocol';

const STUDENTS = 500;
const HOST_STEPS = 20;

const servers: TestServer[] = [];
const clients: Client[] = [];
afterAll(async () => {
  for (const client of clients) client.disconnect();
  for (const server of servers) await server.app.close().catch(() => undefined);
});

function client(url: string): Client {
  const socket: Client = connectClient(url, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    autoConnect: false,
  });
  clients.push(socket);
  return socket;
}

/**
 * A command with a patient ack: in a storm the last of 500 resumes waits behind the
 * others (each records a presence event that 500 sockets receive, and these 500 clients
 * run in this one process, each reducing every event).
 */
async function ok<C extends CommandName>(
  socket: Client,
  command: C,
  payload: unknown,
): Promise<{ ok: true } & CommandReplies[C]> {
  const emit = socket.timeout(60_000).emitWithAck as unknown as (
    event: string,
    payload: unknown,
  ) => Promise<{ ok: boolean; error?: { code: string; message: string } }>;
  const result = await emit.call(socket.timeout(60_000), command, payload);
  if (!result.ok) throw new Error(`${command}: ${result.error?.code}: ${result.error?.message}`);
  return result as { ok: true } & CommandReplies[C];
}

function connect(socket: Client): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
    socket.connect();
  });
}

test(
  '500 students reconnect at once after a restart of the socket layer; all end in sync',
  { timeout: 180_000 },
  async () => {
    const first = await startServer({ limits: DEFAULT_LIMITS });
    servers.push(first);
    const port = Number(new URL(first.url).port);

    const host = { socket: client(first.url), mirror: null as unknown as Mirror };
    await connect(host.socket);
    host.mirror = new Mirror(host.socket);
    const created = await ok(host.socket, 'session:create', { title: 'Storm' });
    host.mirror.sync(created.sync);
    const { code, hostToken } = created;

    const students: { socket: Client; mirror: Mirror; token: string }[] = [];
    for (let start = 0; start < STUDENTS; start += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, STUDENTS - start) }, async (_, k) => {
          const socket = client(first.url);
          await connect(socket);
          const mirror = new Mirror(socket);
          const joined = await ok(socket, 'session:join', { code, name: `Student ${start + k}` });
          mirror.sync(joined.sync);
          return { socket, mirror, token: joined.token };
        }),
      );
      students.push(...batch);
    }
    await ok(host.socket, 'host:step', { granularity: 'sample' });
    const seqBeforeRestart = serverState(first, code).seq;
    await Promise.all(students.map((s) => s.mirror.reach(seqBeforeRestart)));

    // The restart: every socket is disconnected by the server; the registry survives.
    const everyoneGone = Promise.all(
      [host, ...students].map(
        (c) => new Promise<void>((resolve) => c.socket.once('disconnect', () => resolve())),
      ),
    );
    await first.app.close();
    await everyoneGone;
    const second = await startServer({
      limits: DEFAULT_LIMITS,
      config: { port },
      sessions: first.app.sessions,
    });
    servers.push(second);
    expect(second.url).toBe(first.url);

    // All at once: the host resumes and steps while 500 students resume.
    await connect(host.socket);
    host.mirror.sync(
      (
        await ok(host.socket, 'session:resume', {
          code,
          token: hostToken,
          lastSeq: host.mirror.seq,
        })
      ).sync,
    );
    const stepping = (async () => {
      for (let k = 0; k < HOST_STEPS; k++) {
        await ok(host.socket, 'host:step', { granularity: k % 2 ? 'sample' : 'stage' });
        // An instructor clicking fast, within the production event rate.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const resumed = await Promise.all(
      students.map(async (s) => {
        await connect(s.socket);
        const reply = await ok(s.socket, 'session:resume', {
          code,
          token: s.token,
          lastSeq: s.mirror.seq,
        });
        s.mirror.sync(reply.sync);
        return reply.role;
      }),
    );
    await stepping;
    expect(resumed.every((role) => role === 'student')).toBe(true);

    const final = serverState(second, code);
    expect(final.participants.filter((p) => p.connected)).toHaveLength(STUDENTS);
    expect(final.hostConnected).toBe(true);
    await waitUntil(() => [host, ...students].every((c) => c.mirror.seq === final.seq), 30_000);
    for (const [k, c] of [host, ...students].entries()) {
      expect(c.mirror.state, `client ${k}`).toEqual(final);
      expect({ gaps: c.mirror.gaps, duplicates: c.mirror.duplicates }, `client ${k}`).toEqual({
        gaps: 0,
        duplicates: 0,
      });
    }
  },
);
