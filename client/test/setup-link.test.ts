import { describe, expect, it } from 'vitest';
import { parseSetupQuery, setupLink, setupQuery } from '../src/lib/setup/setup-link';
import { parseSetupFile, setupFileText } from '../src/lib/setup/setup-file';
import type { SharedSetup } from '../src/lib/setup/shared-setup';

const SPIRAL: SharedSetup = {
  setup: {
    datasetId: 'spiral',
    hidden: [8, 8],
    activations: ['tanh', 'tanh', 'sigmoid'],
    trainBiases: true,
    seed: 3,
    dataSeed: 7,
    normalize: false,
    testFraction: 0.3,
    plane: { noise: 0.2, points: 400, features: ['x1', 'x2', 'x1x2', 'sin1', 'sin2'] },
    regularization: { kind: 'l2', rate: 0.001 },
  },
  hyper: { learningRate: 0.03, batchSize: 10 },
};

const HOUSES: SharedSetup = {
  setup: {
    datasetId: 'houses',
    hidden: [],
    activations: ['linear'],
    trainBiases: false,
    seed: 42,
    normalize: true,
    testFraction: 0,
  },
  hyper: { learningRate: 0.1, batchSize: 1 },
};

describe('setup link', () => {
  it.each([
    ['the spiral with features and L2', SPIRAL],
    ['houses with no hidden layer', HOUSES],
  ])('round-trips %s exactly', (_name, shared) => {
    const parsed = parseSetupQuery(setupQuery(shared));
    expect(parsed).toEqual({ ok: true, value: shared });
  });

  it('is readable: the start page, plain names, commas unescaped', () => {
    const link = setupLink('https://bp.example.edu/', SPIRAL);
    expect(link.startsWith('https://bp.example.edu/#/?dataset=spiral&')).toBe(true);
    expect(link).toContain('features=x1,x2,x1x2,sin1,sin2');
    expect(link).toContain('hidden=8,8');
    expect(link).toContain('reg=l2&regRate=0.001');
    expect(link).toContain('seed=3&dataSeed=7');
  });

  it("fills what a hand-written link leaves out with the form's defaults for its data set", () => {
    const spiral = parseSetupQuery('dataset=spiral&hidden=8,8&activations=tanh,tanh,tanh&seed=3');
    expect(spiral).toEqual({
      ok: true,
      value: {
        setup: {
          datasetId: 'spiral',
          hidden: [8, 8],
          activations: ['tanh', 'tanh', 'tanh'],
          trainBiases: true,
          seed: 3,
          normalize: false,
          testFraction: 0.2,
          plane: { noise: 0, points: 200, features: ['x1', 'x2'] },
        },
        // suggestedNetwork('spiral'), as the form suggests them.
        hyper: { learningRate: 0.03, batchSize: 10 },
      },
    });
    const houses = parseSetupQuery('dataset=houses&hidden=4&activations=tanh,linear&seed=1');
    expect(houses.ok && houses.value.setup).toMatchObject({ normalize: true, testFraction: 0.2 });
    expect(houses.ok && 'plane' in houses.value.setup).toBe(false);
  });

  it.each([
    [
      'an unknown parameter',
      'dataset=xor&hidden=&activations=tanh&seed=1&colour=red',
      '"colour" is not a setup parameter',
    ],
    ['a missing seed', 'dataset=xor&hidden=&activations=tanh', '"seed"'],
    [
      'a word for a number',
      'dataset=xor&hidden=two&activations=tanh,tanh&seed=1',
      '"hidden" must be a number, got "two"',
    ],
    [
      'an unknown activation',
      'dataset=xor&hidden=2&activations=tanh,softmax&seed=1',
      'activations',
    ],
    ['an unknown feature', setupQuery(SPIRAL).replace('sin2', 'cos2'), 'features'],
    ['noise over 50 %', setupQuery(SPIRAL).replace('noise=0.2', 'noise=0.9'), 'noise'],
    ['a rate over 0.1', setupQuery(SPIRAL).replace('regRate=0.001', 'regRate=0.5'), 'rate'],
    ['a repeated parameter', 'seed=1&seed=2', '"seed" is given twice'],
    ['a CSV data set', 'dataset=csv&hidden=&activations=linear&seed=1', 'CSV'],
    [
      'a bad regularization',
      'dataset=xor&hidden=&activations=tanh&seed=1&reg=l3',
      '"reg" must be none, l1 or l2',
    ],
  ])('refuses %s, naming what is wrong', (_name, query, message) => {
    const parsed = parseSetupQuery(query);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});

describe('setup file', () => {
  it('round-trips a setup', () => {
    expect(parseSetupFile(setupFileText(SPIRAL))).toEqual({ ok: true, value: SPIRAL });
  });

  it.each([
    ['not JSON', '{', 'not JSON'],
    ['an array', '[]', 'JSON object'],
    ['another format', JSON.stringify({ format: 'x', version: 1, setup: {}, hyper: {} }), 'format'],
    ['a future version', setupFileText(SPIRAL).replace('"version": 1', '"version": 2'), 'version'],
    [
      'an unknown field',
      JSON.stringify({ ...JSON.parse(setupFileText(SPIRAL)), extra: 1 }),
      'extra: unknown field',
    ],
    ['a negative seed', setupFileText(SPIRAL).replace('"seed": 3', '"seed": -3'), 'seed'],
    ['no batch size', setupFileText(SPIRAL).replace(',\n    "batchSize": 10', ''), 'batch size'],
  ])('refuses %s with a clear message', (_name, text, message) => {
    const parsed = parseSetupFile(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toContain(message);
  });
});
