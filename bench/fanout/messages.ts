/** What the processes of the fan-out benchmark tell each other over IPC. */

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export interface ServerUsage {
  type: 'usage';
  /** process.cpuUsage() of the server process, microseconds. */
  cpu: { user: number; system: number };
  rss: number;
}

export interface ClientsReady {
  type: 'ready';
  connected: number;
  /** Joins sent again (same key) after a `busy` that asked for a retry, summed over clients. */
  joinRetries: number;
}

/** One client process's receipts of the frames whose server time falls in the window. */
export interface ClientsReport {
  type: 'report';
  /** Receive time − server stamp, ms, for every frame of every client. */
  latencies: number[];
  /** Frames received by each client in the window. */
  framesPerClient: number[];
  /** Missing seqs, summed over clients (over the whole run). */
  gaps: number;
  /** Clients whose connection dropped. */
  dropped: number;
}

export type FromChild =
  ServerUsage | ClientsReady | ClientsReport | { type: 'listening'; port: number };

export type ToChild =
  | { type: 'usage' }
  | { type: 'window'; from: number; to: number }
  | { type: 'broadcast'; templates: string[]; seconds: number; fps: number }
  | { type: 'stop' };
