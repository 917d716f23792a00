/**
 * npm run bench:replay [-- --minutes 60] [-- --json]
 *
 * Recording and replay, measured on the real server code (docs/benchmarks.md, "Recording
 * and replay"):
 * 1. size: an hour of continuous play of the default session (houses 3-4-1, 1000 steps/s,
 *    20 frames/s) recorded through the real Room and the SQLite store (hour.ts: simulated
 *    fast with an injected clock, every frame made by the play loop's own code): the
 *    exported NDJSON file, the database on disk, per frame; then the export's bytes per hour
 *    for the smallest (3-1), the default and the largest (3-64×6-1) network, each verified
 *    by re-simulation (`--network-minutes`, default 3, scaled to an hour);
 * 2. seek: the state at random points of that hour, server side (`stateAt` through the
 *    store: keyframe + events + reducer), by seq and by time; the first summary (timeline
 *    pass); a restore of the session (re-simulation) and its verification;
 * 3. cost: steps per second of live play at 1000 steps/s with the store against the
 *    in-memory log, side by side (play-cost.ts).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { planExport } from '../../server/src/recordings/export';
import { seqAtTime, stateAt } from '../../server/src/recordings/seek';
import { Timelines } from '../../server/src/recordings/timeline';
import { Verifications } from '../../server/src/recordings/verifications';
import { restoreSession } from '../../server/src/sessions/restore';
import { STORE_KEYFRAME_INTERVAL } from '../../server/src/sessions/registry';
import { asyncSqliteStore, DATABASE_FILE, openSqliteStore } from '../../server/src/store';
import { createRng } from '../../shared/src/nn';
import { recordPlay } from './hour';
import { measurePlayCost } from './play-cost';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    json: { type: 'boolean' },
    seeks: { type: 'string' },
    rounds: { type: 'string' },
    'network-minutes': { type: 'string' },
  },
});
const networkMinutes = Number(values['network-minutes'] ?? 3);
const minutes = Number(values.minutes ?? 60);
const seeks = Number(values.seeks ?? 500);
const rounds = Number(values.rounds ?? 3);
const log = values.json ? () => {} : (line: string) => console.log(line);
const MB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'bpl-bench-replay-'));
try {
  const sqlite = openSqliteStore(dir);
  const store = asyncSqliteStore(sqlite);

  // 1. Size.
  log(`Recording ${minutes} min of play at 1000 steps/s, 20 frames/s …`);
  const hour = await recordPlay(store, minutes);
  const { record } = hour;
  const db = new Database(join(dir, DATABASE_FILE));
  db.pragma('wal_checkpoint(TRUNCATE)');
  const dbBytes = statSync(join(dir, DATABASE_FILE)).size;
  const sums = db
    .prepare(
      `SELECT
         (SELECT SUM(LENGTH(json)) FROM events WHERE type = 'frame') AS frameBytes,
         (SELECT COUNT(*) FROM events WHERE type = 'frame') AS frames,
         (SELECT SUM(LENGTH(json)) FROM events WHERE type = 'frame' AND json LIKE '%"fit":%') AS fitBytes,
         (SELECT COUNT(*) FROM events WHERE type = 'frame' AND json LIKE '%"fit":%') AS fitFrames,
         (SELECT SUM(LENGTH(json)) FROM events) AS eventBytes,
         (SELECT SUM(LENGTH(state)) FROM keyframes) AS keyframeBytes,
         (SELECT COUNT(*) FROM keyframes) AS keyframes`,
    )
    .get() as Record<string, number>;
  db.close();
  const file = await planExport(store, record, { anonymize: false, exportedAt: Date.now() });
  const fileBytes = file.bytes;
  const perHour = 60 / minutes;
  const size = {
    minutes,
    simulatedInSeconds: round(hour.seconds, 1),
    events: record.lastSeq,
    frames: sums.frames!,
    meanFrameBytes: round(sums.frameBytes! / sums.frames!, 0),
    meanFrameBytesWithoutFit: round(
      (sums.frameBytes! - sums.fitBytes!) / (sums.frames! - sums.fitFrames!),
      0,
    ),
    meanFrameBytesWithFit: round(sums.fitBytes! / sums.fitFrames!, 0),
    exportMBPerHour: round((fileBytes / MB) * perHour, 2),
    databaseMBPerHour: round((dbBytes / MB) * perHour, 2),
    eventJsonMBPerHour: round((sums.eventBytes! / MB) * perHour, 2),
    keyframes: sums.keyframes!,
    keyframeMBPerHour: round((sums.keyframeBytes! / MB) * perHour, 2),
  };
  log(
    `size: export ${size.exportMBPerHour} MB/h, database ${size.databaseMBPerHour} MB/h ` +
      `(events ${size.eventJsonMBPerHour}, keyframes ${size.keyframeMBPerHour}); ` +
      `frame ${size.meanFrameBytes} B mean (${size.meanFrameBytesWithoutFit} B without the fit, ` +
      `${size.meanFrameBytesWithFit} B with it); ${size.events} events, simulated in ${size.simulatedInSeconds} s`,
  );

  // 1b. Bytes per hour by network: every one verifies (what `cli verify` runs).
  const networks: { name: string; hidden: number[]; stepsPerFrame: number }[] = [
    { name: 'smallest 3-1', hidden: [], stepsPerFrame: 50 },
    { name: 'default 3-4-1', hidden: [4], stepsPerFrame: 50 },
    { name: 'largest 3-64×6-1', hidden: [64, 64, 64, 64, 64, 64], stepsPerFrame: 1 },
  ];
  const byNetwork: Record<string, { exportMBPerHour: number; verified: boolean }> = {};
  for (const network of networks) {
    const played = await recordPlay(store, networkMinutes, network);
    const file = await planExport(store, played.record, { anonymize: false, exportedAt: 0 });
    const verdict = await new Verifications(STORE_KEYFRAME_INTERVAL).verify(store, played.record);
    byNetwork[network.name] = {
      exportMBPerHour: round((file.bytes / MB) * (60 / networkMinutes), 1),
      verified: verdict.ok,
    };
    log(
      `${network.name}: export ${byNetwork[network.name]!.exportMBPerHour} MB/h ` +
        `(${networkMinutes} min of play, ${verdict.ok ? 'verified' : 'DID NOT VERIFY'})`,
    );
  }

  // 2. Seek, summary, restore, verify.
  const random = createRng(7);
  const bySeq: number[] = [];
  for (let k = 0; k < seeks; k++) {
    const seq = Math.floor(random() * (record.lastSeq + 1));
    const started = performance.now();
    await stateAt(store, record, seq);
    bySeq.push(performance.now() - started);
  }
  const byTime: number[] = [];
  const lastT = (await store.eventsSince(record.code, record.lastSeq - 1, 1))[0]!.t;
  for (let k = 0; k < seeks / 5; k++) {
    const t = record.createdAt + random() * (lastT - record.createdAt);
    const started = performance.now();
    await stateAt(store, record, await seqAtTime(store, record, t));
    byTime.push(performance.now() - started);
  }
  let started = performance.now();
  await new Timelines().get(store, record);
  const summaryMs = performance.now() - started;
  started = performance.now();
  const restored = await restoreSession(store, record.code, pino({ level: 'silent' }));
  const restoreMs = performance.now() - started;
  started = performance.now();
  const verified = await new Verifications(STORE_KEYFRAME_INTERVAL).verify(store, record);
  const verifyMs = performance.now() - started;
  const seek = {
    keyframeInterval: STORE_KEYFRAME_INTERVAL,
    bySeq: percentiles(bySeq),
    byTime: percentiles(byTime),
    firstSummaryMs: round(summaryMs, 0),
    restoreMs: round(restoreMs, 0),
    restoredFrom: restored?.resimulatedFrom ?? null,
    verifyMs: round(verifyMs, 0),
    verified: verified.ok,
  };
  log(
    `seek by seq (${seeks}): p50 ${seek.bySeq.p50} ms, p95 ${seek.bySeq.p95} ms, max ${seek.bySeq.max} ms; ` +
      `by time: p95 ${seek.byTime.p95} ms; first summary ${seek.firstSummaryMs} ms; ` +
      `restore ${seek.restoreMs} ms (re-simulated from seq ${seek.restoredFrom}); verify ${seek.verifyMs} ms (${verified.ok ? 'ok' : 'DIVERGED'})`,
  );
  sqlite.close();

  // 3. Cost of the store per step, live.
  const liveDir = mkdtempSync(join(tmpdir(), 'bpl-bench-live-'));
  const liveStore = openSqliteStore(liveDir);
  const cost = await measurePlayCost(asyncSqliteStore(liveStore), rounds, 3);
  liveStore.close();
  rmSync(liveDir, { recursive: true, force: true });
  const storeSteps = median(cost.stepsPerSecond.store);
  const memorySteps = median(cost.stepsPerSecond.memory);
  const play = {
    ...cost,
    medianStepsPerSecond: { store: round(storeSteps, 0), memory: round(memorySteps, 0) },
    ratio: round(storeSteps / memorySteps, 3),
    commitMs: {
      mean: round(cost.commitMs.mean, 3),
      p99: round(cost.commitMs.p99, 3),
      max: round(cost.commitMs.max, 3),
    },
  };
  log(
    `play at 1000 steps/s: store ${play.medianStepsPerSecond.store} steps/s, memory ` +
      `${play.medianStepsPerSecond.memory} steps/s, ratio ${play.ratio}; frames/s store ` +
      `${cost.framesPerSecond.store.map((f) => round(f, 1)).join(', ')}; ${cost.commits} commits, ` +
      `mean ${play.commitMs.mean} ms, p99 ${play.commitMs.p99} ms, max ${play.commitMs.max} ms`,
  );
  if (values.json) console.log(JSON.stringify({ size, byNetwork, seek, play }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function percentiles(samples: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, 2);
  return { p50: at(0.5), p95: at(0.95), max: round(sorted.at(-1)!, 2) };
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
