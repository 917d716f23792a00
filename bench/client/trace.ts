/**
 * Main-thread time per frame received, from a Chromium trace: the page marks each incoming
 * frame (performance.mark 'bp-frame', see instrument.ts); the renderer's top-level tasks
 * (RunTask on CrRendererMain) between one mark and the next are what that frame cost —
 * receiving, reducing, Svelte, style, layout, paint. A task that spans a mark is split at it.
 */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

export interface FrameCosts {
  /** Busy ms in each interval between consecutive frame marks. */
  perFrame: number[];
  longestTaskMs: number;
  /** The longest time between two animation frames ('bp-paint' marks). */
  longestPaintGapMs: number;
  /** Busy ms by kind over the window (script, style, layout, paint), roughly: events may nest. */
  byKind: Record<string, number>;
}

const KINDS: Record<string, string> = {
  FunctionCall: 'script',
  EvaluateScript: 'script',
  'v8.evaluateModule': 'script',
  UpdateLayoutTree: 'style',
  RecalculateStyles: 'style',
  Layout: 'layout',
  Paint: 'paint',
  PrePaint: 'paint',
  Layerize: 'paint',
  UpdateLayer: 'paint',
  CompositeLayers: 'paint',
  Commit: 'paint',
};

export function frameCosts(events: readonly TraceEvent[]): FrameCosts {
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name')
      threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const marksOf = (name: string) =>
    events
      .filter((e) => e.name === name && e.cat.includes('blink.user_timing'))
      .map((e) => e.ts)
      .sort((a, b) => a - b);
  const marks = marksOf('bp-frame');
  const paints = marksOf('bp-paint');
  let longestPaintGap = 0;
  for (let i = 1; i < paints.length; i++)
    longestPaintGap = Math.max(longestPaintGap, paints[i]! - paints[i - 1]!);
  // The page's main thread is the one that made the marks.
  const markEvent = events.find((e) => e.name === 'bp-frame');
  const main = markEvent
    ? `${markEvent.pid}:${markEvent.tid}`
    : [...threadName].find(([, name]) => name === 'CrRendererMain')?.[0];
  const onMain = (e: TraceEvent) => `${e.pid}:${e.tid}` === main && e.ph === 'X';
  // Top-level tasks only: a RunTask inside another (a nested loop) is counted once.
  const tasks: TraceEvent[] = [];
  let coveredUntil = -Infinity;
  for (const e of events
    .filter(
      (e) =>
        onMain(e) &&
        (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') &&
        e.dur !== undefined,
    )
    .sort((a, b) => a.ts - b.ts)) {
    if (e.ts + e.dur! <= coveredUntil) continue;
    tasks.push(e);
    coveredUntil = e.ts + e.dur!;
  }
  const perFrame = new Array<number>(Math.max(0, marks.length - 1)).fill(0);
  let longest = 0;
  for (const task of tasks) {
    const start = task.ts;
    const end = task.ts + task.dur!;
    longest = Math.max(longest, task.dur!);
    for (let i = lowerBound(marks, start) - 1; i < marks.length - 1; i++) {
      if (i < 0) continue;
      const from = Math.max(start, marks[i]!);
      const to = Math.min(end, marks[i + 1]!);
      if (from >= end) break;
      if (to > from) perFrame[i]! += (to - from) / 1000;
    }
  }
  const byKind: Record<string, number> = {};
  const first = marks[0] ?? 0;
  const last = marks.at(-1) ?? 0;
  for (const e of events) {
    if (!onMain(e) || e.dur === undefined || e.ts < first || e.ts > last) continue;
    const kind = KINDS[e.name];
    if (kind) byKind[kind] = (byKind[kind] ?? 0) + e.dur / 1000;
  }
  return {
    perFrame,
    longestTaskMs: longest / 1000,
    longestPaintGapMs: longestPaintGap / 1000,
    byKind,
  };
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
