#!/usr/bin/env node
/**
 * A standalone check of an exported Backprop Live recording, written from
 * docs/resimulation.md alone: plain JavaScript, Node's own modules only, nothing imported
 * from the project. It re-simulates every step (epochs and play frames included) and
 * compares every number the recording holds.
 *
 *   node tools/resim/resim.mjs FILE.ndjson
 *
 * Prints `{"ok":true,"checked":n}` and exits 0 when everything agrees (to 1e-9 relative);
 * prints `{"ok":false,"firstDivergence":{seq,step,what,expected,actual}}` and exits 1 at
 * the first difference; exits 2 (a reason on stderr) on a file it cannot read or
 * re-simulate. The section numbers (§) are those of docs/resimulation.md.
 */
import { readFileSync } from 'node:fs';

const TOLERANCE = 1e-9;
const MAX_PARAMETER = 1e6;
const EXPLODING = 1e6;

class Unreadable extends Error {}

// §1 The random generator, the streams and the shuffle ---------------------------------

class Rng {
  constructor(seed) {
    this.s = seed >>> 0;
  }
  next() {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    const s = this.s;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  clone() {
    const copy = new Rng(0);
    copy.s = this.s;
    return copy;
  }
}

const SPLIT_SALT = 0x5b1e7e57;
const HOUSES_SALT = 0x4005e5;
const PLANE_SALT = 0x91a7e5;

function shuffle(array, rng) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [array[i], array[j]] = [array[j], array[i]];
  }
}

// §2 Activations and one step -----------------------------------------------------------

const ACTIVATIONS = {
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), der: (z, a) => a * (1 - a) },
  tanh: { f: Math.tanh, der: (z, a) => 1 - a * a },
  relu: { f: (z) => Math.max(0, z), der: (z) => (z > 0 ? 1 : 0) },
  linear: { f: (z) => z, der: () => 1 },
};

/** A network: layers, activations, W[l][j][i], b[l][j] (plain arrays of doubles). */
function copyNet(net) {
  return {
    layers: net.layers,
    activations: net.activations,
    W: net.W.map((m) => m.map((row) => [...row])),
    b: net.b.map((row) => [...row]),
  };
}

function forwardRow(net, input) {
  const a = [input];
  const z = [];
  for (let l = 0; l < net.W.length; l++) {
    const act = ACTIVATIONS[net.activations[l]];
    const zl = net.W[l].map((row, j) => {
      let sum = net.b[l][j];
      for (let i = 0; i < row.length; i++) sum += row[i] * a[l][i];
      return sum;
    });
    z.push(zl);
    a.push(zl.map(act.f));
  }
  return { a, z };
}

/** Forward, error and backward on a batch (§2): everything a trace shows, no update. */
function computeStep(net, xs, ys, rate) {
  const L = net.W.length;
  const B = xs.length;
  const samples = xs.map((x, s) => {
    const { a, z } = forwardRow(net, x);
    const error = a[L].map((v, k) => v - ys[s][k]);
    let sum = 0;
    for (const e of error) sum += e * e;
    const delta = new Array(L);
    const outAct = ACTIVATIONS[net.activations[L - 1]];
    delta[L - 1] = error.map((e, k) => e * outAct.der(z[L - 1][k], a[L][k]));
    for (let l = L - 2; l >= 0; l--) {
      const act = ACTIVATIONS[net.activations[l]];
      delta[l] = z[l].map((zi, i) => {
        let back = 0;
        for (let j = 0; j < net.W[l + 1].length; j++) back += net.W[l + 1][j][i] * delta[l + 1][j];
        return back * act.der(zi, a[l + 1][i]);
      });
    }
    return { a, z, error, loss: 0.5 * sum, delta };
  });
  let total = 0;
  for (const s of samples) total += s.loss;
  const scale = 1 / B;
  const gradW = net.W.map((m, l) =>
    m.map((row, j) =>
      row.map((_, i) => {
        if (B === 1) return 0 + samples[0].delta[l][j] * samples[0].a[l][i];
        let sum = 0;
        for (const s of samples) sum += s.delta[l][j] * s.a[l][i];
        return sum * scale;
      }),
    ),
  );
  const gradB = net.b.map((row, l) =>
    row.map((_, j) => {
      if (B === 1) return 0 + samples[0].delta[l][j];
      let sum = 0;
      for (const s of samples) sum += s.delta[l][j];
      return sum * scale;
    }),
  );
  return { xs, ys, rate, samples, loss: total / B, gradW, gradB };
}

/** §2 update and refusal: the divergence, or null with the update applied to `net`. */
function decide(run, net, step) {
  const attempted = run.steps + 1;
  const { loss, rate } = step;
  if (run.steps === 0 && run.firstLoss === null && Number.isFinite(loss)) run.firstLoss = loss;
  const refused = (reason) => ({ step: attempted, learningRate: rate, reason });
  if (!Number.isFinite(loss)) return refused('the loss is no longer a finite number');
  if (run.firstLoss !== null && loss > EXPLODING * Math.max(run.firstLoss, 1)) {
    return refused(
      `the loss exploded: ${short(loss)}, more than a million times the first step's ${short(run.firstLoss)}`,
    );
  }
  // With a regularization, weights (never biases) also move by ρ(w before): §2.
  const reg = run.regularization;
  const W = net.W.map((m, l) =>
    m.map((row, j) =>
      row.map((w, i) =>
        reg ? w - rate * (step.gradW[l][j][i] + rho(reg, w)) : w - rate * step.gradW[l][j][i],
      ),
    ),
  );
  const b = net.b.map((row, l) =>
    row.map((v, j) => (run.trainBiases ? v - rate * step.gradB[l][j] : v)),
  );
  let nonFinite = false;
  let exploding = false;
  for (const v of [...W.flat(2), ...b.flat()]) {
    if (!Number.isFinite(v)) nonFinite = true;
    else if (Math.abs(v) > MAX_PARAMETER) exploding = true;
  }
  if (nonFinite) return refused('the update would make a weight or bias infinite');
  if (exploding) {
    return refused(`the update would push a weight or bias beyond ±${short(MAX_PARAMETER)}`);
  }
  step.after = { W, b };
  net.W = W;
  net.b = b;
  run.steps = attempted;
  return null;
}

/** ∂(λR)/∂w (§2): λ·sign(w), 0 at 0 (l1); λ·w (l2). */
function rho(reg, w) {
  if (reg.kind === 'l2') return reg.rate * w;
  return w > 0 ? reg.rate : w < 0 ? -reg.rate : 0;
}

/** The penalty (§2): λ·Σ|w| or (λ·0.5)·Σw², weights only, in order. */
function penaltyOf(net, reg) {
  let sum = 0;
  for (const m of net.W)
    for (const row of m) for (const w of row) sum += reg.kind === 'l1' ? Math.abs(w) : w * w;
  return reg.kind === 'l1' ? reg.rate * sum : reg.rate * 0.5 * sum;
}

function short(v) {
  return Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3)
    ? v.toExponential(2)
    : String(Number(v.toPrecision(3)));
}

// §3 Initial weights ---------------------------------------------------------------------

function initialNet(setup) {
  const { layers, activations, datasetId } = setup;
  if (
    datasetId === 'worked-example' &&
    layers.join() === '2,2,2' &&
    activations.join() === 'sigmoid,sigmoid'
  ) {
    return {
      layers,
      activations,
      W: [
        [
          [0.15, 0.2],
          [0.25, 0.3],
        ],
        [
          [0.4, 0.45],
          [0.5, 0.55],
        ],
      ],
      b: [
        [0.35, 0.35],
        [0.6, 0.6],
      ],
    };
  }
  const rng = new Rng(setup.seed);
  const W = [];
  const b = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const range =
      activations[l] === 'relu'
        ? Math.sqrt(6 / layers[l])
        : Math.sqrt(6 / (layers[l] + layers[l + 1]));
    W.push(
      Array.from({ length: layers[l + 1] }, () =>
        Array.from({ length: layers[l] }, () => (2 * rng.next() - 1) * range),
      ),
    );
    b.push(new Array(layers[l + 1]).fill(0));
  }
  return { layers, activations, W, b };
}

// §4 The sample order --------------------------------------------------------------------

class Order {
  constructor(rows, seed) {
    if (rows === undefined) return;
    this.rng = new Rng(seed);
    this.perm = Array.from({ length: rows }, (_, k) => k);
    this.position = 0;
    this.epoch = 0;
    shuffle(this.perm, this.rng);
  }
  next(batchSize) {
    const rows = this.perm.length;
    const count = Math.min(batchSize, rows - this.position);
    const taken = this.perm.slice(this.position, this.position + count);
    this.position += count;
    if (this.position === rows) {
      this.epoch++;
      this.position = 0;
      shuffle(this.perm, this.rng);
    }
    return taken;
  }
  clone() {
    return Object.assign(new Order(), {
      rng: this.rng.clone(),
      perm: [...this.perm],
      position: this.position,
      epoch: this.epoch,
    });
  }
}

// §5 Split and normalization -------------------------------------------------------------

function prepare(data, setup) {
  const R = data.x.length;
  const testCount = Math.min(Math.round(R * setup.testFraction), R - 1);
  const order = Array.from({ length: R }, (_, r) => r);
  shuffle(order, new Rng(setup.seed + SPLIT_SALT));
  const ascending = (p, q) => p - q;
  const train = order.slice(0, R - testCount).sort(ascending);
  const test = order.slice(R - testCount).sort(ascending);
  const stats = (table) =>
    table[0].map((_, c) => {
      if (!setup.normalize) return { mean: 0, std: 1 };
      let sum = 0;
      for (const r of train) sum += table[r][c];
      const mean = sum / train.length;
      let squares = 0;
      for (const r of train) squares += (table[r][c] - mean) ** 2;
      const std = Math.sqrt(squares / train.length);
      return { mean, std: std > 1e-12 * Math.abs(mean) && std > 0 ? std : 1 };
    });
  const xStats = stats(data.x);
  const yStats = stats(data.y);
  const scaled = (table, st) => table.map((row) => row.map((v, c) => (v - st[c].mean) / st[c].std));
  const x = scaled(data.x, xStats);
  const y = scaled(data.y, yStats);
  const m = Math.min(R, 200);
  const fitRows = Array.from({ length: m }, (_, k) => Math.floor((k * R) / m));
  return {
    raw: data,
    x,
    y,
    train,
    test,
    fitRows,
    toDataUnits: (output) => output.map((v, k) => v * yStats[k].std + yStats[k].mean),
  };
}

// §6 The data sets -----------------------------------------------------------------------

function houses(dataSeed) {
  const rng = new Rng(dataSeed + HOUSES_SALT);
  const x = [];
  const y = [];
  for (let r = 0; r < 200; r++) {
    const area = 40 + Math.floor(rng.next() * 211);
    const typical = 1 + ((area - 40) / 210) * 4;
    const bedrooms = Math.min(6, Math.max(1, Math.round(typical + (rng.next() * 2 - 1))));
    const age = 0 + Math.floor(rng.next() * 101);
    const u = 1 - rng.next();
    const v = rng.next();
    const noise = 15000 * (Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v));
    const price = 50000 + 2000 * area + 15000 * bedrooms + -800 * age;
    x.push([area, bedrooms, age]);
    y.push([Math.max(10000, Math.round(price + noise))]);
  }
  return { x, y };
}

const CLASSIFYING = ['circle', 'quadrants', 'gaussians', 'spiral'];
const BUMPS = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];

/** The plane data sets (§6): points, then the features and targets of each row. */
function planeData(setup) {
  const { noise, points: n, features } = setup.plane;
  const id = setup.datasetId;
  const rng = new Rng((setup.dataSeed ?? 1) + PLANE_SALT);
  const r = () => rng.next();
  const jitter = () => 2 * noise * (2 * r() - 1);
  const normal = () => {
    const u = 1 - r();
    const v = r();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
  const mix = (x1, x2) => {
    let m = 0;
    for (const [c1, c2, sign] of BUMPS) {
      const d = Math.sqrt((x1 - c1) * (x1 - c1) + (x2 - c2) * (x2 - c2));
      const v = sign * Math.max(0, 1 - d / 2);
      if (Math.abs(v) > Math.abs(m)) m = v;
    }
    return m;
  };
  const P = n - Math.floor(n / 2);
  const x = [];
  const y = [];
  const tanh = setup.activations.at(-1) === 'tanh';
  for (let i = 0; i < n; i++) {
    const label = i < P ? 1 : -1;
    const k = i < P ? i : i - P;
    const m = i < P ? P : n - P;
    let x1;
    let x2;
    let value = label;
    if (id === 'circle') {
      const rho = label > 0 ? 2.5 * r() : 3.5 + 1.5 * r();
      const theta = 2 * Math.PI * r();
      x1 = rho * Math.sin(theta) + jitter();
      x2 = rho * Math.cos(theta) + jitter();
    } else if (id === 'quadrants') {
      const a1 = 0.3 + 4.7 * r();
      const a2 = 0.3 + 4.7 * r();
      const s = r() < 0.5 ? 1 : -1;
      x1 = s * a1 + jitter();
      x2 = label * s * a2 + jitter();
    } else if (id === 'gaussians') {
      const sigma = Math.sqrt(0.5 + 7 * noise);
      x1 = 2 * label + sigma * normal();
      x2 = 2 * label + sigma * normal();
    } else if (id === 'spiral') {
      const rho = (5 * k) / m;
      const theta = (3.5 * Math.PI * k) / m + (label > 0 ? 0 : Math.PI);
      x1 = rho * Math.sin(theta) + jitter();
      x2 = rho * Math.cos(theta) + jitter();
    } else if (id === 'plane' || id === 'gaussian-mix') {
      x1 = -6 + 12 * r();
      x2 = -6 + 12 * r();
      const clean = id === 'plane' ? (x1 + x2) / 12 : mix(x1, x2);
      value = clamp(clean + noise * (2 * r() - 1), -1, 1);
    } else {
      return null;
    }
    x1 = clamp(x1, -6, 6);
    x2 = clamp(x2, -6, 6);
    const feature = {
      x1: () => x1,
      x2: () => x2,
      x1sq: () => x1 * x1,
      x2sq: () => x2 * x2,
      x1x2: () => x1 * x2,
      sin1: () => Math.sin(x1),
      sin2: () => Math.sin(x2),
    };
    x.push(features.map((f) => feature[f]()));
    const classifies = CLASSIFYING.includes(id);
    y.push([classifies && !tanh ? (value + 1) / 2 : value]);
  }
  return { x, y };
}

function builtin(id, dataSeed) {
  switch (id) {
    case 'houses':
      return houses(dataSeed);
    case 'xor':
      return {
        x: [
          [0, 0],
          [0, 1],
          [1, 0],
          [1, 1],
        ],
        y: [[0], [1], [1], [0]],
      };
    case 'worked-example':
      return { x: [[0.05, 0.1]], y: [[0.01, 0.99]] };
    case 'sine': {
      const x = Array.from({ length: 100 }, (_, r) => [-Math.PI + (2 * Math.PI * r) / 99]);
      return { x, y: x.map(([v]) => [Math.sin(v)]) };
    }
    default:
      return null;
  }
}

function splitLine(line) {
  const fields = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote === -1) throw new Unreadable('a CSV field is not closed');
        value += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      fields.push(value);
      while (line[i] === ' ' || line[i] === '\t') i++;
    } else {
      const start = i;
      while (i < line.length && line[i] !== ',') i++;
      fields.push(line.slice(start, i));
    }
    if (i >= line.length) return fields.map((f) => f.trim());
    i++;
  }
}

function csvData(attachment) {
  const lines = attachment.text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  while (lines.length > 0 && lines.at(-1).trim() === '') lines.pop();
  const names = splitLine(lines[0]);
  const targets = attachment.targets.map((t) => names.indexOf(t.trim()));
  if (targets.includes(-1)) throw new Unreadable('a CSV target column is missing');
  const inputs = names.map((_, c) => c).filter((c) => !targets.includes(c));
  const rows = lines.slice(1).map((line) => splitLine(line).map(Number));
  return {
    x: rows.map((r) => inputs.map((c) => r[c])),
    y: rows.map((r) => targets.map((c) => r[c])),
  };
}

// §7 A training run of one setup ---------------------------------------------------------

function startRun(setup, seq, csv) {
  let raw = setup.plane ? planeData(setup) : builtin(setup.datasetId, setup.dataSeed ?? 1);
  if (!raw) {
    const file = csv.find((f) => f.seq === seq);
    if (setup.datasetId !== 'csv' || !file) throw new Unreadable('dataset not included');
    raw = csvData(file);
  }
  const data = prepare(raw, setup);
  const initial = initialNet(setup);
  const run = {
    setup,
    data,
    initial,
    trainBiases: setup.trainBiases,
    regularization: setup.regularization ?? null,
    race: null,
  };
  resetRun(run);
  return run;
}

function resetRun(run) {
  run.net = copyNet(run.initial);
  run.order = new Order(run.data.train.length, run.setup.seed);
  run.steps = 0;
  run.firstLoss = null;
  run.staged = null;
  run.race = null;
}

/** Takes a batch from `order` (§4): the training rows as network-unit inputs and targets. */
function takeBatch(data, order, batchSize) {
  const rows = order.next(batchSize).map((t) => data.train[t]);
  return { rows, xs: rows.map((r) => data.x[r]), ys: rows.map((r) => data.y[r]) };
}

/** One attempted step of the session's own run: the step and its divergence (or null). */
function attemptStep(run, batchSize, rate) {
  run.staged = null;
  const batch = takeBatch(run.data, run.order, batchSize);
  const step = computeStep(run.net, batch.xs, batch.ys, rate);
  step.rows = batch.rows;
  step.before = copyNet(run.net);
  if (run.regularization) step.penalty = penaltyOf(step.before, run.regularization);
  return { step, divergence: decide(run, run.net, step) };
}

/** `count` steps (an epoch, play): the sum of their losses, or the divergence. */
function runSteps(run, count, batchSize, rate) {
  let sum = 0;
  for (let k = 0; k < count; k++) {
    const { step, divergence } = attemptStep(run, batchSize, rate);
    if (divergence) return { divergence };
    sum += step.loss;
  }
  return { sum };
}

// §8 The views -----------------------------------------------------------------------------

const netView = (net) => ({ weights: net.W, biases: net.b });

function fitView(run) {
  const { data, net } = run;
  return {
    rows: data.fitRows,
    actual: data.fitRows.map((r) => data.raw.y[r][0]),
    predicted: data.fitRows.map((r) => data.toDataUnits(forwardRow(net, data.x[r]).a.at(-1))[0]),
  };
}

function testLoss(run) {
  const { data, net } = run;
  if (data.test.length === 0) return null;
  let total = 0;
  for (const r of data.test) {
    const out = forwardRow(net, data.x[r]).a.at(-1);
    let sum = 0;
    for (let k = 0; k < out.length; k++) sum += (out[k] - data.y[r][k]) ** 2;
    total += 0.5 * sum;
  }
  return total / data.test.length;
}

/** Accuracy (§6) of the rows, in order: output and target on the same side of the middle. */
function accuracyOf(run, rows) {
  const middle = run.setup.activations.at(-1) === 'tanh' ? 0 : 0.5;
  let right = 0;
  for (const r of rows) {
    const out = forwardRow(run.net, run.data.x[r]).a.at(-1)[0];
    if (out >= middle === run.data.y[r][0] >= middle) right++;
  }
  return right / rows.length;
}

/** penalty and accuracy of the network now, when the setup has them (§8: keys absent otherwise). */
function modelStats(run) {
  const stats = {};
  if (run.regularization) stats.penalty = penaltyOf(run.net, run.regularization);
  if (run.setup.plane && CLASSIFYING.includes(run.setup.datasetId)) {
    const { train, test } = run.data;
    stats.accuracy = {
      train: accuracyOf(run, train),
      test: test.length > 0 ? accuracyOf(run, test) : null,
    };
  }
  return stats;
}

function progressView(run, loss) {
  return {
    step: run.steps,
    epoch: run.order.epoch,
    network: netView(run.net),
    loss,
    fit: fitView(run),
    ...modelStats(run),
  };
}

const lossPoint = (run, train) => ({
  step: run.steps,
  train,
  test: testLoss(run),
  ...modelStats(run),
});

function sampleView(run, step, prediction) {
  const r = step.rows[0];
  return { row: r, inputs: run.data.raw.x[r], targets: run.data.raw.y[r], prediction };
}

function traceView(step, completed) {
  const first = step.samples[0];
  const L = step.before.W.length;
  const none = () => new Array(L).fill(null);
  return {
    batchSize: step.xs.length,
    learningRate: step.rate,
    a: completed ? first.a : [first.a[0], ...none()],
    z: completed ? first.z : none(),
    target: step.ys[0],
    error: completed ? first.error : null,
    sampleLoss: completed ? first.loss : null,
    batchLoss: completed ? step.loss : null,
    delta: completed ? first.delta : none(),
    gradWeights: completed ? step.gradW : none(),
    gradBiases: completed ? step.gradB : none(),
    weightsBefore: step.before.W,
    biasesBefore: step.before.b,
    weightsAfter: completed ? step.after.W : null,
    biasesAfter: completed ? step.after.b : null,
    batchInputs: step.xs,
    batchTargets: step.ys,
    ...(step.penalty !== undefined ? { penalty: step.penalty } : {}),
  };
}

function stagesOf(layers) {
  const L = layers.length - 1;
  const stages = [];
  for (let l = 0; l < L; l++) stages.push({ kind: 'forward', layer: l });
  stages.push({ kind: 'error' });
  for (let l = L - 1; l >= 0; l--) stages.push({ kind: 'backward', layer: l });
  stages.push({ kind: 'update' });
  return stages;
}

function stagePatch(run, step, stage) {
  const first = step.samples[0];
  switch (stage.kind) {
    case 'forward':
      return {
        kind: 'forward',
        layer: stage.layer,
        z: first.z[stage.layer],
        a: first.a[stage.layer + 1],
      };
    case 'error':
      return {
        kind: 'error',
        error: first.error,
        sampleLoss: first.loss,
        batchLoss: step.loss,
        prediction: run.data.toDataUnits(first.a.at(-1)),
      };
    default:
      return {
        kind: 'backward',
        layer: stage.layer,
        delta: first.delta[stage.layer],
        gradWeights: step.gradW[stage.layer],
        gradBiases: step.gradB[stage.layer],
      };
  }
}

// §9 Races -------------------------------------------------------------------------------

function startFork(run, rate, batchSize, steps) {
  return {
    data: run.data,
    net: copyNet(run.net),
    order: run.order.clone(),
    steps: run.steps,
    firstLoss: run.firstLoss,
    trainBiases: run.trainBiases,
    regularization: run.regularization,
    fromStep: run.steps,
    rate,
    batchSize,
    total: steps,
    every: Math.ceil(steps / 1000),
    done: 0,
    diverged: null,
    unsent: null,
  };
}

/** Runs the fork until `stop()` (checked before each step) or its end: the kept points. */
function runFork(fork, stop) {
  const points = [];
  while (fork.diverged === null && fork.done < fork.total && !stop()) {
    const batch = takeBatch(fork.data, fork.order, fork.batchSize);
    const step = computeStep(fork.net, batch.xs, batch.ys, fork.rate);
    fork.diverged = decide(fork, fork.net, step);
    if (fork.diverged) break;
    fork.done++;
    const point = { step: fork.fromStep + fork.done, train: step.loss, test: null };
    const kept = fork.done % fork.every === 0 || fork.done === fork.total;
    if (kept) points.push(point);
    fork.unsent = kept ? null : point;
  }
  if (fork.diverged && fork.unsent) {
    points.push(fork.unsent);
    fork.unsent = null;
  }
  return points;
}

// §10 Comparing ----------------------------------------------------------------------------

/** A frame's number: the exact value `x`, recorded rounded to 4 significant digits. */
class Rounded {
  constructor(x) {
    this.x = x;
  }
  accepts(recorded) {
    if (typeof recorded !== 'number') return false;
    const round = (v) => (v === 0 ? 0 : Number(v.toPrecision(4)));
    const ends = [round(this.x * (1 - TOLERANCE)), round(this.x * (1 + TOLERANCE))];
    return recorded >= Math.min(...ends) && recorded <= Math.max(...ends);
  }
  get shown() {
    return this.x === 0 ? 0 : Number(this.x.toPrecision(4));
  }
}

function difference(expected, actual, path) {
  const here = () => ({ what: path || '(value)', expected: shown(expected), actual });
  if (expected instanceof Rounded) return expected.accepts(actual) ? null : here();
  if (typeof expected === 'number' && typeof actual === 'number') {
    const close =
      Math.abs(expected - actual) <= TOLERANCE * Math.max(Math.abs(expected), Math.abs(actual));
    return expected === actual || close ? null : here();
  }
  if (expected === actual) return null;
  if (typeof expected !== 'object' || typeof actual !== 'object') return here();
  if (expected === null || actual === null) return here();
  if (Array.isArray(expected) !== Array.isArray(actual)) return here();
  if (Array.isArray(expected)) {
    if (expected.length !== actual.length) {
      return {
        what: `${path || '(value)'}.length`,
        expected: expected.length,
        actual: actual.length,
      };
    }
    for (let k = 0; k < expected.length; k++) {
      const found = difference(expected[k], actual[k], `${path}[${k}]`);
      if (found) return found;
    }
    return null;
  }
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const found = difference(expected[key], actual[key], path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

function shown(value) {
  if (value instanceof Rounded) return value.shown;
  if (Array.isArray(value)) return value.map(shown);
  return value;
}

/** The first of the [expected, recorded] pairs that differ. */
function firstOf(pairs) {
  for (const [name, [expected, actual]] of Object.entries(pairs)) {
    const found = difference(expected, actual, name);
    if (found) return found;
  }
  return null;
}

const mismatch = (what, expected, actual) => ({ what, expected, actual });

// §8 The events ----------------------------------------------------------------------------

function simulate(session, event) {
  const run = session.run;
  const { hyper } = session;
  switch (event.type) {
    case 'setup-changed': {
      session.run = startRun(event.setup, event.seq, session.csv);
      session.hyper = event.hyper;
      const { data, initial } = session.run;
      const checkedSetup = (setup) => ({
        rows: setup.rows,
        trainRows: setup.trainRows,
        testRows: setup.testRows,
        layers: setup.layers,
      });
      return firstOf({
        setup: [
          checkedSetup({
            rows: data.x.length,
            trainRows: data.train.length,
            testRows: data.test.length,
            layers: [data.x[0].length, ...event.setup.layers.slice(1, -1), data.y[0].length],
          }),
          checkedSetup(event.setup),
        ],
        network: [netView(initial), event.network],
        fit: [fitView(session.run), event.fit],
      });
    }
    case 'hyper-changed':
      session.hyper = event.hyper;
      return null;
    case 'reset':
      resetRun(run);
      return firstOf({
        network: [netView(run.net), event.network],
        fit: [fitView(run), event.fit],
      });
    case 'weight-edited': {
      const row = run.net.W[event.layer]?.[event.to];
      if (!row || event.from >= row.length) {
        return mismatch('weight-edited', 'a weight of this network', event);
      }
      row[event.from] = event.value;
      run.staged = null;
      return firstOf({ fit: [fitView(run), event.fit] });
    }
    case 'staged-step-opened': {
      const batch = takeBatch(run.data, run.order, hyper.batchSize);
      const step = computeStep(run.net, batch.xs, batch.ys, hyper.learningRate);
      step.rows = batch.rows;
      step.before = copyNet(run.net);
      if (run.regularization) step.penalty = penaltyOf(step.before, run.regularization);
      run.staged = { step, index: 0, stages: stagesOf(run.setup.layers) };
      return firstOf({
        trace: [traceView(step, false), event.trace],
        sample: [sampleView(run, step, null), event.sample],
      });
    }
    case 'stage-ran': {
      const staged = run.staged;
      if (!staged) return mismatch('stage-ran', 'an open staged step', 'none is open');
      const index = staged.index++;
      const stage = staged.stages[index];
      let patch;
      if (stage.kind === 'update') {
        run.staged = null;
        const divergence = decide(run, run.net, staged.step);
        if (divergence) return mismatch('stage-ran', divergence, 'an accepted stage');
        patch = { kind: 'update', progress: progressView(run, [lossPoint(run, staged.step.loss)]) };
      } else {
        patch = stagePatch(run, staged.step, stage);
      }
      return firstOf({
        index: [index, event.index],
        stage: [stage, event.stage],
        patch: [patch, event.patch],
      });
    }
    case 'stepped': {
      const { step, divergence } = attemptStep(run, event.trace.batchSize, hyper.learningRate);
      if (divergence) return mismatch('stepped', divergence, 'an accepted step');
      const prediction = run.data.toDataUnits(step.samples[0].a.at(-1));
      return firstOf({
        trace: [traceView(step, true), event.trace],
        sample: [sampleView(run, step, prediction), event.sample],
        progress: [progressView(run, [lossPoint(run, step.loss)]), event.progress],
      });
    }
    case 'progressed': {
      const steps = event.progress.step - run.steps;
      const ran = steps >= 0 ? runSteps(run, steps, hyper.batchSize, hyper.learningRate) : null;
      if (!ran) return mismatch('step', `a step ≥ ${run.steps}`, event.progress.step);
      if (ran.divergence) return mismatch('steps', `${steps} accepted steps`, ran.divergence);
      const loss = steps > 0 ? [lossPoint(run, ran.sum / steps)] : [];
      return firstOf({ progress: [progressView(run, loss), event.progress] });
    }
    case 'frame': {
      const steps = event.step - run.steps;
      const ran = steps >= 0 ? runSteps(run, steps, hyper.batchSize, hyper.learningRate) : null;
      if (!ran) return mismatch('step', `a step ≥ ${run.steps}`, event.step);
      if (ran.divergence) return mismatch('steps', `${steps} accepted steps`, ran.divergence);
      const test = testLoss(run);
      const stats = modelStats(run);
      const rounded = (values) => values.map((v) => new Rounded(v));
      return firstOf({
        step: [run.steps, event.step],
        epoch: [run.order.epoch, event.epoch],
        // Big networks' frames carry the weights only now and then (a budget per second).
        params: [
          event.params && rounded([...run.net.W.flat(2), ...run.net.b.flat()]),
          event.params,
        ],
        loss: [new Rounded(ran.sum / steps), event.loss],
        test: [test === null ? null : new Rounded(test), event.test],
        fit: [event.fit && rounded(fitView(run).predicted), event.fit],
        penalty: [
          stats.penalty === undefined ? undefined : new Rounded(stats.penalty),
          event.penalty,
        ],
        accuracy: [
          stats.accuracy && {
            train: new Rounded(stats.accuracy.train),
            test: stats.accuracy.test === null ? null : new Rounded(stats.accuracy.test),
          },
          event.accuracy,
        ],
      });
    }
    case 'diverged': {
      let refused;
      if (run.staged) {
        const { step } = run.staged;
        run.staged = null;
        refused = decide(run, run.net, step);
      } else {
        const batchSize = event.batchSize ?? hyper.batchSize;
        refused = attemptStep(run, batchSize, hyper.learningRate).divergence;
      }
      if (!refused) return mismatch('divergence', 'an accepted step', event.divergence);
      return firstOf({ divergence: [refused, event.divergence] });
    }
    case 'race-started': {
      const forks = event.rates.map((rate) => startFork(run, rate, event.batchSize, event.steps));
      run.race = { raceId: event.raceId, forks };
      return firstOf({
        batchSize: [hyper.batchSize, event.batchSize],
        fromStep: [run.steps, event.fromStep],
      });
    }
    case 'race-progress': {
      const race = run.race;
      if (race?.raceId !== event.raceId) return null;
      const expected = race.forks.map((fork, k) => {
        const target = event.forks[k]?.stepsDone ?? fork.done;
        const loss = runFork(fork, () => fork.done >= target);
        if (event.forks[k]?.diverged && !fork.diverged) {
          let tries = 0;
          loss.push(...runFork(fork, () => tries++ > 0));
        }
        return { stepsDone: fork.done, loss, diverged: fork.diverged };
      });
      return firstOf({ forks: [expected, event.forks] });
    }
    case 'network-set': {
      const fork =
        run.race?.raceId === event.source.raceId ? run.race.forks[event.source.fork] : null;
      if (!fork) return mismatch('network-set', 'a finished race fork', event.source);
      runFork(fork, () => false);
      run.net = copyNet(fork.net);
      run.staged = null;
      return firstOf({
        network: [netView(run.net), event.network],
        fit: [fitView(run), event.fit],
      });
    }
    default:
      return null;
  }
}

// The file ---------------------------------------------------------------------------------

function readRecording(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Unreadable(`cannot read ${path}: ${err.message}`);
  }
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const parse = (line, n) => {
    try {
      const value = JSON.parse(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error('not an object');
      return value;
    } catch (err) {
      throw new Unreadable(`line ${n}: not a JSON object (${err.message})`);
    }
  };
  const header = parse(lines[0] ?? '', 1);
  if (header.format !== 'backprop-live-recording' || header.version !== 1) {
    throw new Unreadable('line 1: not a version 1 Backprop Live recording');
  }
  const events = lines.slice(1).map((line, k) => parse(line, k + 2));
  if (events.length !== header.events) {
    throw new Unreadable(
      `the header says ${header.events} events but the file has ${events.length}`,
    );
  }
  events.forEach((event, k) => {
    if (event.seq !== header.initial.seq + k + 1) {
      throw new Unreadable(`line ${k + 2}: event seq ${event.seq} is out of order`);
    }
  });
  return { header, events };
}

function resimulate(path) {
  const { header, events } = readRecording(path);
  const { initial } = header;
  if (initial.step !== 0 || initial.trace !== null) {
    throw new Unreadable('the recording starts after training began');
  }
  const session = { csv: header.csv ?? [], hyper: initial.hyper };
  session.run = startRun(initial.setup, initial.seq, session.csv);
  const first = firstOf({
    'initial.network': [netView(session.run.net), initial.network],
    'initial.fit': [fitView(session.run), initial.fit],
  });
  if (first) return { ok: false, firstDivergence: { seq: initial.seq, step: 0, ...first } };
  for (const event of events) {
    const step = session.run.steps;
    const found = simulate(session, event);
    if (found) return { ok: false, firstDivergence: { seq: event.seq, step, ...found } };
  }
  return { ok: true, checked: events.length + 1 };
}

function main(argv) {
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    process.stderr.write('Usage: node tools/resim/resim.mjs FILE.ndjson\n');
    return 2;
  }
  let result;
  try {
    result = resimulate(argv[0]);
  } catch (err) {
    if (!(err instanceof Unreadable)) throw err;
    process.stderr.write(`resim: ${err.message}\n`);
    return 2;
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
