import { describe, expect, test } from 'vitest';
import {
  addLayer,
  csvHeader,
  parseRate,
  rateToSlider,
  removeLayer,
  setActivation,
  setUnits,
  setupModelOf,
  SHORTCUT_HELP,
  shortcutFor,
  sliderToRate,
  withDataset,
  type KeyPress,
} from '../src/lib/host-controls';
import { stateAt } from './fixture';

const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  repeat: false,
  ...extra,
});

describe('setup model', () => {
  const model = setupModelOf(stateAt(0).setup);

  test('is read from the setup: hidden layers without input and output', () => {
    expect(model).toEqual({
      datasetId: 'xor',
      hidden: [2],
      activations: ['tanh', 'sigmoid'],
      trainBiases: true,
      seed: 1,
      dataSeed: 1, // a setup without one (recorded before data seeds) means 1
      normalize: false,
      testFraction: 0,
    });
  });

  test('adding and removing layers keeps one activation per layer plus the output', () => {
    const two = addLayer(model);
    expect(two.hidden).toEqual([2, 2]);
    expect(two.activations).toEqual(['tanh', 'tanh', 'sigmoid']);
    const changed = setActivation(setUnits(two, 1, 5), 1, 'relu');
    expect(changed.hidden).toEqual([2, 5]);
    expect(changed.activations).toEqual(['tanh', 'relu', 'sigmoid']);
    const one = removeLayer(changed, 0);
    expect(one.hidden).toEqual([5]);
    expect(one.activations).toEqual(['relu', 'sigmoid']);
    const none = removeLayer(one, 0);
    expect(none.hidden).toEqual([]);
    expect(none.activations).toEqual(['sigmoid']);
    expect(addLayer(none).activations).toEqual(['tanh', 'sigmoid']);
  });

  test('units are clamped to the protocol limits', () => {
    expect(setUnits(model, 0, 0).hidden).toEqual([1]);
    expect(setUnits(model, 0, 1000).hidden).toEqual([64]);
    expect(setUnits(model, 0, Number.NaN).hidden).toEqual([1]);
  });

  test('a new dataset brings its suggested network and keeps the seed', () => {
    const houses = withDataset({ ...model, seed: 42 }, 'houses');
    expect(houses.datasetId).toBe('houses');
    expect(houses.activations).toHaveLength(houses.hidden.length + 1);
    expect(houses.seed).toBe(42);
  });
});

describe('learning rate', () => {
  test('the slider is logarithmic and gives round rates', () => {
    expect(sliderToRate(rateToSlider(0.1))).toBe(0.1);
    expect(sliderToRate(rateToSlider(1))).toBe(1);
    expect(sliderToRate(-5)).toBe(0.00001);
    expect(sliderToRate(1)).toBe(10);
    expect(rateToSlider(100)).toBe(1);
  });

  test('typed rates are checked against the limits', () => {
    expect(parseRate('0.05')).toEqual({ ok: true, rate: 0.05 });
    expect(parseRate('1e-3')).toEqual({ ok: true, rate: 0.001 });
    expect(parseRate('')).toMatchObject({ ok: false });
    expect(parseRate('abc')).toMatchObject({ ok: false });
    expect(parseRate('20')).toMatchObject({ ok: false });
    expect(parseRate('0')).toMatchObject({ ok: false });
  });
});

describe('shortcuts', () => {
  test('map keys to actions', () => {
    expect(shortcutFor(press('s'), 'other')).toEqual({ kind: 'step', granularity: 'stage' });
    expect(shortcutFor(press('N'), 'other')).toEqual({ kind: 'step', granularity: 'sample' });
    expect(shortcutFor(press('b'), 'control')).toEqual({ kind: 'step', granularity: 'batch' });
    expect(shortcutFor(press('e'), 'other')).toEqual({ kind: 'step', granularity: 'epoch' });
    expect(shortcutFor(press(' '), 'other')).toEqual({ kind: 'toggle-play' });
    expect(shortcutFor(press('p'), 'control')).toEqual({ kind: 'toggle-play' });
    expect(shortcutFor(press('r'), 'other')).toEqual({ kind: 'reset' });
    expect(shortcutFor(press('C'), 'control')).toEqual({ kind: 'show-to-class' });
    expect(shortcutFor(press('x'), 'other')).toBeNull();
  });

  test('are listed once per action', () => {
    expect(SHORTCUT_HELP.find((h) => h.label === 'play / pause')?.keys).toEqual(['P', 'Space']);
    expect(SHORTCUT_HELP.map((h) => h.label)).toEqual([
      'stage',
      'sample',
      'batch',
      'epoch',
      'play / pause',
      'reset',
      'show to class / stop showing',
    ]);
  });

  test('stay out of the way of typing, controls, the browser and key repeat', () => {
    expect(shortcutFor(press('s'), 'text')).toBeNull();
    expect(shortcutFor(press(' '), 'control')).toBeNull();
    expect(shortcutFor(press('r', { ctrlKey: true }), 'other')).toBeNull();
    expect(shortcutFor(press('r', { metaKey: true }), 'other')).toBeNull();
    expect(shortcutFor(press('s', { repeat: true }), 'other')).toBeNull();
  });
});

test('csvHeader reads names with quotes and a BOM', () => {
  expect(csvHeader('\uFEFFarea,"rooms, count",price\n1,2,3')).toEqual([
    'area',
    'rooms, count',
    'price',
  ]);
  expect(csvHeader('"a ""b""",c\r\n')).toEqual(['a "b"', 'c']);
  expect(csvHeader('')).toEqual([]);
});

describe('withDataset and the plane data sets', () => {
  const houses = {
    datasetId: 'houses' as const,
    hidden: [4],
    activations: ['tanh' as const, 'linear' as const],
    trainBiases: true,
    seed: 1,
    normalize: true,
    testFraction: 0.2,
  };

  test('a plane data set brings its points and features, never normalized', () => {
    const spiral = withDataset(houses, 'spiral');
    expect(spiral.plane).toEqual({ noise: 0, points: 200, features: ['x1', 'x2'] });
    expect(spiral.normalize).toBe(false);
    expect(spiral.hidden).toEqual([8, 8]);
  });

  test('keeps the chosen points and features from one plane data set to the next, drops them after', () => {
    const circle = withDataset(
      { ...withDataset(houses, 'spiral'), plane: { noise: 0.3, points: 500, features: ['x1x2'] } },
      'circle',
    );
    expect(circle.plane).toEqual({ noise: 0.3, points: 500, features: ['x1x2'] });
    expect('plane' in withDataset(circle, 'houses')).toBe(false);
  });

  test('plane data keep 10–90 % of their points for testing; a table may keep none', () => {
    const spiral = withDataset({ ...houses, testFraction: 0 }, 'spiral');
    expect(spiral.testFraction).toBe(0.1);
    expect(withDataset({ ...houses, testFraction: 0.35 }, 'spiral').testFraction).toBe(0.35);
    expect(withDataset({ ...spiral, testFraction: 0 }, 'houses').testFraction).toBe(0);
    expect(withDataset(spiral, 'xor').testFraction).toBe(0.1);
  });
});
