/**
 * Training's own check that a setup has plane options exactly when its data set is a
 * plane one, whoever calls it (host:setup with an uploaded CSV file, a restore, verify).
 */
import { expect, test } from 'vitest';
import { generatedDataset, parseCsvDataset } from '@backprop/shared/data';
import { SetupError } from '../../src/training/setup-error';
import { Training, type SetupChoice } from '../../src/training/training';

const CHOICE: SetupChoice = {
  datasetId: 'csv',
  hidden: [2],
  activations: ['tanh', 'linear'],
  trainBiases: true,
  seed: 1,
  dataSeed: 1,
  normalize: true,
  testFraction: 0,
};
const PLANE = { noise: 0, points: 50, features: ['x1', 'x2'] as ('x1' | 'x2')[] };

test('an uploaded CSV file with plane options is refused, saying why', () => {
  const csv = parseCsvDataset('a,b\n1,2\n3,4\n5,7\n', { targets: ['b'] });
  expect(() => new Training({ ...CHOICE, plane: PLANE }, csv)).toThrow(SetupError);
  expect(() => new Training({ ...CHOICE, plane: PLANE }, csv)).toThrow(/only the plane data sets/);
  expect(new Training(CHOICE, csv).setup).not.toHaveProperty('plane');
});

test('a plane data set without its options is refused; with them it never normalizes', () => {
  const choice = { ...CHOICE, datasetId: 'circle', plane: PLANE };
  const dataset = generatedDataset({ ...choice, outputActivation: 'linear' });
  expect(() => new Training({ ...choice, plane: undefined }, dataset)).toThrow(/needs its noise/);
  const training = new Training(choice, dataset);
  expect(training.setup.normalize).toBe(false);
  expect(training.setup.plane).toEqual(PLANE);
});
