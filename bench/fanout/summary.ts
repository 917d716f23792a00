import type { ClientsReport, ServerUsage } from './messages';

export interface Summary {
  n: number;
  /** Frames the server sent per second in the window. */
  framesPerSecond: number;
  /** Frames each client received per second in the window (the mean over clients). */
  clientFramesPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Missing seqs, over all clients. */
  lost: number;
  dropped: number;
  /** Server process CPU over the window, % of one core. */
  cpuPercent: number;
  rssMb: number;
}

export function summarize(
  n: number,
  seconds: number,
  framesSent: number,
  reports: ClientsReport[],
  before: ServerUsage,
  after: ServerUsage,
): Summary {
  const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const frames = reports.flatMap((r) => r.framesPerClient);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const cpuMicros = after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system;
  return {
    n,
    framesPerSecond: framesSent / seconds,
    clientFramesPerSecond: frames.reduce((a, b) => a + b, 0) / Math.max(frames.length, 1) / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? NaN,
    lost: reports.reduce((sum, r) => sum + r.gaps, 0),
    dropped: reports.reduce((sum, r) => sum + r.dropped, 0),
    cpuPercent: cpuMicros / 1e4 / seconds,
    rssMb: after.rss / 1024 / 1024,
  };
}

/** A summary's delivery columns: srv f/s, cli f/s, p50, p99, max (ms), lost, dropped. */
export function deliveryColumns(s: Summary): string[] {
  return [
    s.framesPerSecond.toFixed(1).padStart(7),
    s.clientFramesPerSecond.toFixed(1).padStart(8),
    s.p50.toFixed(1).padStart(7),
    s.p99.toFixed(1).padStart(7),
    s.max.toFixed(1).padStart(7),
    String(s.lost).padStart(5),
    String(s.dropped).padStart(5),
  ];
}
