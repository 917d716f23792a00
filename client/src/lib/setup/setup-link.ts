/**
 * The setup link, like TensorFlow Playground's address: the start page with every choice of
 * the setup readable in its fragment, e.g.
 *   /#/?dataset=spiral&noise=0.2&points=400&features=x1,x2,x1x2&hidden=8,8
 *      &activations=tanh,tanh,sigmoid&lr=0.03&batch=10&reg=l2&regRate=0.001&seed=3&dataSeed=7
 * It lives after `#`, so the server never sees it. Reading a link is all or nothing: a bad
 * link says which parameter is wrong and fills nothing.
 */
import {
  DEFAULT_FEATURES,
  DEFAULT_PLANE_OPTIONS,
  DEFAULT_TEST_FRACTION,
  isPlaneDatasetId,
  suggestedNetwork,
} from '@backprop/shared/data';
import * as v from 'valibot';
import { checkSharedSetup, type Checked, type SharedSetup } from './shared-setup';

/**
 * Every parameter a link may have; `dataset`, `hidden`, `activations`, `seed` are required.
 * The others default to what the setup form starts a data set with: its suggested
 * normalization, learning rate and batch size, 20 % test rows, all biases trained, no
 * regularization; plane data without noise, 200 points, features x₁ and x₂.
 */
const text = v.pipe(v.string(), v.maxLength(400));
const linkSchema = v.strictObject({
  dataset: text,
  hidden: text,
  activations: text,
  seed: text,
  dataSeed: v.optional(text),
  biases: v.optional(v.picklist(['0', '1'], 'must be 0 or 1')),
  normalize: v.optional(v.picklist(['0', '1'], 'must be 0 or 1')),
  test: v.optional(text),
  noise: v.optional(text),
  points: v.optional(text),
  features: v.optional(text),
  reg: v.optional(v.picklist(['none', 'l1', 'l2'], 'must be none, l1 or l2')),
  regRate: v.optional(text),
  lr: v.optional(text),
  batch: v.optional(text),
});
type LinkParams = v.InferOutput<typeof linkSchema>;

/** The link's query (after `#/?`) for a setup. */
export function setupQuery({ setup, hyper }: SharedSetup): string {
  const params = new URLSearchParams();
  params.set('dataset', setup.datasetId);
  if (setup.plane) {
    params.set('noise', String(setup.plane.noise));
    params.set('points', String(setup.plane.points));
    params.set('features', setup.plane.features.join(','));
  }
  params.set('hidden', setup.hidden.join(','));
  params.set('activations', setup.activations.join(','));
  params.set('biases', setup.trainBiases ? '1' : '0');
  params.set('normalize', setup.normalize ? '1' : '0');
  params.set('test', String(setup.testFraction));
  params.set('lr', String(hyper.learningRate));
  params.set('batch', String(hyper.batchSize));
  params.set('reg', setup.regularization?.kind ?? 'none');
  if (setup.regularization) params.set('regRate', String(setup.regularization.rate));
  params.set('seed', String(setup.seed));
  if (setup.dataSeed !== undefined) params.set('dataSeed', String(setup.dataSeed));
  // Commas are safe in a fragment and much easier to read than %2C.
  return params.toString().replaceAll('%2C', ',');
}

/** The whole link: the start page of this app with the setup filled in. */
export function setupLink(base: string, shared: SharedSetup): string {
  return `${base.replace(/\/+$/, '')}/#/?${setupQuery(shared)}`;
}

/** Reads a link's query; on any problem, the reason (naming the parameter) and nothing else. */
export function parseSetupQuery(query: string): Checked<SharedSetup> {
  const raw: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    if (Object.hasOwn(raw, key)) return { ok: false, message: `"${key}" is given twice` };
    raw[key] = value;
  }
  const parsed = v.safeParse(linkSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issue.path?.map((item) => String(item.key)).join('.') ?? '';
    const message =
      issue.type === 'strict_object' ? 'is not a setup parameter' : issue.message.toLowerCase();
    return { ok: false, message: key ? `"${key}" ${message}` : message };
  }
  try {
    return checked(parsed.output);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

function checked(p: LinkParams): Checked<SharedSetup> {
  const suggestion = suggestedNetwork(p.dataset);
  const plane =
    isPlaneDatasetId(p.dataset) ||
    p.noise !== undefined ||
    p.points !== undefined ||
    p.features !== undefined;
  const setup = {
    datasetId: p.dataset,
    hidden: list(p.hidden, 'hidden').map((item) => number(item, 'hidden')),
    activations: list(p.activations, 'activations'),
    trainBiases: p.biases !== '0',
    normalize: p.normalize === undefined ? suggestion.normalize : p.normalize === '1',
    seed: number(p.seed, 'seed'),
    ...(p.dataSeed !== undefined && { dataSeed: number(p.dataSeed, 'dataSeed') }),
    testFraction: p.test === undefined ? DEFAULT_TEST_FRACTION : number(p.test, 'test'),
    ...(plane && {
      plane: {
        noise: p.noise === undefined ? DEFAULT_PLANE_OPTIONS.noise : number(p.noise, 'noise'),
        points: p.points === undefined ? DEFAULT_PLANE_OPTIONS.points : number(p.points, 'points'),
        features: p.features === undefined ? [...DEFAULT_FEATURES] : list(p.features, 'features'),
      },
    }),
    ...(p.reg !== undefined &&
      p.reg !== 'none' && {
        regularization: { kind: p.reg, rate: number(p.regRate ?? '', 'regRate') },
      }),
  };
  const hyper = {
    learningRate: p.lr === undefined ? suggestion.learningRate : number(p.lr, 'lr'),
    batchSize: p.batch === undefined ? suggestion.batchSize : number(p.batch, 'batch'),
  };
  return checkSharedSetup(setup, hyper);
}

function list(value: string, key: string): string[] {
  if (value === '') return [];
  const items = value.split(',');
  if (items.some((item) => item.trim() === '')) throw new Error(`"${key}" has an empty item`);
  return items.map((item) => item.trim());
}

function number(value: string, key: string): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw new Error(`"${key}" must be a number, got "${value}"`);
  return n;
}
