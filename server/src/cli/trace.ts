import {
  SampleOrder,
  Trainer,
  gatherBatch,
  initNetwork,
  networkToArrays,
  regularizationGradient,
  regularizationPenalty,
  type Network,
  type Regularization,
} from '@backprop/shared/nn';
import { matrices } from '@backprop/shared/session';
import { DATA_HELP, DATA_OPTIONS, loadData, parseRegularization } from './data-options';
import { UsageError, parseNumber, parseNumberList } from './errors';
import { readNetworkFile } from './files';
import { parseOptions } from './options';

export const TRACE_HELP = `Usage: npm run -s cli -- trace --network FILE --input X1,X2,… --target Y1,Y2,… [--lr 0.5] [--seed N] [--reg l1|l2 --reg-rate λ]
       npm run -s cli -- trace (--dataset NAME | --data FILE.csv --target COLS) [--network FILE] [--batch N] [--lr 0.5] …
       npm run -s cli -- trace --dataset spiral --noise 0.2 --points 400 --features x1,x2,x1x2,sin1,sin2 --seed 3 --reg l2 --reg-rate 0.01

Runs one SGD step and prints every intermediate value as one JSON object. With --input and
--target the step is on that one sample; with a data set, on the first batch a session with
the same seeds would take (--batch rows, default 1; their data set rows in "rows"):
  z, a          per layer (a[0] is the input), in the network file's unit order; one row per sample
  loss          the data loss: ½·Σ(ŷ−y)² (the batch mean), before the update
  penalty       with --reg: λ·R(w) of the weights before the step (weights only, never biases)
  lossWithPenalty   loss + penalty
  deltas        δ of every non-input layer
  gradients     {weights, biases}: the data part of ∂E/∂W and ∂E/∂b, laid out like the network file
  regularizationGradients   with --reg: {weights}: λ·∂R/∂w of each weight (λ·sign(w) or λ·w);
                ∂E/∂w = gradients.weights + regularizationGradients.weights
  weightsAfter, biasesAfter   the network after w ← w − lr·∂E/∂w
  diverged      present only when the step was refused (non-finite or exploding values)

Options:
  --input LIST        comma-separated inputs, one per input unit (with --network)
  --target LIST       comma-separated targets, one per output unit; with --data: the target columns
  --lr RATE           learning rate (default 0.5)
  --batch N           with a data set: rows in the step (default 1)
${DATA_HELP}
The seed defaults to 1.`;

interface Step {
  network: Network;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  rows: number;
  /** Data set rows of the batch (with a data set). */
  rowIds: number[] | null;
  regularization: Regularization | null;
}

export function runTrace(argv: string[]): unknown {
  const { values } = parseOptions(argv, {
    ...DATA_OPTIONS,
    input: { type: 'string' },
    lr: { type: 'string' },
    batch: { type: 'string' },
  });
  const lr = parseNumber('lr', values.lr, 0.5, { min: 0 });
  const step = values.input !== undefined ? oneSample(values) : firstBatch(values, values.batch);
  return traced(step, lr);
}

/** The sample given on the command line. */
function oneSample(values: {
  network?: string;
  input?: string;
  target?: string;
  seed?: string;
  dataset?: string;
  data?: string;
  reg?: string;
  'reg-rate'?: string;
}): Step {
  if (values.dataset !== undefined || values.data !== undefined) {
    throw new UsageError('trace: give either --input and --target or a data set, not both');
  }
  if (!values.network) throw new UsageError('trace: --network FILE is required');
  if (!values.target) throw new UsageError('trace: --target is required');
  const file = readNetworkFile(values.network);
  const seed = parseNumber('seed', values.seed, 1, { integer: true, min: 0, max: 2 ** 32 - 1 });
  const network: Network = file.network ?? initNetwork(file.spec, seed);
  const layers = file.spec.layers;
  const input = parseNumberList('input', values.input ?? '');
  const target = parseNumberList('target', values.target);
  if (input.length !== layers[0]) {
    throw new UsageError(
      `--input: the network has ${layers[0]} inputs, got ${input.length} values`,
    );
  }
  if (target.length !== layers[layers.length - 1]) {
    throw new UsageError(
      `--target: the network has ${layers[layers.length - 1]} outputs, got ${target.length} values`,
    );
  }
  const regularization = parseRegularization(values);
  return { network, x: input, y: target, rows: 1, rowIds: null, regularization };
}

/** The first batch of the seeded sample order over the training rows, as a session takes it. */
function firstBatch(values: Parameters<typeof loadData>[1], batchText?: string): Step {
  if (values.dataset === undefined && values.data === undefined) {
    throw new UsageError('trace: --input is required (or a data set: --dataset or --data)');
  }
  const data = loadData('trace', values, 1);
  const { train } = data;
  const batch = parseNumber('batch', batchText, 1, { integer: true, min: 1, max: train.rows });
  const indices = new Uint32Array(batch);
  const count = new SampleOrder(train.rows, data.seed).nextBatch(batch, indices);
  const [inUnits, outUnits] = [train.inputs.length, train.targets.length];
  const x = new Float64Array(count * inUnits);
  const y = new Float64Array(count * outUnits);
  gatherBatch(train.x, inUnits, indices, count, x);
  gatherBatch(train.y, outUnits, indices, count, y);
  return {
    network: data.network,
    x,
    y,
    rows: count,
    rowIds: Array.from(indices.subarray(0, count), (t) => data.trainRows[t]!),
    regularization: data.regularization,
  };
}

function traced(step: Step, lr: number): unknown {
  const { network, regularization: reg } = step;
  const layers = network.spec.layers;
  const penalty = reg && regularizationPenalty(reg, network.weights);
  const regGradients =
    reg &&
    matrices(
      network.weights.map((w) => w.map((v) => regularizationGradient(reg, v))),
      layers,
    );
  const trainer = new Trainer(network, step.rows);
  trainer.regularization = reg;
  const outcome = trainer.step(step.x, step.y, step.rows, lr);
  const trace = trainer.trace;
  const after = networkToArrays(trainer.network);
  const perSample = (values: Float64Array, units: number) =>
    step.rows === 1
      ? Array.from(values.subarray(0, units))
      : Array.from({ length: step.rows }, (_, s) =>
          Array.from(values.subarray(s * units, (s + 1) * units)),
        );
  return {
    ...(step.rowIds ? { rows: step.rowIds } : {}),
    z: trace.z.map((z, l) => perSample(z, layers[l + 1]!)),
    a: trace.a.map((a, l) => perSample(a, layers[l]!)),
    loss: trace.loss,
    ...(penalty !== null ? { penalty, lossWithPenalty: trace.loss + penalty } : {}),
    deltas: trace.delta.map((d, l) => perSample(d, layers[l + 1]!)),
    gradients: {
      weights: matrices(trace.gradWeights, layers),
      biases: trace.gradBiases.map((b) => Array.from(b)),
    },
    ...(regGradients ? { regularizationGradients: { weights: regGradients } } : {}),
    weightsAfter: after.weights,
    biasesAfter: after.biases,
    ...(outcome.ok ? {} : { diverged: { reason: outcome.reason } }),
  };
}
