/**
 * What `train` and `trace` share: the data set options (a built-in, a plane data set with
 * its noise, points and features, or a CSV file), the network (a file, or the data set's
 * suggested one), the split and regularization, read from the command line with one-line
 * errors (exit 2) for bad values.
 */
import {
  CsvError,
  DATASET_IDS,
  DEFAULT_DATASET_SEED,
  DEFAULT_FEATURES,
  FEATURE_NAMES,
  PLANE_DATASET_IDS,
  PLANE_LIMITS,
  findFeaturesProblem,
  fitNormalizer,
  generatedDataset,
  isBuiltinDatasetId,
  isPlaneDatasetId,
  normalizeDataset,
  parseCsvDataset,
  splitTrainTest,
  subset,
  suggestedNetwork,
  type Dataset,
  type FeatureName,
  type PlaneSetup,
} from '@backprop/shared/data';
import {
  MAX_REGULARIZATION_RATE,
  REGULARIZATION_KINDS,
  initNetwork,
  type ActivationName,
  type Network,
  type NetworkSpec,
  type Regularization,
} from '@backprop/shared/nn';
import { UsageError, parseNumber } from './errors';
import { readNetworkFile, readText } from './files';

export const DATA_OPTIONS = {
  network: { type: 'string' },
  dataset: { type: 'string' },
  data: { type: 'string' },
  target: { type: 'string' },
  'no-normalize': { type: 'boolean' },
  seed: { type: 'string' },
  'data-seed': { type: 'string' },
  'test-fraction': { type: 'string' },
  noise: { type: 'string' },
  points: { type: 'string' },
  features: { type: 'string' },
  reg: { type: 'string' },
  'reg-rate': { type: 'string' },
} as const;

type DataValues = Partial<Record<Exclude<keyof typeof DATA_OPTIONS, 'no-normalize'>, string>> & {
  'no-normalize'?: boolean;
};

/** The help lines of DATA_OPTIONS, for `train --help` and `trace --help`. */
export const DATA_HELP = `  --dataset NAME      a built-in data set: ${DATASET_IDS.join(', ')};
                      or a plane data set: ${PLANE_DATASET_IDS.join(', ')}
  --noise F           plane data: noise ${PLANE_LIMITS.noise.min} to ${PLANE_LIMITS.noise.max} (default 0)
  --points N          plane data: ${PLANE_LIMITS.points.min} to ${PLANE_LIMITS.points.max} points (default 200)
  --features LIST     plane data: the input features, comma-separated, from
                      ${FEATURE_NAMES.join(', ')} (default ${DEFAULT_FEATURES.join(',')})
  --data FILE.csv     a CSV file with a header row and numeric columns
  --target COLS       with --data: the target column(s), comma-separated
  --no-normalize      with --data: train on raw values (the default is z-scores of the training rows)
  --network FILE      network file (docs/network-file.md); with only a spec, --seed initializes it.
                      Without it, --dataset's suggested network (the start page's), from --seed
  --seed N            seed for the weights, the sample order and the split
  --data-seed N       seed of a generated --dataset (houses, plane data), as in a session (default 1)
  --test-fraction F   hold out this fraction of the rows (0 to 0.9, default 0: every row trains)
  --reg KIND          regularization of the weights (never the biases): ${REGULARIZATION_KINDS.join(' or ')}
  --reg-rate λ        with --reg: its rate, 0 to ${MAX_REGULARIZATION_RATE} (default 0.01)`;

/** The data, in network units, split as a session splits it. */
export interface CliData {
  dataset: Dataset;
  network: Network;
  /** Network units (normalized when the data set suggests it, or for --data by default). */
  train: Dataset;
  test: Dataset | null;
  /** Dataset rows of `train`'s rows. */
  trainRows: Uint32Array;
  regularization: Regularization | null;
  /** The plane options of a plane data set; null for any other. */
  plane: PlaneSetup | null;
}

export function loadData(
  command: string,
  values: DataValues,
  seedDefault: number,
): CliData & { seed: number } {
  const seed = parseNumber('seed', values.seed, seedDefault, {
    integer: true,
    min: 0,
    max: 2 ** 32 - 1,
  });
  const dataSeed = parseNumber('data-seed', values['data-seed'], DEFAULT_DATASET_SEED, {
    integer: true,
    min: 0,
    max: 2 ** 32 - 1,
  });
  const testFraction = parseNumber('test-fraction', values['test-fraction'], 0, {
    min: 0,
    max: 0.9,
  });
  const regularization = parseRegularization(values);
  const plane = parsePlane(values);
  const file = values.network === undefined ? null : readNetworkFile(values.network);
  const suggested = values.dataset === undefined ? null : suggestedNetwork(values.dataset);
  if (!file && !suggested) {
    throw new UsageError(`${command}: --network FILE is required with --data`);
  }
  const outputActivation: ActivationName = (file?.spec.activations ?? suggested!.activations).at(
    -1,
  )!;
  const { dataset, normalize } = loadDataset(command, values, dataSeed, plane, outputActivation);
  const spec: NetworkSpec = file?.spec ?? {
    layers: [dataset.inputs.length, ...suggested!.hidden, dataset.targets.length],
    activations: suggested!.activations,
    trainBiases: true,
  };
  checkShapes(spec, dataset);
  const split = splitTrainTest(dataset.rows, testFraction, seed);
  const normalizer = normalize ? fitNormalizer(dataset, split.train) : null;
  const data = normalizer ? normalizeDataset(dataset, normalizer) : dataset;
  return {
    seed,
    dataset,
    network: file?.network ?? initNetwork(spec, seed),
    train: subset(data, split.train),
    test: split.test.length > 0 ? subset(data, split.test) : null,
    trainRows: split.train,
    regularization,
    plane,
  };
}

export function parseRegularization(values: DataValues): Regularization | null {
  if (values.reg === undefined) {
    if (values['reg-rate'] !== undefined) throw new UsageError('--reg-rate goes with --reg l1|l2');
    return null;
  }
  const kind = values.reg as Regularization['kind'];
  if (!REGULARIZATION_KINDS.includes(kind)) {
    throw new UsageError(
      `--reg: expected ${REGULARIZATION_KINDS.join(' or ')}, got "${values.reg}"`,
    );
  }
  const rate = parseNumber('reg-rate', values['reg-rate'], 0.01, {
    min: 0,
    max: MAX_REGULARIZATION_RATE,
  });
  return { kind, rate };
}

/** The plane options when --dataset names a plane data set; refused with any other. */
function parsePlane(values: DataValues): PlaneSetup | null {
  const given = values.noise ?? values.points ?? values.features;
  if (values.dataset === undefined || !isPlaneDatasetId(values.dataset)) {
    if (given !== undefined) {
      throw new UsageError(
        `--noise, --points and --features go with a plane data set (${PLANE_DATASET_IDS.join(', ')})`,
      );
    }
    return null;
  }
  const { noise, points } = PLANE_LIMITS;
  const features = values.features?.split(',').map((f) => f.trim()) ?? [...DEFAULT_FEATURES];
  const problem = findFeaturesProblem(features);
  if (problem) throw new UsageError(`--features: ${problem}`);
  return {
    noise: parseNumber('noise', values.noise, 0, { min: noise.min, max: noise.max }),
    points: parseNumber('points', values.points, 200, {
      integer: true,
      min: points.min,
      max: points.max,
    }),
    features: features as FeatureName[],
  };
}

function loadDataset(
  command: string,
  values: DataValues,
  dataSeed: number,
  plane: PlaneSetup | null,
  outputActivation: ActivationName,
): { dataset: Dataset; normalize: boolean } {
  if (values.dataset !== undefined && values.data !== undefined) {
    throw new UsageError(`${command}: give either --dataset or --data, not both`);
  }
  if (values.dataset !== undefined) {
    const id = values.dataset;
    if (values.target !== undefined || values['no-normalize']) {
      throw new UsageError(`${command}: --target and --no-normalize go with --data`);
    }
    if (!isBuiltinDatasetId(id) && !isPlaneDatasetId(id)) {
      throw new UsageError(
        `--dataset: unknown "${id}" (known: ${[...DATASET_IDS, ...PLANE_DATASET_IDS].join(', ')})`,
      );
    }
    const dataset = generatedDataset({
      datasetId: id,
      dataSeed,
      plane: plane ?? undefined,
      outputActivation,
    });
    // Plane data are never normalized (docs/playground.md).
    return { dataset, normalize: !plane && suggestedNetwork(id).normalize };
  }
  if (values.data === undefined) {
    throw new UsageError(`${command}: --dataset NAME or --data FILE.csv is required`);
  }
  if (!values.target) throw new UsageError(`${command}: --data needs --target COL`);
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
