/**
 * The worker's half of a WorkerSocket (worker-socket.ts): owns the Socket.IO socket and
 * relays it to the page, play frames at the page's pace (frame-pacer.ts). Plain functions
 * of a `post`, so tests run it in Node against a real server; socket-worker.ts binds it to
 * the worker's scope.
 */
import type { AppSocket } from './socket-options';
import type { FromSocketWorker, ToSocketWorker } from './socket-messages';
import {
  framesOnly,
  type HandshakeAuth,
  type SkippedSeqs,
  type WireEvent,
} from '@backprop/shared/protocol';
import { FramePacer, type PacerClock } from './frame-pacer';

type Post = (message: FromSocketWorker) => void;
type Open = (url: string | undefined, auth: HandshakeAuth) => AppSocket;
type Loose = {
  emit(event: string, ...args: unknown[]): void;
  onAny(listener: (event: string, ...args: unknown[]) => void): void;
};

/** Relays one socket: returns what to do with each message from the page. */
export function socketHost(
  postToPage: Post,
  open: Open,
  end: () => void = () => {},
  clock?: PacerClock,
) {
  let socket: AppSocket | null = null;
  /** What the page's handler acknowledges: the server's acks, and the pacer's frames. */
  const acks = new Map<number, () => void>();
  let nextAck = 0;
  const status = () => ({ connected: socket!.connected, active: socket!.active });
  const pacer = new FramePacer((events, skipped, taken) => {
    const ackId = nextAck++;
    acks.set(ackId, taken);
    postToPage({ kind: 'event', event: 'session:events', args: [events, skipped], ackId });
  }, clock);
  /**
   * Anything but a frame. A server event goes after the frame the pacer holds, so no event is
   * reordered; a command's reply need not (the page's sequencing drops what a sync already
   * covers), so a hidden tab's replies do not bring it frames.
   */
  const post: Post = (message) => {
    if (message.kind === 'event') pacer.flush();
    postToPage(message);
  };

  function listen(s: AppSocket): void {
    s.on('connect', () => post({ kind: 'connect', ...status() }));
    s.on('disconnect', (reason) => {
      pacer.reset();
      // Acknowledgements of a closed connection mean nothing to the next one.
      acks.clear();
      post({ kind: 'disconnect', reason, ...status() });
    });
    s.on('connect_error', (err) =>
      post({ kind: 'connect_error', message: err.message, ...status() }),
    );
    (s as unknown as Loose).onAny((event, ...args) => {
      const last = args.at(-1);
      const ack = typeof last === 'function' ? (args.pop() as () => void) : null;
      const [events, skipped] = args as [WireEvent[], SkippedSeqs];
      if (event === 'session:events' && framesOnly(events)) {
        // Frames are taken here (the server may send the next): the pacer hands the page the
        // newest when it is ready for one.
        ack?.();
        pacer.frames(events, skipped);
        return;
      }
      let ackId: number | null = null;
      if (ack) {
        ackId = nextAck++;
        acks.set(ackId, ack);
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
      case 'hidden':
        pacer.hold(message.hidden);
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
