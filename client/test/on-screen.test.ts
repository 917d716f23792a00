import { expect, test } from 'vitest';
import { whileShown } from '../src/lib/view/on-screen.svelte';

test('whileShown passes the newest value while shown, keeps the last one otherwise', () => {
  let value = 1;
  let shown = true;
  let reads = 0;
  const get = whileShown(
    () => (reads++, value),
    () => shown,
  );
  expect(get()).toBe(1);
  shown = false;
  value = 2;
  expect(get()).toBe(1);
  expect(reads).toBe(1); // not even read while hidden: nothing downstream is recomputed
  shown = true;
  expect(get()).toBe(2);
});

test('a view first seen off screen still gets a value to draw', () => {
  const get = whileShown(
    () => 'first',
    () => false,
  );
  expect(get()).toBe('first');
});
