import type { ExtendedError } from 'socket.io';
import { PROTOCOL_VERSION } from '@backprop/shared/protocol';
import type { AppSocket } from './types';

/**
 * Refuses a connection whose client speaks another protocol version (an old tab after a
 * deploy). The client receives a connect_error with message 'protocol-mismatch' and
 * data {expected}, and can tell the user to reload.
 */
export function checkProtocolVersion(socket: AppSocket, next: (err?: ExtendedError) => void) {
  const auth: unknown = socket.handshake.auth;
  const protocol =
    typeof auth === 'object' && auth !== null
      ? (auth as { protocol?: unknown }).protocol
      : undefined;
  if (protocol === PROTOCOL_VERSION) {
    next();
    return;
  }
  const err: ExtendedError = new Error('protocol-mismatch');
  err.data = { expected: PROTOCOL_VERSION };
  next(err);
}
