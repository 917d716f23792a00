/**
 * The worker's half of a WorkerSocket (worker-socket.ts): owns the Socket.IO socket and
 * relays it to the page. Plain functions of a `post`, so tests run it in Node against a
 * real server; socket-worker.ts binds it to the worker's scope.
 */
import type { AppSocket } from './socket-options';
import type { FromSocketWorker, ToSocketWorker } from './socket-messages';
import type { HandshakeAuth } from '@backprop/shared/protocol';

type Post = (message: FromSocketWorker) => void;
type Open = (url: string | undefined, auth: HandshakeAuth) => AppSocket;
type Loose = {
  emit(event: string, ...args: unknown[]): void;
  onAny(listener: (event: string, ...args: unknown[]) => void): void;
};

/** Relays one socket: returns what to do with each message from the page. */
export function socketHost(post: Post, open: Open, end: () => void = () => {}) {
  let socket: AppSocket | null = null;
  /** The server's acknowledgements waiting for the page's handler to take their event. */
  const acks = new Map<number, () => void>();
  let nextAck = 0;
  const status = () => ({ connected: socket!.connected, active: socket!.active });

  function listen(s: AppSocket): void {
    s.on('connect', () => post({ kind: 'connect', ...status() }));
    s.on('disconnect', (reason) => {
      // Acknowledgements of a closed connection mean nothing to the next one.
      acks.clear();
      post({ kind: 'disconnect', reason, ...status() });
    });
    s.on('connect_error', (err) =>
      post({ kind: 'connect_error', message: err.message, ...status() }),
    );
    (s as unknown as Loose).onAny((event, ...args) => {
      const last = args.at(-1);
      let ackId: number | null = null;
      if (typeof last === 'function') {
        args.pop();
        ackId = nextAck++;
        acks.set(ackId, last as () => void);
      }
      post({ kind: 'event', event, args, ackId });
    });
  }

  return (message: ToSocketWorker): void => {
    switch (message.kind) {
      case 'open':
        socket ??= open(message.url, message.auth);
        listen(socket);
        return;
      case 'connect':
        socket?.connect();
        return;
      case 'disconnect':
        socket?.disconnect();
        return;
      case 'close':
        socket?.disconnect();
        acks.clear();
        end();
        return;
      case 'ack': {
        const ack = acks.get(message.id);
        acks.delete(message.id);
        ack?.();
        return;
      }
      case 'emit': {
        if (!socket) return;
        const { id, event, args, timeoutMs } = message;
        const target = (timeoutMs === null
          ? socket
          : socket.timeout(timeoutMs)) as unknown as Loose;
        target.emit(event, ...args, (...answer: unknown[]) => {
          // With a timeout, Socket.IO answers (err, ...args); without, (...args).
          const error = timeoutMs === null ? null : (answer.shift() as Error | null);
          post({ kind: 'reply', id, error: error ? error.message : null, args: answer });
        });
        return;
      }
    }
  };
}
