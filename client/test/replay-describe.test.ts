import { describe, expect, test } from 'vitest';
import {
  currentMarkerIndex,
  exportFileName,
  markerLabel,
  markerStyle,
  markerText,
  percentOf,
  tickGroups,
} from '../src/lib/replay/describe';

const marker = (seq: number, kind: string, label: string) => ({
  seq,
  t: 1000 + seq * 1000,
  kind: kind as never,
  label,
});

describe('markers in words', () => {
  test('host markers and setups name their kind; the others say it themselves', () => {
    expect(markerLabel(marker(3, 'marker', 'Look at the gradients'))).toBe(
      'Host marker: Look at the gradients',
    );
    expect(markerLabel(marker(3, 'rate', 'Learning rate 0.5 → 0.1'))).toBe(
      'Learning rate 0.5 → 0.1',
    );
    expect(markerText(marker(65, 'join', 'Ada joined'), 1000)).toBe('1:05 Ada joined');
  });

  test('an unknown kind still has a style', () => {
    expect(markerStyle('something-new').symbol).toBe('•');
    expect(markerStyle('constructor').name).toBe('Moment');
  });

  test('the current marker is the last one at or before the seq', () => {
    const markers = [marker(2, 'join', 'a'), marker(5, 'rate', 'b'), marker(9, 'ended', 'c')];
    expect(currentMarkerIndex(markers, 1)).toBe(-1);
    expect(currentMarkerIndex(markers, 5)).toBe(1);
    expect(currentMarkerIndex(markers, 8)).toBe(1);
    expect(currentMarkerIndex(markers, 100)).toBe(2);
  });
});

test('percentOf clamps and survives a zero-length recording', () => {
  expect(percentOf(50, 0, 100)).toBe(50);
  expect(percentOf(-5, 0, 100)).toBe(0);
  expect(percentOf(500, 0, 100)).toBe(100);
  expect(percentOf(5, 5, 5)).toBe(0);
});

test('exportFileName', () => {
  expect(exportFileName('Lecture 5: Backprop!', 'abc', false)).toBe('lecture-5-backprop.ndjson');
  expect(exportFileName('Café', 'abc', true)).toBe('cafe-anonymized.ndjson');
  expect(exportFileName('', 'abc', false)).toBe('abc.ndjson');
});

test('tickGroups merges crowded markers and shows the most important', () => {
  const at = (t: number, kind: string, label = kind) => ({ seq: t, t, kind: kind as never, label });
  const groups = tickGroups(
    [at(0, 'join'), at(10, 'join'), at(500, 'rate'), at(505, 'marker'), at(1000, 'ended')],
    0,
    1000,
  );
  expect(groups.map((g) => [g.percent, g.lead.kind, g.markers.length])).toEqual([
    [0, 'join', 2],
    [50, 'marker', 2],
    [100, 'ended', 1],
  ]);
});
