import type { AppSocket } from './types';

/**
 * The address a socket's limits are counted against. Behind a reverse proxy every socket
 * comes from the proxy, so with trustProxy the address is the last X-Forwarded-For entry:
 * the one our proxy added (entries before it are whatever the client claimed).
 */
export function clientAddress(socket: AppSocket, trustProxy: boolean): string {
  if (trustProxy) {
    const header = socket.handshake.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header.at(-1) : header;
    const last = value?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return socket.handshake.address;
}
