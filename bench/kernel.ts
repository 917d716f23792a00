/**
 * npm run bench:kernel [-- --json] [-- --rounds N]
 *
 * SGD steps per second of our kernel against tfjs-core (CPU backend) doing the same math,
 * measured side by side: the two alternate in short timed slices, several rounds, and the
 * median of each is reported with their ratio. Also reports the kernel's heap growth per
 * step (with --expose-gc), to back the claim that a step allocates nothing.
 */
import { parseArgs } from 'node:util';
import { Trainer, createRng, initNetwork, type NetworkSpec } from '@backprop/shared/nn';
import { loadTfjs, tfjsNetwork } from './tfjs';

const CASES = [
  { name: '3-8-1/b1', layers: [3, 8, 1], batch: 1, sliceMs: 300 },
  { name: '8-16-16-1/b32', layers: [8, 16, 16, 1], batch: 32, sliceMs: 300 },
];
const LEARNING_RATE = 0.01;
const BATCHES = 64;
const WARMUP_ROUNDS = 4;

const { values } = parseArgs({
  options: { json: { type: 'boolean' }, rounds: { type: 'string' } },
});
const rounds = Number(values.rounds ?? 5);
if (!Number.isInteger(rounds) || rounds < 1) {
  console.error(`bench:kernel: --rounds must be a whole number ≥ 1, got ${values.rounds}`);
  process.exit(2);
}
const log = values.json ? () => {} : (line: string) => console.log(line);

const tf = await loadTfjs();
const results = [];
for (const c of CASES) {
  const spec: NetworkSpec = {
    layers: c.layers,
    activations: [...c.layers.slice(2).map(() => 'sigmoid' as const), 'linear'],
    trainBiases: true,
  };
  const network = initNetwork(spec, 42);
  const batches = makeBatches(c.layers, c.batch);
  const trainer = new Trainer(network, c.batch);
  const theirs = tfjsNetwork(tf, c.layers, network.weights, batches, LEARNING_RATE);

  const ours = (k: number) => {
    const b = batches[k % BATCHES]!;
    trainer.step(b.x, b.y, b.size, LEARNING_RATE);
  };
  // Warm-up rounds, discarded: tfjs needs about a second of steps before its speed settles
  // (its first 300 ms slice runs at about half its steady speed, which would flatter the
  // ratio); the kernel settles within milliseconds.
  for (let r = 0; r < WARMUP_ROUNDS; r++) {
    timeKernel(trainer, batches, c.sliceMs);
    timeTfjs(theirs.step, c.sliceMs, theirs.sync);
  }
  const ourRates: number[] = [];
  const tfRates: number[] = [];
  // No forced GC between slices: each side runs in its steady state, garbage and all (a
  // full GC before each slice was tried: it makes tfjs 2–3× slower, flattering the ratio).
  for (let r = 0; r < rounds; r++) {
    ourRates.push(timeKernel(trainer, batches, c.sliceMs));
    tfRates.push(timeTfjs(theirs.step, c.sliceMs, theirs.sync));
  }
  const stepsPerSecond = median(ourRates);
  const tfjsStepsPerSecond = median(tfRates);
  const result = {
    name: c.name,
    stepsPerSecond: Math.round(stepsPerSecond),
    tfjsStepsPerSecond: Math.round(tfjsStepsPerSecond),
    ratio: Number((stepsPerSecond / tfjsStepsPerSecond).toFixed(1)),
    heapBytesPerStep: heapGrowthPerStep(ours, Math.max(20_000, Math.round(stepsPerSecond))),
  };
  results.push(result);
  log(
    `${c.name.padEnd(14)} kernel ${fmt(result.stepsPerSecond)} steps/s   tfjs-core ${fmt(
      result.tfjsStepsPerSecond,
    )} steps/s   ratio ${result.ratio}×   heap/step ${result.heapBytesPerStep ?? 'n/a (run with --expose-gc)'} B`,
  );
}
if (values.json) console.log(JSON.stringify({ networks: results }));

interface Batch {
  size: number;
  x: Float64Array;
  y: Float64Array;
}

function makeBatches(layers: number[], size: number): Batch[] {
  const rng = createRng(7);
  const inUnits = layers[0]!;
  const outUnits = layers[layers.length - 1]!;
  return Array.from({ length: BATCHES }, () => ({
    size,
    x: Float64Array.from({ length: size * inUnits }, () => rng() * 2 - 1),
    y: Float64Array.from({ length: size * outUnits }, () => rng() * 2 - 1),
  }));
}

/**
 * Steps the kernel for about `ms` milliseconds; returns steps per second. A loop of its own,
 * calling trainer.step directly as the server's training loop does: through a closure shared
 * with tfjs the call would not be inlined, and at ~1 µs a step that overhead would show.
 */
function timeKernel(trainer: Trainer, batches: Batch[], ms: number): number {
  const budget = BigInt(ms) * 1_000_000n;
  const start = process.hrtime.bigint();
  let steps = 0;
  let elapsed = 0n;
  // Check the clock every 64 steps so that reading it costs little.
  while (elapsed < budget) {
    for (let k = 0; k < 64; k++) {
      const b = batches[steps++ % BATCHES]!;
      trainer.step(b.x, b.y, b.size, LEARNING_RATE);
    }
    elapsed = process.hrtime.bigint() - start;
  }
  return steps / (Number(elapsed) / 1e9);
}

/** Runs tfjs's `step` for about `ms` milliseconds; returns steps per second. */
function timeTfjs(step: (k: number) => void, ms: number, sync: () => void): number {
  const budget = BigInt(ms) * 1_000_000n;
  const start = process.hrtime.bigint();
  let steps = 0;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (let k = 0; k < 64; k++) step(steps++);
    sync();
    elapsed = process.hrtime.bigint() - start;
  }
  return steps / (Number(elapsed) / 1e9);
}

/**
 * Heap growth per step, after a full GC; null without --expose-gc. The smallest heap object
 * is 16 bytes, so a figure well under 16 means that steps allocate nothing. The engine's own
 * one-off work (compiling, deoptimizing) also lands on the heap, so the figure is the
 * smallest of three runs: a step that allocates does so in every run.
 */
function heapGrowthPerStep(step: (k: number) => void, steps: number): number | null {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  const runs = [0, 1, 2].map(() => {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let k = 0; k < steps; k++) step(k);
    // Measured before any further GC: garbage made by the steps counts too.
    return (process.memoryUsage().heapUsed - before) / steps;
  });
  return Number(Math.max(0, Math.min(...runs)).toFixed(2));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US').padStart(11);
}
