/**
 * Events that are no command (a typo, an old client, a probe): not handled, answered with
 * a 'bad-request' ack when the client waits for one (so it does not wait until its
 * timeout), and logged at debug level with the name cut short (never the payload). A
 * command of the protocol that this server has no handler for is answered the same way:
 * no command ever goes unanswered.
 */
import type { Logger } from 'pino';
import { fail, schemas } from '@backprop/shared/protocol';
import type { AppSocket } from './types';

export function refuseUnknownEvents(socket: AppSocket, logger: Logger): void {
  socket.use((packet, next) => {
    const [event] = packet;
    const known = typeof event === 'string' && Object.hasOwn(schemas, event);
    if (known && socket.listeners(event as never).length > 0) {
      next();
      return;
    }
    const name = String(event).slice(0, 64);
    logger.debug({ event: name, socket: socket.id, known }, 'unhandled event refused');
    const last = packet.at(-1);
    if (typeof last !== 'function') return;
    const message = known
      ? `"${name}" is not available on this server.`
      : `Unknown event "${name}".`;
    (last as (result: unknown) => void)(fail('bad-request', message));
  });
}
