/** The metrics of one app: what they read from it, and its timed broadcast. */
import type { SessionEvent } from '@backprop/shared/session';
import type { MetricsConfig } from '../config';
import type { AppServer } from '../socket/types';
import { createMetrics, type Metrics, type SocketRole } from './metrics';

/** The app's metrics, when METRICS_TOKEN or METRICS_PORT turns them on; else null. */
export function appMetrics(
  config: MetricsConfig,
  io: AppServer,
  rooms: { live: () => number; onHold: () => number },
): Metrics | null {
  if (config.token === null && config.port === null) return null;
  return createMetrics({
    rooms: rooms.live,
    roomsOnHold: rooms.onHold,
    socketsByRole: () => {
      const counts: Record<SocketRole, number> = { host: 0, student: 0, none: 0 };
      for (const socket of io.sockets.sockets.values()) {
        counts[socket.data.membership?.identity.role ?? 'none']++;
      }
      return counts;
    },
  });
}

type Broadcast = (code: string, events: SessionEvent[]) => void;

/** `send`, each call's duration observed as the broadcast latency. */
export function timedBroadcast(send: Broadcast, metrics: Pick<Metrics, 'broadcast'>): Broadcast {
  return (code, events) => {
    const started = performance.now();
    send(code, events);
    metrics.broadcast((performance.now() - started) / 1000);
  };
}
