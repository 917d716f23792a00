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
  /** Where the stage captions' baseline sits. */
  captionY: number;
  /** Print a value inside each unit and a bias under it (units are big enough). */
  unitText: boolean;
  /** Over DENSE_EDGES: thin, translucent edges and no per-edge numbers. */
  dense: boolean;
  fontSize: number;
  /** Edge numbers, unit values, stage captions; column names; biases. */
  text: { label: number; name: number; bias: number };
  /** Distance from a unit's centre down to the centre of its bias text. */
  biasOffset: number;
  /** Room beside the input units for their names, and beside the outputs for theirs. */
  marginLeft: number;
  marginRight: number;
}

/** Past this many edges the diagram stops trying to show each one distinctly. */
export const DENSE_EDGES = 200;

const MARGIN_X = 60; // room for column names beside the input units
const COLUMN_GAP = 120;
const TOP = 22;
const BOTTOM = 14;
const ROOM = 360; // the height the units of the tallest layer share, for few units
/** The widest text beside an output unit: its error at the error stage (outputErrorLines). */
export const OUTPUT_TEXT_CHARS = 13;
/** The longest value printed inside a unit at full size ('−0.9891'); longer ones shrink. */
const UNIT_VALUE_CHARS = 7;
/** Characters of a column name beside an input unit. */
const NAME_CHARS = 8;

/**
 * The projector's drawing: laid out in CSS pixels for a box of this size, with every text
 * `textPx` high, so that text on the big screen is as large as the page's own (read from
 * the back row) rather than whatever a viewBox's scale makes of it.
 */
export interface ScreenBox {
  width: number;
  height: number;
  textPx: number;
}

/** How wide `chars` characters of text are at `fontSize`, roughly (0.6 em each), plus a gap. */
const textRoom = (chars: number, fontSize: number) => 7 + chars * fontSize * 0.6;

interface Geometry {
  rowGap: number;
  radius: number;
  columnGap: number;
  top: number;
  captionY: number;
  bottom: number;
  biasRoom: number;
  biasOffset: number;
  unitText: boolean;
  fontSize: number;
  text: DiagramLayout['text'];
  marginLeft: number;
  marginRight: number;
}

/** Whether a network has too many weights for an element each (drawn on a canvas). */
export function isDense(layers: readonly number[]): boolean {
  return layers.slice(1).reduce((sum, n, l) => sum + n * layers[l]!, 0) > DENSE_EDGES;
}

/**
 * The layout of a network with these units per layer: in viewBox units that the page
 * scales (`screen` absent), or fitted to the projector's box in CSS pixels. A dense
 * network is drawn on a canvas without text, always in viewBox units.
 */
export function layoutDiagram(
  layers: readonly number[],
  screen: ScreenBox | null = null,
): DiagramLayout {
  const dense = isDense(layers);
  const geometry =
    screen && !dense && screen.width > 0 && screen.height > 0
      ? screenGeometry(layers, screen)
      : viewBoxGeometry(layers);
  return place(layers, geometry, dense);
}

function viewBoxGeometry(layers: readonly number[]): Geometry {
  const tallest = Math.max(1, ...layers);
  // Few units get a roomy fixed gap; many share a fixed height, but never closer than 16
  // (below that the circles would touch and stop being clickable on a phone).
  const rowGap = Math.max(16, Math.min(96, ROOM / tallest));
  const radius = Math.min(22, rowGap * 0.34);
  const unitText = radius >= 16;
  const fontSize = 12;
  const label = fontSize - 1.5;
  const text = { label, name: label - 0.5, bias: label - 1 };
  return {
    rowGap,
    radius,
    columnGap: COLUMN_GAP,
    top: TOP,
    captionY: 15,
    bottom: BOTTOM,
    // The bias text hangs under the lowest unit.
    biasRoom: unitText ? 16 : 0,
    biasOffset: radius + 10,
    unitText,
    fontSize,
    text,
    marginLeft: MARGIN_X,
    // Wide enough for the output's error at the error stage, when units print values.
    marginRight: unitText ? Math.max(MARGIN_X, textRoom(OUTPUT_TEXT_CHARS, text.name)) : MARGIN_X,
  };
}

function screenGeometry(layers: readonly number[], screen: ScreenBox): Geometry {
  const F = screen.textPx;
  const tallest = Math.max(1, ...layers);
  const L = Math.max(1, layers.length - 1);
  const top = 1.25 * F;
  const bottom = 0.25 * F;
  const biasRoom = 1.2 * F;
  const free = screen.height - top - bottom;
  // Values inside the circles at full size, where the box is tall enough for them.
  const textRadius = (UNIT_VALUE_CHARS * 0.6 * F) / 2;
  const textGap = 2 * textRadius + biasRoom + 0.1 * F;
  const unitText = tallest === 1 || (free - 2 * textRadius - biasRoom) / (tallest - 1) >= textGap;
  let radius: number;
  let rowGap: number;
  if (unitText) {
    radius = textRadius;
    rowGap =
      tallest === 1 ? textGap : Math.min(8 * F, (free - 2 * radius - biasRoom) / (tallest - 1));
  } else {
    // Circles without text, as large as the height allows; never closer than a line of
    // text (the column names beside them) or a finger's width.
    rowGap = Math.max(F + 6, 16, free / tallest);
    radius = Math.min(1.2 * F, rowGap * 0.34);
  }
  const marginLeft = textRoom(NAME_CHARS, F);
  const marginRight = textRoom(OUTPUT_TEXT_CHARS, F);
  const columnGap = Math.min(
    14 * F,
    Math.max(5 * F, (screen.width - marginLeft - marginRight - 2 * radius) / L),
  );
  return {
    rowGap,
    radius,
    columnGap,
    top,
    captionY: F,
    bottom,
    biasRoom: unitText ? biasRoom : 0,
    biasOffset: radius + 0.7 * F,
    unitText,
    fontSize: F,
    text: { label: F, name: F, bias: F },
    marginLeft,
    marginRight,
  };
}

function place(layers: readonly number[], g: Geometry, dense: boolean): DiagramLayout {
  const tallest = Math.max(1, ...layers);
  const { radius, rowGap } = g;
  const columnX = layers.map((_, l) => g.marginLeft + radius + l * g.columnGap);
  const width = (columnX.at(-1) ?? g.marginLeft) + radius + g.marginRight;
  const unitsHeight = (tallest - 1) * rowGap + 2 * radius + g.biasRoom;
  const height = g.top + unitsHeight + g.bottom;
  const centreY = g.top + radius + ((tallest - 1) * rowGap) / 2;

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
    top: g.top,
    captionY: g.captionY,
    unitText: g.unitText,
    dense,
    fontSize: g.fontSize,
    text: g.text,
    biasOffset: g.biasOffset,
    marginLeft: g.marginLeft,
    marginRight: g.marginRight,
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

/** How many characters of a column name fit in a margin this wide, per line. */
export function nameChars(fontSize: number, margin = MARGIN_X): number {
  return Math.floor((margin - 7) / (fontSize * 0.6));
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
