/**
 * The worked numbers of docs/resimulation.md, read from the document and checked against
 * the code: if either changes, this fails, so the specification cannot drift.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { builtinDataset } from '../src/data';
import { createRng, SampleOrder, shuffleInPlace } from '../src/nn';

const doc = readFileSync(new URL('../../docs/resimulation.md', import.meta.url), 'utf8');

/** The rows of every markdown table in the doc whose cells are all numbers. */
function numericRows(cells: number): number[][] {
  return doc
    .split('\n')
    .map((line) => line.match(/^\|(.*)\|$/)?.[1]?.split('|') ?? [])
    .filter((row) => row.length === cells && row.every((cell) => /^\s*[\d.]+\s*$/.test(cell)))
    .map((row) => row.map(Number));
}

test('the first five draws of seed 1 are those of the document', () => {
  const rows = numericRows(3);
  expect(rows.map((row) => row[0])).toEqual([1, 2, 3, 4, 5]);
  const rng = createRng(1);
  for (const [, u, fraction] of rows) {
    const draw = rng();
    expect(draw * 2 ** 32).toBe(u);
    expect(draw).toBe(fraction);
  }
});

test('the shuffle of 10 indices with seed 1, and the first epoch of 10 rows, are those of the document', () => {
  const indices = Uint32Array.from({ length: 10 }, (_, k) => k);
  shuffleInPlace(indices, createRng(1));
  const written = `\`${[...indices].join(', ')}\``;
  expect(doc.split(written).length - 1).toBe(2); // in §1 (the shuffle) and §4 (the epoch)
  expect([...new SampleOrder(10, 1).order]).toEqual([...indices]);
});

test('the first three houses of data seed 1 are those of the document', () => {
  const rows = numericRows(5);
  expect(rows.map((row) => row[0])).toEqual([0, 1, 2]);
  const houses = builtinDataset('houses', 1);
  for (const [r, area, bedrooms, age, price] of rows) {
    expect([...houses.x.subarray(r! * 3, r! * 3 + 3)]).toEqual([area, bedrooms, age]);
    expect(houses.y[r!]).toBe(price);
  }
});

test('the data seed draws other houses, and the houses never depend on the session seed', () => {
  const one = builtinDataset('houses', 1);
  const two = builtinDataset('houses', 2);
  expect([...two.x.subarray(0, 3)]).not.toEqual([...one.x.subarray(0, 3)]);
  expect([...builtinDataset('houses').y]).toEqual([...one.y]);
});
