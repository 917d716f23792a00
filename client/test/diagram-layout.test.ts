import { describe, expect, it } from 'vitest';
import {
  DENSE_EDGES,
  edgeWidth,
  layoutDiagram,
  nameLines,
  placeLabels,
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
    expect(layoutDiagram([3, 4, 1]).width).toBeLessThanOrEqual(420);
  });

  it('keeps circles apart and prints values only in roomy ones', () => {
    expect(layoutDiagram([2, 2, 2]).unitText).toBe(true);
    const crowded = layoutDiagram([40, 2]);
    expect(crowded.unitText).toBe(false);
    const ys = crowded.units.filter((u) => u.layer === 0).map((u) => u.y);
    expect(ys[1]! - ys[0]!).toBeGreaterThan(2 * crowded.radius);
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
