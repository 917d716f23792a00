/**
 * Main-thread time per frame received, from a Chromium trace: the page notes when each
 * frame arrives and marks some in the trace (performance.mark 'bp-frame N', see MARK_EVERY
 * in main.ts) to match the clocks; the renderer's top-level tasks (RunTask on
 * CrRendererMain) between one frame's arrival and the next are what that frame cost —
 * receiving, reducing, Svelte, style, layout, paint. A task that spans a mark is split at it.
 */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: excludes time the thread was descheduled or throttled. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** What the page noted itself, in its own clock (performance.now, ms). */
export interface PageTimes {
  /** When frame n arrived (the n of its 'bp-frame n' mark). */
  frameTimes: readonly number[];
  /** Each animation frame's time (`--probe raf`; empty otherwise). */
  paintTimes: readonly number[];
  /** Long animation frames (over 50 ms): [start, duration] (`--probe loaf`). */
  longFrames: readonly (readonly [number, number])[];
}

export interface FrameCosts {
  /** Busy ms in each interval between consecutive frame marks. */
  perFrame: number[];
  /** The same in thread time (tdur): CPU ms, robust to a loaded machine, not throttled. */
  cpuPerFrame: number[];
  longestTaskMs: number;
  /**
   * Between the first and last frame mark: the longest time between two animation frames
   * (`--probe raf`), or the longest long animation frame (0: none over 50 ms).
   */
  longestPaintGapMs: number;
  /**
   * Busy ms by kind over the window (script, style, layout, paint), roughly: events may nest.
   * Empty unless the trace has the timeline's categories (main.ts's `--detail`).
   */
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

export function frameCosts(events: readonly TraceEvent[], page: PageTimes): FrameCosts {
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name')
      threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const frameMarks = events
    .filter((e) => e.cat === 'blink.user_timing' && e.name.startsWith('bp-frame '))
    .sort((a, b) => a.ts - b.ts);
  // The trace's clock (µs) minus the page's (ms): matched on the frames both saw.
  const offsets = frameMarks
    .map((e) => {
      const n = Number(e.name.slice('bp-frame '.length));
      const at = page.frameTimes[n];
      return at === undefined ? NaN : e.ts - at * 1000;
    })
    .filter((x) => Number.isFinite(x));
  const offset = offsets.length ? percentile(offsets, 50) : NaN;
  // The page marks only some frames in the trace (MARK_EVERY in main.ts): every frame's
  // place in the trace is its page time on the trace's clock, within what the trace covers.
  const traced = events.filter((e) => e.ph === 'X' && e.name.endsWith('RunTask'));
  const traceStart = Math.min(...traced.map((e) => e.ts));
  const traceEnd = Math.max(...traced.map((e) => e.ts + (e.dur ?? 0)));
  const marks = page.frameTimes
    .map((at) => at * 1000 + offset)
    .filter((ts) => ts >= traceStart && ts <= traceEnd);
  const inWindow = (pageMs: number) => {
    const ts = pageMs * 1000 + offset;
    return ts >= (marks[0] ?? Infinity) && ts <= (marks.at(-1) ?? -Infinity);
  };
  const paints = page.paintTimes.filter(inWindow);
  let longestPaintGap = 0;
  for (let i = 1; i < paints.length; i++)
    longestPaintGap = Math.max(longestPaintGap, (paints[i]! - paints[i - 1]!) * 1000);
  for (const [start, duration] of page.longFrames)
    if (inWindow(start)) longestPaintGap = Math.max(longestPaintGap, duration * 1000);
  // The page's main thread is the one that made the marks.
  const markEvent = frameMarks[0];
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
  const cpuPerFrame = new Array<number>(perFrame.length).fill(0);
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
      if (to > from) {
        perFrame[i]! += (to - from) / 1000;
        cpuPerFrame[i]! += ((task.tdur ?? 0) * (to - from)) / task.dur! / 1000;
      }
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
    cpuPerFrame,
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
