/**
 * The standalone verifier (tools/resim/resim.mjs, written from docs/resimulation.md alone)
 * and `cli verify` (the server's own training code) on recordings that a real server
 * exports: every built-in data set, every kind of step, play with the rate and batch size
 * changed while playing, hand edits, resets, races (a long one keeps every 2nd loss point),
 * a divergence during play and one of a single step, an uploaded CSV file, a data seed
 * other than 1, a recording from before data seeds (no dataSeed field), and tampered and
 * truncated copies. On every file the two must give the same verdict, at the same event and
 * value.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { builtinDataset } from '@backprop/shared/data';
import type { Payload } from '@backprop/shared/protocol';
import type { SessionEvent, SessionState } from '@backprop/shared/session';
import { driveLesson, play, replayIdOf } from '../helpers/recordings';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, serverState, uploadCsv, type Host } from '../helpers/session';
import { ok, waitUntil } from '../helpers/sockets';
import { forged, resim, tempFile, verify, type Verdict } from '../helpers/verifiers';

const CSV = 'size,rooms,price\n50,2,150\n80,3,210\n65,2,"180"\n120,4,330\n95,3,260\n70,3,200\n';

let server: TestServer;
/** Exported files by name. */
const files: Record<string, string> = {};

beforeAll(async () => {
  server = await startServer();
  files.lesson = await exported(await driveLesson(server));
  files.tour = await exported(await driveTour(server));
  files.csv = await exported(await driveCsv(server));
}, 180_000);
afterAll(async () => {
  await server.close();
});

async function exported(host: Host): Promise<string> {
  const replayId = await replayIdOf(server, host);
  return (await fetch(`${server.url}/api/recordings/${replayId}/export`)).text();
}

function setup(payload: Partial<Payload<'host:setup'>>): Payload<'host:setup'> {
  return {
    datasetId: 'houses',
    hidden: [4],
    activations: ['tanh', 'linear'],
    trainBiases: true,
    seed: 1,
    normalize: true,
    testFraction: 0.2,
    ...payload,
  };
}

/**
 * The worked example by stage, sine by epoch and in play with changes while playing until
 * it diverges, houses of data seed 5 with relu, a long race adopted, a reset mid-epoch.
 */
async function driveTour(server: TestServer): Promise<Host> {
  const host = await createSession(server, 'Tour');
  const step = (granularity: 'stage' | 'sample' | 'batch' | 'epoch') =>
    ok(host.socket, 'host:step', { granularity });
  await ok(
    host.socket,
    'host:setup',
    setup({
      datasetId: 'worked-example',
      hidden: [2],
      activations: ['sigmoid', 'sigmoid'],
      trainBiases: false,
      normalize: false,
      testFraction: 0,
    }),
  );
  for (let k = 0; k < 7; k++) await step('stage'); // one whole staged step, the next opened
  await step('sample');
  await ok(host.socket, 'host:setup', setup({ datasetId: 'sine', hidden: [6], seed: 9 }));
  await step('epoch');
  await step('batch');
  await ok(host.socket, 'host:hyper', { speed: 1000 });
  await ok(host.socket, 'host:play', { playing: true });
  const at = (steps: number) => waitUntil(() => serverState(server, host.code).step >= steps);
  await at(60);
  await ok(host.socket, 'host:hyper', { learningRate: 0.3 });
  await at(120);
  await ok(host.socket, 'host:hyper', { batchSize: 3 });
  await at(180);
  await ok(host.socket, 'host:hyper', { learningRate: 10 }); // too large: play diverges
  await waitUntil(() => serverState(server, host.code).diverged !== null, 10_000);
  await ok(
    host.socket,
    'host:setup',
    setup({ dataSeed: 5, hidden: [5, 3], activations: ['relu', 'tanh', 'linear'], seed: 4 }),
  );
  await ok(host.socket, 'host:hyper', { batchSize: 7, learningRate: 0.05 });
  await step('batch');
  await ok(host.socket, 'host:edit-weight', { layer: 1, to: 2, from: 4, value: -1.5 });
  await step('stage');
  await step('stage');
  await ok(host.socket, 'host:reset', {});
  await step('sample');
  await ok(host.socket, 'host:race', { rates: [0.02, 0.2], steps: 1200 });
  await waitUntil(
    () => serverState(server, host.code).participation.race?.status === 'finished',
    20_000,
  );
  await ok(host.socket, 'host:race-adopt', { fork: 0, what: 'weights' });
  await play(server, host, 50);
  await ok(host.socket, 'host:end', {});
  return host;
}

async function driveCsv(server: TestServer): Promise<Host> {
  const host = await createSession(server, 'CSV');
  expect(await uploadCsv(server, host, CSV, ['price'])).toBe(200);
  await ok(host.socket, 'host:setup', setup({ datasetId: 'csv', hidden: [3], testFraction: 0.3 }));
  await ok(host.socket, 'host:hyper', { batchSize: 2, learningRate: 0.1 });
  await ok(host.socket, 'host:step', { granularity: 'epoch' });
  await ok(host.socket, 'host:step', { granularity: 'stage' });
  await play(server, host, 40);
  await ok(host.socket, 'host:end', {});
  return host;
}

/** Both verifiers on `text`; they must agree (exit code, event, value); the verdict. */
async function bothOn(text: string): Promise<Verdict> {
  const path = tempFile(text);
  const [standalone, ours] = [await resim(path), verify(path)];
  expect(standalone.code).toBe(ours.code);
  if (ours.code === 0) expect(standalone.reply).toEqual(ours.reply);
  if (ours.code === 1) {
    const { seq, what, step } = ours.reply!.firstDivergence!;
    expect(standalone.reply!.firstDivergence).toMatchObject({ seq, what, step });
  }
  return ours;
}

const lines = (text: string) => text.trimEnd().split('\n');
const eventsOf = (text: string) =>
  lines(text)
    .slice(1)
    .map((line) => JSON.parse(line) as SessionEvent);

/** The file with the first event of `type` (after `skip` of them) passed through `change`. */
function tampered(
  text: string,
  type: SessionEvent['type'],
  change: (event: SessionEvent) => void,
  skip = 0,
): { text: string; seq: number } {
  return forged(text, (event) => event.type === type && skip-- === 0, change);
}

test('the recordings hold every built-in data set, every kind of step, and what the issue lists', () => {
  const all = Object.values(files).flatMap(eventsOf);
  const setups = all.flatMap((e) => (e.type === 'setup-changed' ? [e.setup] : []));
  expect(new Set(setups.map((s) => s.datasetId))).toEqual(
    new Set(['xor', 'houses', 'worked-example', 'sine', 'csv']),
  );
  expect(setups.map((s) => s.dataSeed)).toContain(5);
  const types = new Set(all.map((e) => e.type));
  for (const type of [
    'staged-step-opened',
    'stage-ran',
    'stepped',
    'progressed',
    'frame',
    'weight-edited',
    'reset',
    'race-progress',
    'network-set',
    'diverged',
  ]) {
    expect(types, type).toContain(type);
  }
  // Changes while playing (a hyper-changed followed by frames of the same play), and a
  // divergence while playing, not only of a single step.
  let playing = false;
  let changedInPlay = false;
  let changeSeen = false;
  let divergedInPlay = false;
  for (const e of eventsOf(files.tour!)) {
    if (e.type === 'play-changed') [playing, changeSeen] = [e.playing, false];
    if (e.type === 'hyper-changed' && playing) changeSeen = true;
    if (e.type === 'frame' && changeSeen) changedInPlay = true;
    if (e.type === 'diverged' && playing) divergedInPlay = true;
    if (e.type === 'diverged') playing = false;
  }
  expect({ changedInPlay, divergedInPlay }).toEqual({ changedInPlay: true, divergedInPlay: true });
});

test('the data seed is recorded and trains on its own houses', () => {
  const tour = eventsOf(files.tour!);
  const setupAt = tour.findIndex((e) => e.type === 'setup-changed' && e.setup.dataSeed === 5);
  const stepped = tour.slice(setupAt).find((e) => e.type === 'stepped');
  if (stepped?.type !== 'stepped') throw new Error('no stepped event after the setup');
  const houses = builtinDataset('houses', 5);
  const r = stepped.sample.row;
  expect(stepped.sample.inputs).toEqual([...houses.x.subarray(r * 3, r * 3 + 3)]);
  expect(stepped.sample.targets).toEqual([houses.y[r]]);
});

test.each(['lesson', 'tour', 'csv'])('the %s recording verifies with both', async (name) => {
  const verdict = await bothOn(files[name]!);
  expect(verdict.code).toBe(0);
  expect(verdict.reply?.checked).toBe(eventsOf(files[name]!).length + 1);
});

test('a recording from before data seeds (no dataSeed anywhere) verifies with both', async () => {
  const strip = (state: { setup: Partial<SessionState['setup']> }) => delete state.setup.dataSeed;
  const all = lines(files.lesson!).map((line) => JSON.parse(line) as Record<string, unknown>);
  strip(all[0]!.initial as SessionState);
  for (const event of all.slice(1)) {
    if (event.type === 'setup-changed') strip(event as { setup: SessionState['setup'] });
  }
  const text = `${all.map((v) => JSON.stringify(v)).join('\n')}\n`;
  expect(text).not.toContain('dataSeed');
  expect((await bothOn(text)).code).toBe(0);
});

test.each([
  ['a weight after a stepped step', 'tour', 'stepped' as const, 0],
  ['a bias after an epoch', 'tour', 'progressed' as const, 0],
  ['a compact play frame', 'tour', 'frame' as const, 1],
  ['a stage of a staged step', 'tour', 'stage-ran' as const, 0],
  ['a race fork', 'tour', 'race-progress' as const, 0],
  ['a CSV epoch', 'csv', 'progressed' as const, 0],
])('one number changed in %s: both stop at that event and value', async (_, name, type, skip) => {
  const { text, seq } = tampered(
    files[name]!,
    type,
    (event) => {
      if (event.type === 'stepped') event.progress.network.weights[0]![1]![0]! += 1e-6;
      if (event.type === 'progressed') event.progress.network.biases[0]![0]! *= 1.001;
      if (event.type === 'frame') event.params![2]! += 0.01;
      if (event.type === 'stage-ran' && event.patch.kind === 'forward') event.patch.a[0]! += 1e-3;
      if (event.type === 'race-progress') event.forks[1]!.loss[0]!.train *= 1.01;
    },
    skip,
  );
  const verdict = await bothOn(text);
  expect(verdict.code).toBe(1);
  expect(verdict.reply?.firstDivergence?.seq).toBe(seq);
});

test('a truncated copy is refused by both (exit 2)', async () => {
  const text = files.tour!;
  expect((await bothOn(text.slice(0, Math.floor(text.length * 0.6)))).code).toBe(2);
  const whole = lines(text).slice(0, -3).join('\n');
  expect((await bothOn(`${whole}\n`)).code).toBe(2);
});
