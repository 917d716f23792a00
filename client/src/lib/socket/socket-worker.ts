/**
 * The socket worker: a student's Socket.IO socket, off the page's main thread
 * (worker-socket.ts says why). socket-host.ts does the relaying.
 */
import { socketHost } from './socket-host';
import { openSocket } from './socket-options';
import type { FromSocketWorker, ToSocketWorker } from './socket-messages';

const scope = self as unknown as {
  postMessage(message: FromSocketWorker): void;
  onmessage: ((event: MessageEvent<ToSocketWorker>) => void) | null;
  close(): void;
};
const receive = socketHost(
  (message) => scope.postMessage(message),
  openSocket,
  () => scope.close(),
);
scope.onmessage = ({ data }) => receive(data);
