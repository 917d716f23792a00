/**
 * Surviving kill -9: the real server (server/src/main.ts, DATA_DIR in a temp folder, PORT 0)
 * runs as a child process driven by scripted clients — a host stepping, playing, editing,
 * resetting, and two students — and is killed with SIGKILL at random moments, 20 times.
 * After each kill: the database passes integrity_check, its events have no gap, every
 * event any client received (so every acknowledged one: events go out before their
 * command's ack) is stored as received. After each restart: the clients resume with their
 * tokens and last seqs and see no gap, the session is paused at its last state with the
 * same weights, and at the end the whole recording — across every restart — re-simulates
 * exactly (verify), so the training was brought back at the exact point each time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { io as connectClient } from 'socket.io-client';
import { afterAll, expect, test } from 'vitest';
import { createRng } from '@backprop/shared/nn';
import { PROTOCOL_VERSION, type RecordingVerifyReply } from '@backprop/shared/protocol';
import { compactParams, type SessionEvent, type SessionState } from '@backprop/shared/session';
import { DATABASE_FILE, openSqliteStore } from '../../src/store';
import type { Client } from '../helpers/server';
import { Mirror, onEvents } from '../helpers/sockets';
import { tempDataDir } from '../store/fixtures';

const KILLS = 20;
const MAIN = join(import.meta.dirname, '../../src/main.ts');
const random = createRng(20261128);
const folder = tempDataDir();
afterAll(() => folder.remove());

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

/** Starts main.ts on the data folder; resolves once it listens (its port from the log). */
function startChild(): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      DATA_DIR: folder.dir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CLIENT_DIR: '/nonexistent',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'Backprop Live listening') {
          resolve({ child, url: `http://127.0.0.1:${entry.port}`, exited });
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${errors}`)));
  });
}

function connect(url: string): Promise<Client> {
  const socket: Client = connectClient(url, {
    auth: { protocol: PROTOCOL_VERSION },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function send(
  socket: Client,
  command: string,
  payload: unknown,
): Promise<Record<string, unknown>> {
  const emit = socket.timeout(5000).emitWithAck as unknown as (
    event: string,
    payload: unknown,
  ) => Promise<Record<string, unknown>>;
  return emit.call(socket.timeout(5000), command, payload);
}

/** A person at a device: their token, and their copy of the session across reconnects. */
interface Member {
  token: string;
  role: 'host' | 'student';
  state: SessionState;
  /** Every event received over every connection. */
  received: Map<number, SessionEvent>;
  mirror: Mirror | null;
}

function follow(member: Member, socket: Client): Mirror {
  const mirror = new Mirror(socket);
  mirror.state = member.state;
  onEvents(socket, (events) => {
    for (const event of events) member.received.set(event.seq, event);
  });
  member.mirror = mirror;
  return mirror;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** What the host does until the server dies: one command after another. */
async function scriptedHost(socket: Client, alive: () => boolean): Promise<void> {
  const actions: (() => Promise<unknown>)[] = [
    () =>
      send(socket, 'host:step', {
        granularity: pick(['stage', 'stage', 'sample', 'batch', 'epoch']),
      }),
    () =>
      send(socket, 'host:hyper', {
        learningRate: pick([0.03, 0.1, 0.3]),
        batchSize: pick([1, 4, 16]),
      }),
    async () => {
      await send(socket, 'host:hyper', { speed: 1000 });
      await send(socket, 'host:play', { playing: true });
      await new Promise((resolve) => setTimeout(resolve, 50 + random() * 250));
      if (random() < 0.8) await send(socket, 'host:play', { playing: false });
    },
    () =>
      send(socket, 'host:edit-weight', {
        layer: 0,
        to: 1,
        from: 0,
        value: Math.round(random() * 100) / 100,
      }),
    () => send(socket, 'host:marker', { label: `Mark ${Math.floor(random() * 100)}` }),
    () => (random() < 0.3 ? send(socket, 'host:reset', {}) : Promise.resolve()),
  ];
  while (alive()) {
    try {
      await pick(actions)();
    } catch {
      return; // the server died mid-command
    }
  }
}

/** The stored events of `code`, checked for gaps; the database checked for integrity. */
function checkDatabase(code: string): Map<number, string> {
  const db = new Database(join(folder.dir, DATABASE_FILE));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db
      .prepare('SELECT seq, json FROM events WHERE session = ? ORDER BY seq')
      .all(code) as { seq: number; json: string }[];
    rows.forEach((row, k) => expect(row.seq).toBe(k + 1));
    const last = db.prepare('SELECT last_seq FROM sessions WHERE code = ?').get(code) as {
      last_seq: number;
    };
    expect(last.last_seq).toBe(rows.length);
    return new Map(rows.map((row) => [row.seq, row.json]));
  } finally {
    db.close();
  }
}

test(`${KILLS} kills at random moments lose nothing acknowledged; clients carry on`, async () => {
  let server = await startChild();
  const hostSocket = await connect(server.url);
  const created = await send(hostSocket, 'session:create', { title: 'Crash course' });
  const code = created.code as string;
  const replayId = created.replayId as string;
  const snapshot = (created.sync as { state: SessionState }).state;
  const host: Member = {
    token: created.hostToken as string,
    role: 'host',
    state: snapshot,
    received: new Map(),
    mirror: null,
  };
  follow(host, hostSocket);
  const members: Member[] = [host];
  let sockets: Client[] = [hostSocket];
  for (const name of ['Ada', 'Bob']) {
    const socket = await connect(server.url);
    const joined = await send(socket, 'session:join', { code, name });
    const member: Member = {
      token: joined.token as string,
      role: 'student',
      state: (joined.sync as { state: SessionState }).state,
      received: new Map(),
      mirror: null,
    };
    follow(member, socket);
    members.push(member);
    sockets.push(socket);
  }

  let restoredExactly = 0;
  let killedWhilePlaying = 0;
  for (let kill = 0; kill < KILLS; kill++) {
    // Run for a random while, then kill -9 in the middle of whatever is happening.
    let alive = true;
    const script = scriptedHost(sockets[0]!, () => alive);
    await new Promise((resolve) => setTimeout(resolve, 100 + random() * 600));
    server.child.kill('SIGKILL');
    alive = false;
    await server.exited;
    // Closing the sockets fails the command in flight (if any) at once.
    for (const socket of sockets) socket.disconnect();
    await Promise.race([script, new Promise((resolve) => setTimeout(resolve, 200))]);

    const stored = checkDatabase(code);
    for (const member of members) {
      member.state = member.mirror!.state!;
      for (const [seq, event] of member.received) {
        expect(stored.get(seq), `event ${seq}`).toBe(JSON.stringify(event));
      }
      expect(member.mirror!.gaps + member.mirror!.duplicates).toBe(0);
    }
    const store = openSqliteStore(folder.dir);
    const lastRecorded = store.loadSession(code)!.state;
    store.close();
    if (lastRecorded.playing) killedWhilePlaying++;

    // Restart on the same data; everyone resumes with their token and last seq.
    server = await startChild();
    sockets = [];
    for (const member of members) {
      const socket = await connect(server.url);
      const mirror = follow(member, socket);
      const resumed = await send(socket, 'session:resume', {
        code,
        token: member.token,
        lastSeq: member.state.seq,
      });
      expect(resumed, member.role).toMatchObject({ ok: true, role: member.role, replayId });
      mirror.sync(resumed.sync as Parameters<Mirror['sync']>[0]);
      expect(mirror.gaps + mirror.duplicates).toBe(0);
      sockets.push(socket);
    }
    const state = members[0]!.mirror!.state!;
    // Paused at the last state: the same weights (exact once settled after compact frames).
    expect(state.playing).toBe(false);
    expect(compactParams(state.network)).toEqual(compactParams(lastRecorded.network));
    if (JSON.stringify(state.network) === JSON.stringify(lastRecorded.network)) restoredExactly++;
    expect(state.step).toBe(lastRecorded.step);
  }

  // Across all the restarts, the recording re-simulates exactly.
  const res = await fetch(`${server.url}/api/recordings/${replayId}/verify`, { method: 'POST' });
  const verified = (await res.json()) as RecordingVerifyReply;
  expect(verified).toMatchObject({ ok: true });
  // Some kills hit a paused session (same weights exactly), others play (about half the
  // time): then the compact frame's weights were the last recorded, and the exact ones came
  // back from the re-simulation.
  expect(restoredExactly).toBeGreaterThan(0);
  expect(killedWhilePlaying).toBeGreaterThan(0);
  for (const socket of sockets) socket.disconnect();
  server.child.kill('SIGKILL');
  await server.exited;
}, 150_000);
