/**
 * Counts refused commands and failed joins from what every command answers: a socket.io
 * middleware wraps the acknowledgement of each incoming event, so every refusal is seen
 * in one place (bad payloads, rate limits, authorization, the rooms' own rules) without a
 * line in any handler. Installed before the rate limits, whose refusals it then counts too.
 */
import { schemas } from '@backprop/shared/protocol';
import type { AppSocket } from '../socket/types';
import type { Metrics } from './metrics';

type Ack = (result: unknown) => void;

export function observeCommandOutcomes(
  socket: AppSocket,
  metrics: Pick<Metrics, 'refused' | 'joinFailed'>,
): void {
  socket.use((packet, next) => {
    const last = packet.at(-1);
    if (typeof last === 'function') {
      // A client names its events: anything but a protocol command is one label, not many.
      const event = packet[0];
      const command =
        typeof event === 'string' && Object.hasOwn(schemas, event) ? event : 'unknown';
      packet[packet.length - 1] = ((result: unknown) => {
        const reason = refusalReason(result);
        if (reason !== null) {
          metrics.refused(command, reason);
          if (command === 'session:join' || command === 'session:resume') {
            metrics.joinFailed(command, reason);
          }
        }
        (last as Ack)(result);
      }) satisfies Ack;
    }
    next();
  });
}

/** The error code of a failed Result ({ok: false, error: {code}}), else null. */
function refusalReason(result: unknown): string | null {
  if (typeof result !== 'object' || result === null) return null;
  const { ok, error } = result as { ok?: unknown; error?: { code?: unknown } };
  return ok === false && typeof error?.code === 'string' ? error.code : null;
}
