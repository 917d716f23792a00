/**
 * The server's Prometheus metrics (docs/deploy.md lists them). One prom-client Registry
 * per app, never the library's global one, so two apps in one process (tests) count apart.
 * The rest of the server sees only the narrow hooks it needs: the registry a commit
 * observer, the app a timed broadcast, the sockets an observer of command outcomes.
 */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

/**
 * prom-client is loaded when an app turns metrics on, not by every start: its import
 * costs about as much start-up time as socket.io's, for nothing when metrics are off.
 */
const loadPromClient = () => createRequire(import.meta.url)('prom-client') as typeof PromClient;

export type SocketRole = 'host' | 'student' | 'none';

/** What the gauges read at each scrape. */
export interface MetricSources {
  rooms(): number;
  /** Sessions on hold until the recordings store is back (sessions/held-rooms.ts). */
  roomsOnHold(): number;
  /** Connected sockets by role; 'none': connected, not (yet) in a session. */
  socketsByRole(): Record<SocketRole, number>;
}

export interface Metrics {
  /** One commit of a room: `events` events made durable in `seconds`. */
  committed(events: number, seconds: number): void;
  /** One commit's events sent to a room's sockets in `seconds`. */
  broadcast(seconds: number): void;
  /** A command answered with an error (`reason`: its error code). */
  refused(command: string, reason: string): void;
  /** A join or resume that failed (also counted in `refused`). */
  joinFailed(command: 'session:join' | 'session:resume', reason: string): void;
  /** The Prometheus text exposition, and its content type. */
  scrape(): Promise<{ contentType: string; text: string }>;
}

/** From 50 µs (an in-memory commit) to 2.5 s (a disk that stalls). */
const LATENCY_BUCKETS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

export function createMetrics(sources: MetricSources): Metrics {
  const { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } = loadPromClient();
  const registers = [new Registry()];
  const [registry] = registers as [PromClient.Registry];
  // Process CPU, memory, handles, GC, and the event-loop lag (nodejs_eventloop_lag_*).
  collectDefaultMetrics({ register: registry });

  new Gauge({
    name: 'backprop_rooms_live',
    help: 'Sessions held in memory',
    registers,
    collect() {
      this.set(sources.rooms());
    },
  });
  new Gauge({
    name: 'backprop_rooms_on_hold',
    help: 'Sessions on hold until the recordings store is back',
    registers,
    collect() {
      this.set(sources.roomsOnHold());
    },
  });
  new Gauge({
    name: 'backprop_sockets',
    help: 'Connected sockets by role',
    labelNames: ['role'] as const,
    registers,
    collect() {
      for (const [role, count] of Object.entries(sources.socketsByRole()))
        this.set({ role }, count);
    },
  });
  const events = new Counter({
    name: 'backprop_events_committed_total',
    help: 'Session events committed to the store (rate() gives events per second)',
    registers,
  });
  const commits = new Histogram({
    name: 'backprop_commit_duration_seconds',
    help: 'Time to make one commit of a room durable (one store transaction)',
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const broadcasts = new Histogram({
    name: 'backprop_broadcast_duration_seconds',
    help: "Time to encode and send one commit's events to every socket of its room",
    buckets: LATENCY_BUCKETS,
    registers,
  });
  const refusals = new Counter({
    name: 'backprop_commands_refused_total',
    help: 'Commands answered with an error, by command and reason (the error code)',
    labelNames: ['command', 'reason'] as const,
    registers,
  });
  const joinFailures = new Counter({
    name: 'backprop_join_failures_total',
    help: 'Joins and resumes that failed, by command and reason (the error code)',
    labelNames: ['command', 'reason'] as const,
    registers,
  });

  return {
    committed(count, seconds) {
      events.inc(count);
      commits.observe(seconds);
    },
    broadcast: (seconds) => broadcasts.observe(seconds),
    refused: (command, reason) => refusals.inc({ command, reason }),
    joinFailed: (command, reason) => joinFailures.inc({ command, reason }),
    scrape: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
  };
}
