import { describe, expect, it, test } from 'vitest';
import {
  DENSE_EDGES,
  drawnAsMatrix,
  edgeWidth,
  layoutDiagram,
  matrixRect,
  unitAt,
  weightAt,
  nameLines,
  placeLabels,
  type ScreenBox,
} from '../src/lib/view/diagram-layout';

describe('layoutDiagram', () => {
  it('places every unit and edge inside the viewBox', () => {
    for (const layers of [
      [2, 2, 2],
      [3, 4, 1],
      [1, 10, 1],
      [20, 16, 16, 3],
    ]) {
      const layout = layoutDiagram(layers);
      const edges = layers.slice(1).reduce((sum, n, l) => sum + n * layers[l]!, 0);
      expect(layout.edges).toHaveLength(edges);
      expect(layout.dense).toBe(edges > DENSE_EDGES);
      for (const u of layout.units) {
        expect(u.x - layout.radius).toBeGreaterThanOrEqual(0);
        expect(u.x + layout.radius).toBeLessThanOrEqual(layout.width);
        expect(u.y - layout.radius).toBeGreaterThanOrEqual(layout.top);
        expect(u.y + layout.radius).toBeLessThanOrEqual(layout.height);
      }
    }
  });

  it('is no wider than a phone for the usual three layers', () => {
    // 60 units for the input names, 85 beside the output for its error at the error stage.
    expect(layoutDiagram([3, 4, 1]).width).toBeLessThanOrEqual(430);
  });

  it('keeps circles apart and prints values only in roomy ones', () => {
    expect(layoutDiagram([2, 2, 2]).unitText).toBe(true);
    const crowded = layoutDiagram([40, 2]);
    expect(crowded.unitText).toBe(false);
    const ys = crowded.units.filter((u) => u.layer === 0).map((u) => u.y);
    expect(ys[1]! - ys[0]!).toBeGreaterThan(2 * crowded.radius);
  });
});

describe('layoutDiagram on the projector (a box in CSS pixels)', () => {
  const fits = (layout: ReturnType<typeof layoutDiagram>, box: ScreenBox) =>
    layout.width <= box.width && layout.height <= box.height;

  it('fits the box at scale 1, every text as large as the page text, values in the circles', () => {
    // The houses network in the projector's diagram box at 1920×1080.
    const box = { width: 900, height: 700, textPx: 24 };
    const layout = layoutDiagram([3, 5, 1], box);
    expect(fits(layout, box)).toBe(true);
    expect(layout.unitText).toBe(true);
    expect(layout.text).toEqual({ label: 24, name: 24, bias: 24 });
    // A 7-character value ('−0.9891', ~0.6 em a character) fits inside a circle.
    expect(2 * layout.radius).toBeGreaterThanOrEqual(7 * 0.6 * 24);
    // Neighbouring circles and the bias between them do not touch.
    expect(layout.rowGap).toBeGreaterThan(2 * layout.radius + 24);
    // The columns spread over the width the box gives.
    expect(layout.width).toBeGreaterThan(0.8 * box.width);
    for (const u of layout.units) {
      expect(u.y - layout.radius).toBeGreaterThanOrEqual(layout.top - 1e-9);
      expect(u.y + layout.biasOffset + 0.5 * 24).toBeLessThanOrEqual(layout.height);
    }
  });

  it('drops the values, not the text size, where a layer is too tall for them', () => {
    const box = { width: 900, height: 705, textPx: 24 };
    const layout = layoutDiagram([2, 16, 1], box);
    expect(layout.unitText).toBe(false);
    expect(layout.text.name).toBe(24);
    expect(fits(layout, box)).toBe(true);
    // Column names (a line each) still clear each other.
    expect(layout.rowGap).toBeGreaterThanOrEqual(24);
  });

  it('leaves a dense network to the canvas, in viewBox units', () => {
    const box = { width: 900, height: 705, textPx: 24 };
    expect(layoutDiagram([20, 16, 16, 3], box)).toEqual(layoutDiagram([20, 16, 16, 3]));
  });
});

describe('labels and widths', () => {
  it('places edge labels just clear of units and of each other, or not at all', () => {
    const layout = layoutDiagram([2, 2, 2]);
    const circles = layout.units.map((u) => ({ x: u.x, y: u.y, r: layout.radius + 1 }));
    const requests = layout.edges.map((edge) => ({ edge, text: '0.15', fontSize: 10 }));
    const placed = placeLabels(requests, layout.radius, circles)!;
    expect(placed).toHaveLength(8);
    const first = placed[0]!;
    expect(first.x - first.edge.x1).toBeLessThan(layout.radius + 25);
    // A label as long as the edge has nowhere to go.
    const long = layout.edges.map((edge) => ({ edge, text: '−0.000123456789', fontSize: 12 }));
    expect(placeLabels(long, layout.radius, circles)).toBeNull();
    // An obstacle where the first label would go pushes it further along the edge.
    const blocked = placeLabels(requests.slice(0, 1), layout.radius, circles, [first.box])!;
    expect(blocked[0]!.x).toBeGreaterThan(first.x);
  });

  it('scales edge width with |w| between a floor and a ceiling', () => {
    expect(edgeWidth(0, 1, false)).toBe(0.8);
    expect(edgeWidth(-1, 1, false)).toBe(5);
    expect(edgeWidth(0.5, 0, false)).toBe(0.8);
    expect(edgeWidth(NaN, 1, true)).toBe(0.4);
  });
});

describe('nameLines', () => {
  it('breaks between words into at most two lines, cutting what does not fit', () => {
    expect(nameLines('floor area', 8)).toEqual(['floor', 'area']);
    expect(nameLines('bedrooms', 8)).toEqual(['bedrooms']);
    expect(nameLines('distance to the city centre', 8)).toEqual(['distance', 'to the…']);
    expect(nameLines('temperature', 8)).toEqual(['tempera…']);
    expect(nameLines('floor area', 8, 1)).toEqual(['floor a…']);
  });
});

describe('dense diagrams: heatmaps and hit testing', () => {
  const LARGEST = [3, 64, 64, 64, 64, 64, 64, 1];

  test('only matrices past MATRIX_EDGES weights become heatmaps, and only when dense', () => {
    const largest = layoutDiagram(LARGEST);
    expect(LARGEST.slice(1).map((_, l) => drawnAsMatrix(largest, LARGEST, l))).toEqual([
      false, // 3×64 = 192 lines
      true,
      true,
      true,
      true,
      true,
      false, // 64×1
    ]);
    const small = layoutDiagram([3, 4, 1]);
    expect(drawnAsMatrix(small, [3, 4, 1], 0)).toBe(false);
  });

  test('a heatmap sits between its columns, clear of the circles, a row per unit it feeds', () => {
    const layout = layoutDiagram(LARGEST);
    const rect = matrixRect(layout, LARGEST, 1);
    expect(rect.x).toBeGreaterThan(layout.columnX[1]! + layout.radius);
    expect(rect.x + rect.width).toBeLessThan(layout.columnX[2]! - layout.radius);
    expect([rect.rows, rect.columns]).toEqual([64, 64]);
    // Row j is at the height of unit j of the next layer.
    const unit5 = layout.units.find((u) => u.layer === 2 && u.unit === 5)!;
    const rowCentre = rect.y + (5 + 0.5) * (rect.height / rect.rows);
    expect(rowCentre).toBeCloseTo(unit5.y, 6);
  });

  test('a tap finds the unit, the heatmap cell or the line under it, and nothing elsewhere', () => {
    const layout = layoutDiagram(LARGEST);
    const u = layout.units.find((v) => v.layer === 3 && v.unit === 10)!;
    expect(unitAt(layout, u.x + 1, u.y - 1)).toMatchObject({ layer: 3, unit: 10 });
    const rect = matrixRect(layout, LARGEST, 2);
    const cell = { x: rect.x + (7.5 * rect.width) / 64, y: rect.y + (20.5 * rect.height) / 64 };
    expect(weightAt(layout, LARGEST, cell.x, cell.y)).toEqual({ layer: 2, to: 20, from: 7 });
    const small = layoutDiagram([3, 4, 1]);
    const e = small.edges.find((edge) => edge.layer === 1 && edge.from === 2)!;
    const mid = { x: (e.x1 + e.x2) / 2, y: (e.y1 + e.y2) / 2 };
    expect(weightAt(small, [3, 4, 1], mid.x, mid.y + 1)).toEqual({ layer: 1, to: 0, from: 2 });
    expect(weightAt(small, [3, 4, 1], 1, 1)).toBeNull();
    expect(unitAt(small, 1, 1)).toBeNull();
  });

  test('every edge joins the right units (found by index, not by search)', () => {
    const layers = [2, 3, 2];
    const layout = layoutDiagram(layers);
    for (const e of layout.edges) {
      const from = layout.units.find((u) => u.layer === e.layer && u.unit === e.from)!;
      const to = layout.units.find((u) => u.layer === e.layer + 1 && u.unit === e.to)!;
      expect([e.x1, e.y1, e.x2, e.y2]).toEqual([from.x, from.y, to.x, to.y]);
    }
  });
});
