import { expect, test } from 'vitest';
import { APP_NAME } from '../src/index';

test('the shared package loads', () => {
  expect(APP_NAME).toBe('Backprop Live');
});
