import {
  SampleOrder,
  Trainer,
  gatherBatch,
  initNetwork,
  networkToArrays,
  type NetworkSpec,
} from '@backprop/shared/nn';
import {
  CsvError,
  DATASET_IDS,
  DEFAULT_DATASET_SEED,
  builtinDataset,
  fitNormalizer,
  normalizeDataset,
  parseCsvDataset,
  splitTrainTest,
  subset,
  suggestedNetwork,
  type BuiltinDatasetId,
  type Dataset,
} from '@backprop/shared/data';
import { UsageError, parseNumber } from './errors';
import { parseOptions } from './options';
import { progressBar } from './progress';
import { TERMINAL, type Terminal } from './terminal';
import { readNetworkFile, readText } from './files';

export const TRAIN_HELP = `Usage: npm run -s cli -- train --network FILE (--dataset NAME | --data FILE.csv --target COL[,COL…] [--no-normalize])
                          [--lr 0.1] [--batch 1] [--steps 1000] [--seed 7] [--data-seed 1] [--test-fraction F]

Trains with plain SGD and prints one JSON object on stdout (on a terminal, a progress bar
with the step, the loss and the rate is drawn on stderr while it runs):
  losses            the batch loss of every step, before its update
  weights, biases   the final network, laid out like the network file
  testLoss          mean loss on the held-out rows (only with --test-fraction)
  diverged          {step, reason} when a step was refused; training stops there (exit code 1)

Options:
  --network FILE      network file (docs/network-file.md); with only a spec, --seed initializes it
  --dataset NAME      a built-in data set: ${DATASET_IDS.join(', ')}
  --data FILE.csv     a CSV file with a header row and numeric columns
  --target COLS       with --data: the target column(s), comma-separated
  --no-normalize      with --data: train on raw values (the default is z-scores of the training rows)
  --lr RATE           learning rate (default 0.1)
  --batch N           samples per step (default 1); equal to the training rows for full-batch steps
  --steps N           number of steps (default 1000)
  --seed N            seed for the weights, the sample order and the split (default 7)
  --data-seed N       seed of a generated --dataset (houses), as in a session's setup (default 1)
  --test-fraction F   hold out this fraction of the rows (0 to 0.9, default 0: every row trains)

With normalization on (built-in data sets that suggest it, and --data by default), the
network and its losses are in normalized units.`;

export function runTrain(
  argv: string[],
  terminal: Terminal = TERMINAL,
): { result: unknown; diverged: boolean } {
  const { values } = parseOptions(argv, {
    network: { type: 'string' },
    dataset: { type: 'string' },
    data: { type: 'string' },
    target: { type: 'string' },
    'no-normalize': { type: 'boolean' },
    lr: { type: 'string' },
    batch: { type: 'string' },
    steps: { type: 'string' },
    seed: { type: 'string' },
    'data-seed': { type: 'string' },
    'test-fraction': { type: 'string' },
  });
  if (!values.network) throw new UsageError('train: --network FILE is required');
  const file = readNetworkFile(values.network);
  const lr = parseNumber('lr', values.lr, 0.1, { min: 0 });
  const steps = parseNumber('steps', values.steps, 1000, { integer: true, min: 0, max: 1e8 });
  const seed = parseNumber('seed', values.seed, 7, { integer: true, min: 0, max: 2 ** 32 - 1 });
  const dataSeed = parseNumber('data-seed', values['data-seed'], DEFAULT_DATASET_SEED, {
    integer: true,
    min: 0,
    max: 2 ** 32 - 1,
  });
  const testFraction = parseNumber('test-fraction', values['test-fraction'], 0, {
    min: 0,
    max: 0.9,
  });
  const { dataset, normalize } = loadDataset(values, dataSeed);
  checkShapes(file.spec, dataset);

  const split = splitTrainTest(dataset.rows, testFraction, seed);
  const normalizer = normalize ? fitNormalizer(dataset, split.train) : null;
  const data = normalizer ? normalizeDataset(dataset, normalizer) : dataset;
  const train = subset(data, split.train);
  const batch = parseNumber('batch', values.batch, 1, { integer: true, min: 1, max: train.rows });

  const network = file.network ?? initNetwork(file.spec, seed);
  const trainer = new Trainer(network, batch);
  const order = new SampleOrder(train.rows, seed);
  const [inUnits, outUnits] = [dataset.inputs.length, dataset.targets.length];
  const indices = new Uint32Array(batch);
  const xs = new Float64Array(batch * inUnits);
  const ys = new Float64Array(batch * outUnits);
  const losses: number[] = [];
  let diverged: { step: number; reason: string } | undefined;
  const progress = progressBar(terminal.stderr, steps, terminal.now);
  for (let step = 0; step < steps; step++) {
    const count = order.nextBatch(batch, indices);
    gatherBatch(train.x, inUnits, indices, count, xs);
    gatherBatch(train.y, outUnits, indices, count, ys);
    const outcome = trainer.step(xs, ys, count, lr);
    if (!outcome.ok) {
      diverged = { step, reason: outcome.reason };
      break;
    }
    losses.push(outcome.loss);
    progress.update(step + 1, outcome.loss);
  }
  progress.done();

  const test = split.test.length > 0 ? subset(data, split.test) : null;
  const { weights, biases } = networkToArrays(trainer.network);
  return {
    diverged: diverged !== undefined,
    result: {
      losses,
      weights,
      biases,
      ...(test ? { testLoss: trainer.evaluateLoss(test.x, test.y, test.rows) } : {}),
      ...(diverged ? { diverged } : {}),
    },
  };
}

function loadDataset(
  values: { dataset?: string; data?: string; target?: string; 'no-normalize'?: boolean },
  dataSeed: number,
): { dataset: Dataset; normalize: boolean } {
  if (values.dataset !== undefined && values.data !== undefined) {
    throw new UsageError('train: give either --dataset or --data, not both');
  }
  if (values.dataset !== undefined) {
    if (values.target !== undefined || values['no-normalize']) {
      throw new UsageError('train: --target and --no-normalize go with --data');
    }
    const id = values.dataset as BuiltinDatasetId;
    if (!DATASET_IDS.includes(id)) {
      throw new UsageError(
        `--dataset: unknown "${values.dataset}" (known: ${DATASET_IDS.join(', ')})`,
      );
    }
    return { dataset: builtinDataset(id, dataSeed), normalize: suggestedNetwork(id).normalize };
  }
  if (values.data === undefined)
    throw new UsageError('train: --dataset NAME or --data FILE.csv is required');
  if (!values.target) throw new UsageError('train: --data needs --target COL');
  const text = readText('data', values.data);
  try {
    const targets = values.target.split(',').map((name) => name.trim());
    return { dataset: parseCsvDataset(text, { targets }), normalize: !values['no-normalize'] };
  } catch (err) {
    if (err instanceof CsvError) throw new UsageError(`--data: ${values.data}: ${err.message}`);
    throw err;
  }
}

function checkShapes(spec: NetworkSpec, dataset: Dataset): void {
  const inputs = spec.layers[0];
  const outputs = spec.layers[spec.layers.length - 1];
  if (inputs !== dataset.inputs.length || outputs !== dataset.targets.length) {
    throw new UsageError(
      `--network: the network maps ${inputs} inputs to ${outputs} outputs, but the data has ` +
        `${dataset.inputs.length} inputs and ${dataset.targets.length} targets`,
    );
  }
}
