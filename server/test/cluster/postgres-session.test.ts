/**
 * A real lesson on the Postgres store: a server made by createApp with the Postgres store
 * (not cluster mode: one node) runs a class — students join, steps, a CSV file and a
 * setup on it, play, proposals and a vote — and every acknowledged event is in Postgres.
 * The server is then stopped and a new one started on the same database: the host and a
 * student resume with their tokens and last seqs, and the room comes back from Postgres
 * by the restore path (paused, at its last committed event, the exact weights), without
 * a gap. The session ends, is exported, and the file passes `cli verify`. And when
 * Postgres is stopped during play, the room goes on hold: every command is answered
 * "the recordings store is unavailable", nobody receives an event Postgres does not have,
 * and once Postgres is back the room comes back from it by itself, plays on, and the
 * clients resume without a gap; the recording still verifies.
 * Runs a real Postgres (helpers/services.ts): it fails, naming Postgres, if none starts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/postgres-store';
import { cli, expectExportVerifies } from '../helpers/cli';
import { getJson, play } from '../helpers/recordings';
import type { ResumingClient } from '../helpers/resuming';
import { startServer, type TestServer } from '../helpers/server';
import { freePort, startPostgres, type Service } from '../helpers/services';
import { createSession, joinSession, serverState, uploadCsv, type Host } from '../helpers/session';
import { emitAck, Mirror, ok, waitUntil } from '../helpers/sockets';
import {
  expectPlaysOnAndConverges,
  expectRefusedOnHold,
  expectStillHeld,
  playingClass,
  REFUSED,
} from '../helpers/store-away';

let postgres: Service;
const stores: PostgresStore[] = [];
const servers: TestServer[] = [];
const clients: ResumingClient[] = [];

beforeAll(async () => {
  postgres = await startPostgres(await freePort());
}, 60_000);
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.close();
  await Promise.all(stores.splice(0).map((store) => store.close()));
});
afterAll(async () => {
  await postgres?.remove();
});

/** A one-node server on the Postgres store, as createApp's deps give it one. */
async function serveOnPostgres(): Promise<{ server: TestServer; store: PostgresStore }> {
  const store = await openPostgresStore(postgres.url);
  stores.push(store);
  const server = await startServer({ store });
  servers.push(server);
  return { server, store };
}

const CSV = ['x,y', ...Array.from({ length: 40 }, (_, k) => `${k % 9},${(k * 7) % 11}`), ''].join(
  '\n',
);

async function lesson(server: TestServer, host: Host) {
  const ada = await joinSession(server, host.code, 'Ada');
  const bob = await joinSession(server, host.code, 'Bob');
  await ok(host.socket, 'host:hyper', { batchSize: 4 });
  for (const granularity of ['stage', 'stage', 'sample', 'batch', 'epoch'] as const) {
    await ok(host.socket, 'host:step', { granularity });
  }
  expect(await uploadCsv(server, host, CSV, ['y'])).toBe(200);
  await ok(host.socket, 'host:setup', {
    datasetId: 'csv',
    hidden: [3],
    activations: ['tanh', 'linear'],
    trainBiases: true,
    seed: 4,
    normalize: true,
    testFraction: 0.2,
  });
  await play(server, host, 150);
  // Proposals and a vote among them.
  await ok(host.socket, 'host:proposals', { open: true });
  const options = [
    (await ok(ada.socket, 'student:propose', { rate: 0.03, key: 'ada-proposes-0001' })).proposalId,
    (await ok(bob.socket, 'student:propose', { rate: 0.3, key: 'bob-proposes-0001' })).proposalId,
  ];
  const { voteId } = await ok(host.socket, 'host:vote-open', {
    proposalIds: options,
    hideTallies: false,
  });
  await ok(ada.socket, 'student:vote', { voteId, proposalId: options[1]!, key: 'ada-votes-00001' });
  await ok(bob.socket, 'student:vote', { voteId, proposalId: options[1]!, key: 'bob-votes-00001' });
  const closed = await ok(host.socket, 'host:vote-close', {});
  expect(closed.learningRate).toBe(0.3);
  await ok(host.socket, 'host:step', { granularity: 'batch' });
  return { ada, bob };
}

test('a lesson on Postgres: every ack stored, back after a restart, exported and verified', async () => {
  const first = await serveOnPostgres();
  const host = await createSession(first.server, 'Week 4 on Postgres');
  const { ada } = await lesson(first.server, host);
  const room = first.server.app.sessions.get(host.code)!;
  const before = room.state;
  const network = room.training.network();
  await host.mirror.reach(before.seq);
  await ada.mirror.reach(before.seq);
  // Every acknowledged event is in Postgres, in order.
  const stored = await first.store.eventsSince(host.code, 0);
  expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: before.seq }, (_, k) => k + 1));
  expect((await first.store.loadSession(host.code))!.state).toEqual(
    JSON.parse(JSON.stringify(before)),
  );

  // The server stops (its store with it); a new one opens the same database.
  await first.server.close();
  servers.splice(servers.indexOf(first.server), 1);
  await first.store.close();
  stores.splice(stores.indexOf(first.store), 1);
  const second = await serveOnPostgres();
  const resume = async (token: string, mirror: Mirror) => {
    const socket = await second.server.connect();
    const resumed = new Mirror(socket);
    resumed.state = mirror.state;
    const reply = await ok(socket, 'session:resume', {
      code: host.code,
      token,
      lastSeq: mirror.seq,
    });
    resumed.sync(reply.sync);
    return { socket, mirror: resumed, reply };
  };
  const back = await resume(host.hostToken, host.mirror);
  expect(back.reply.role).toBe('host');
  const restored = second.server.app.sessions.get(host.code)!;
  expect(restored.training.network()).toEqual(network);
  expect(restored.state.step).toBe(before.step);
  expect(restored.state.playing).toBe(false);
  expect(restored.csvDataset?.rows).toBe(40);
  // Caught up by events (the room keeps its last ones in memory), not a snapshot.
  expect(back.reply.sync.kind).toBe('events');
  expect(back.mirror.gaps + back.mirror.duplicates).toBe(0);
  const adaBack = await resume(ada.token, ada.mirror);
  expect(adaBack.reply.role).toBe('student');

  // The lesson goes on, then ends.
  const hostAgain = { ...host, socket: back.socket, mirror: back.mirror };
  await ok(back.socket, 'host:step', { granularity: 'epoch' });
  await play(second.server, hostAgain, 100);
  await ok(back.socket, 'host:end', {});
  const final = serverState(second.server, host.code);
  await waitUntil(() => adaBack.mirror.seq === final.seq);
  expect(adaBack.mirror.state).toEqual(final);
  expect(adaBack.mirror.gaps + adaBack.mirror.duplicates).toBe(0);

  // Exported from Postgres, the file re-simulates on its own: `cli verify` passes.
  const { replayId } = (await second.store.session(host.code))!;
  const res = await fetch(`${second.server.url}/api/recordings/${replayId}/export`);
  expect(res.status).toBe(200);
  const file = await res.text();
  expect(file.trimEnd().split('\n')).toHaveLength(final.seq + 1);
  const path = join(mkdtempSync(join(tmpdir(), 'bpl-pg-session-')), 'lesson.ndjson');
  writeFileSync(path, file);
  const verified = cli(['verify', path]);
  expect(verified.stderr).toBe('');
  expect(verified.code).toBe(0);
  // And the server's own verify, reading Postgres page by page with its keyframes.
  const server = await getJson(second.server, `/api/recordings/${replayId}/verify`, {
    method: 'POST',
  });
  expect(server.body).toMatchObject({ ok: true });
}, 120_000);

test('Postgres stopped during play: refused as "the recordings store is unavailable", nothing unstored sent, play resumes by itself', async () => {
  const { server, store } = await serveOnPostgres();
  const playing = await playingClass(server, 'Postgres goes away');
  const { code, host, ada } = playing;
  clients.push(host, ada);
  const { replayId } = (await store.session(code))!;

  await postgres.stop();
  await expectRefusedOnHold(server, playing);
  // A new session and the recordings API are refused too.
  const other = await server.connect();
  expect(await emitAck(other, 'session:create', {})).toEqual(REFUSED);
  other.disconnect();
  const summary = await getJson(server, `/api/recordings/${replayId}`);
  expect(summary.status).toBe(503);
  expect(summary.body).toEqual({ error: REFUSED.error });
  // The probes fail (Postgres refuses connections): still held.
  await expectStillHeld(server, playing);
  const heldAt = Math.max(host.seq, ada.seq);

  // Postgres is back: the room comes back from it by itself and plays on.
  await postgres.start();
  await expectPlaysOnAndConverges(
    server,
    playing,
    (after) => store.eventsSince(code, after),
    heldAt,
  );
  await expectExportVerifies(server, replayId);
}, 90_000);
