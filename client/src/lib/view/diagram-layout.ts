/**
 * Where the network diagram puts things, in SVG user units (the viewBox). Pure, so the
 * rules that keep it readable (when to print numbers, when to thin edges) are tested.
 */

export interface UnitPosition {
  /** 0 = input … L = output. */
  layer: number;
  unit: number;
  x: number;
  y: number;
}

export interface EdgePosition {
  /** 0-based weight matrix: weights[layer][to][from]. */
  layer: number;
  to: number;
  from: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DiagramLayout {
  width: number;
  height: number;
  radius: number;
  /** Vertical distance between the centres of neighbouring units in the tallest layer. */
  rowGap: number;
  columnX: number[];
  units: UnitPosition[];
  edges: EdgePosition[];
  /** Space above the units for the stage captions. */
  top: number;
  /** Print a value inside each unit and a bias under it (units are big enough). */
  unitText: boolean;
  /** Over DENSE_EDGES: thin, translucent edges and no per-edge numbers. */
  dense: boolean;
  fontSize: number;
}

/** Past this many edges the diagram stops trying to show each one distinctly. */
export const DENSE_EDGES = 200;

const MARGIN_X = 60; // room for column names beside the input and output units
const COLUMN_GAP = 120;
const TOP = 22;
const BOTTOM = 14;
const ROOM = 360; // the height the units of the tallest layer share, for few units

export function layoutDiagram(layers: readonly number[], big = false): DiagramLayout {
  const tallest = Math.max(1, ...layers);
  // Few units get a roomy fixed gap; many share a fixed height, but never closer than 16
  // (below that the circles would touch and stop being clickable on a phone).
  const rowGap = Math.max(16, Math.min(96, ROOM / tallest));
  const radius = Math.min(22, rowGap * 0.34);
  const unitText = radius >= 16;
  const fontSize = big ? 13 : 12;
  const columnX = layers.map((_, l) => MARGIN_X + radius + l * COLUMN_GAP);
  const width = (columnX.at(-1) ?? MARGIN_X) + radius + MARGIN_X;
  // The bias text hangs under the lowest unit.
  const biasRoom = unitText ? 16 : 0;
  const unitsHeight = (tallest - 1) * rowGap + 2 * radius + biasRoom;
  const height = TOP + unitsHeight + BOTTOM;
  const centreY = TOP + radius + ((tallest - 1) * rowGap) / 2;

  const units: UnitPosition[] = [];
  layers.forEach((count, layer) => {
    for (let unit = 0; unit < count; unit++) {
      units.push({
        layer,
        unit,
        x: columnX[layer]!,
        y: centreY + (unit - (count - 1) / 2) * rowGap,
      });
    }
  });
  // By index, not by search: the largest network has 20,736 edges.
  const starts = layers.map((_, l) => layers.slice(0, l).reduce((a, b) => a + b, 0));
  const at = (layer: number, unit: number) => units[starts[layer]! + unit]!;

  const edges: EdgePosition[] = [];
  for (let layer = 0; layer + 1 < layers.length; layer++) {
    for (let to = 0; to < layers[layer + 1]!; to++) {
      for (let from = 0; from < layers[layer]!; from++) {
        const a = at(layer, from);
        const b = at(layer + 1, to);
        edges.push({ layer, to, from, x1: a.x, y1: a.y, x2: b.x, y2: b.y });
      }
    }
  }
  return {
    width,
    height,
    radius,
    rowGap,
    columnX,
    units,
    edges,
    top: TOP,
    unitText,
    dense: edges.length > DENSE_EDGES,
    fontSize,
  };
}

/**
 * Where a label sits on an edge: just clear of the circle at its source (as the source's
 * drawings label weights), `extra` units further along.
 */
export function edgeLabelAnchor(
  edge: EdgePosition,
  radius: number,
  text: string,
  fontSize: number,
  extra = 0,
): { x: number; y: number } {
  const dx = edge.x2 - edge.x1;
  const dy = edge.y2 - edge.y1;
  const length = Math.hypot(dx, dy) || 1;
  const [ux, uy] = [dx / length, dy / length];
  const box = labelBox(0, 0, text, fontSize);
  // How far along the edge the box's centre must be for the box to clear the circle.
  const along =
    radius + 3 + extra + (box.width / 2) * Math.abs(ux) + (box.height / 2) * Math.abs(uy);
  return { x: edge.x1 + ux * along, y: edge.y1 + uy * along };
}

export interface LabelRequest {
  edge: EdgePosition;
  text: string;
  fontSize: number;
}

export interface PlacedLabel extends LabelRequest {
  x: number;
  y: number;
  box: LabelBox;
}

export interface Circle {
  x: number;
  y: number;
  r: number;
}

/**
 * Places edge labels one by one, each at the first spot (by its source, then a little
 * further along) that covers no unit, no obstacle and no label placed before it. Returns
 * null as soon as one label has no free spot: then the diagram prints none, rather than
 * a confusing subset, and the widths, halos and the inspector carry the numbers.
 */
export function placeLabels(
  requests: readonly LabelRequest[],
  radius: number,
  circles: readonly Circle[],
  /** Boxes already used: bias and column-name texts. */
  obstacles: readonly LabelBox[] = [],
): PlacedLabel[] | null {
  const result: PlacedLabel[] = [];
  const taken = [...obstacles];
  for (const request of requests) {
    let spot: PlacedLabel | null = null;
    for (const extra of [0, 8, 16, 24, 32]) {
      const at = edgeLabelAnchor(request.edge, radius, request.text, request.fontSize, extra);
      const box = labelBox(at.x, at.y, request.text, request.fontSize);
      if (taken.some((t) => overlap(t, box)) || circles.some((c) => hitsCircle(box, c))) continue;
      spot = { ...request, ...at, box };
      break;
    }
    if (!spot) return null;
    result.push(spot);
    taken.push(spot.box);
  }
  return result;
}

/** The box a short label centred at (x, y) takes, roughly (0.6 em per character). */
export function labelBox(x: number, y: number, text: string, fontSize: number): LabelBox {
  const width = text.length * fontSize * 0.6 + 4;
  const height = fontSize + 2;
  return { x: x - width / 2, y: y - height / 2, width, height };
}

function overlap(a: LabelBox, b: LabelBox): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function hitsCircle(box: LabelBox, c: Circle): boolean {
  const nearestX = Math.max(box.x, Math.min(c.x, box.x + box.width));
  const nearestY = Math.max(box.y, Math.min(c.y, box.y + box.height));
  return Math.hypot(c.x - nearestX, c.y - nearestY) < c.r;
}

/** How many characters of a column name fit beside a unit, per line. */
export function nameChars(fontSize: number): number {
  return Math.floor((MARGIN_X - 7) / (fontSize * 0.6));
}

/**
 * A column name in at most two lines (or `maxLines` = 1) of at most `maxChars` characters, broken between
 * words ('floor area' → 'floor', 'area'); what still does not fit ends in '…' (the full
 * name is in the unit's title and label).
 */
export function nameLines(name: string, maxChars: number, maxLines = 2): string[] {
  const cut = (text: string) => (text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text);
  const lines: string[] = [];
  let line = '';
  for (const word of name.trim().split(/\s+/)) {
    if (line && `${line} ${word}`.length > maxChars) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  if (maxLines === 1) return [cut(name.trim())];
  if (lines.length <= 2) return lines.map(cut);
  // More than two lines' worth: keep two, and say the rest was cut.
  return [cut(lines[0]!), `${lines[1]!.slice(0, maxChars - 1)}…`];
}

/**
 * Stroke width for a weight: proportional to |w| against the largest |w| in the network,
 * with a floor so that a tiny weight is still visible and clickable.
 */
export function edgeWidth(value: number, maxAbs: number, dense: boolean): number {
  const [min, max] = dense ? [0.4, 2] : [0.8, 5];
  if (!(maxAbs > 0) || !Number.isFinite(value)) return min;
  return min + (max - min) * Math.min(1, Math.abs(value) / maxAbs);
}

/** The largest absolute value in nested arrays of numbers (0 for none). */
export function maxAbs(values: readonly (readonly number[])[]): number {
  let max = 0;
  for (const row of values) for (const v of row) if (Math.abs(v) > max) max = Math.abs(v);
  return max;
}

/**
 * Past this many weights in one matrix, a dense diagram draws the matrix as a grid of
 * coloured cells (a heatmap: row j = the weights into unit j of the next layer, at that
 * unit's height) instead of one line per weight: 4,096 crossing lines show nothing a
 * heatmap does not, and cost a phone's frame.
 */
export const MATRIX_EDGES = 256;

/** Whether weight matrix `layer` (0-based) is drawn as a heatmap. */
export function drawnAsMatrix(layout: DiagramLayout, layers: readonly number[], layer: number) {
  return layout.dense && (layers[layer] ?? 0) * (layers[layer + 1] ?? 0) > MATRIX_EDGES;
}

/**
 * Where the heatmap of weight matrix `layer` sits: between its two columns, clear of the
 * circles, as tall as the layer it feeds (one row per unit of that layer).
 */
export function matrixRect(layout: DiagramLayout, layers: readonly number[], layer: number) {
  const to = layers[layer + 1] ?? 1;
  const gap = 4;
  const x = layout.columnX[layer]! + layout.radius + gap;
  const width = layout.columnX[layer + 1]! - layout.radius - gap - x;
  const centreY = layout.top + layout.radius + ((Math.max(1, ...layers) - 1) * layout.rowGap) / 2;
  const height = to * layout.rowGap;
  return { x, y: centreY - height / 2, width, height, rows: to, columns: layers[layer] ?? 1 };
}

/** The unit under a point (viewBox units), within a finger's reach of its circle, or null. */
export function unitAt(layout: DiagramLayout, x: number, y: number): UnitPosition | null {
  let best: UnitPosition | null = null;
  let bestDistance = Math.max(layout.radius + 4, layout.rowGap / 2);
  for (const u of layout.units) {
    const distance = Math.hypot(u.x - x, u.y - y);
    if (distance <= bestDistance) [best, bestDistance] = [u, distance];
  }
  return best;
}

/** The weight under a point (viewBox units): a heatmap's cell, or an edge within `reach`. */
export function weightAt(
  layout: DiagramLayout,
  layers: readonly number[],
  x: number,
  y: number,
  reach = 4,
): { layer: number; to: number; from: number } | null {
  for (let layer = 0; layer + 1 < layers.length; layer++) {
    if (!drawnAsMatrix(layout, layers, layer)) continue;
    const r = matrixRect(layout, layers, layer);
    if (x < r.x || x >= r.x + r.width || y < r.y || y >= r.y + r.height) continue;
    const to = Math.floor(((y - r.y) / r.height) * r.rows);
    const from = Math.floor(((x - r.x) / r.width) * r.columns);
    return { layer, to, from };
  }
  let best: EdgePosition | null = null;
  let bestDistance = reach;
  for (const e of layout.edges) {
    if (drawnAsMatrix(layout, layers, e.layer)) continue;
    const distance = segmentDistance(x, y, e);
    if (distance <= bestDistance) [best, bestDistance] = [e, distance];
  }
  return best && { layer: best.layer, to: best.to, from: best.from };
}

function segmentDistance(x: number, y: number, e: EdgePosition): number {
  const dx = e.x2 - e.x1;
  const dy = e.y2 - e.y1;
  const t = Math.max(
    0,
    Math.min(1, ((x - e.x1) * dx + (y - e.y1) * dy) / (dx * dx + dy * dy || 1)),
  );
  return Math.hypot(x - (e.x1 + t * dx), y - (e.y1 + t * dy));
}
