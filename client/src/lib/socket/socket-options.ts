/** How a browser's Socket.IO client connects, on the page or in the socket worker. */
import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  HandshakeAuth,
  ServerToClientEvents,
} from '@backprop/shared/protocol';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function openSocket(url: string | undefined, auth: HandshakeAuth): AppSocket {
  const options = {
    auth: { ...auth },
    // A lecture hall reconnecting at once after a Wi-Fi blip would hit the server in one
    // wave: spread the retries out (0.5 s … 10 s, ±50% jitter).
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
    // An attempt that hangs (a half-open proxy) is given up after 10 s and retried.
    timeout: 10_000,
    // WebSocket first (one connection instead of a polling handshake per phone), and
    // long-polling when a campus proxy refuses WebSockets.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  };
  return url === undefined ? io(options) : io(url, options);
}
