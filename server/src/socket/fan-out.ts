/**
 * The broadcast of a room's commits: each commit's events are encoded for the wire once
 * (wire.ts: binary frame numbers) and handed to the outbox of every socket in the room
 * (outbox.ts: no backlog for a slow socket), host and projector included.
 */
import { toWire, type WireEvent } from '@backprop/shared/protocol';
import type { SessionEvent } from '@backprop/shared/session';
import { FRAME_ACK_TIMEOUT_MS, Outbox, outboxMessage } from './outbox';
import { channelOf, type AppServer, type AppSocket } from './types';

/**
 * 'binary': frame numbers as Float32Arrays (the protocol). 'json': as the recording has
 * them, the wire format of protocol 4 — for `npm run bench:wire` only, which measures both
 * side by side; clients decode either.
 */
export type FrameEncoding = 'binary' | 'json';

export function fanOut(io: AppServer, encoding: FrameEncoding = 'binary') {
  /**
   * `whole`: a catch-up of events the sockets missed (cluster/relay-feed.ts), sent whole
   * like a sync reply: its frames are not dropped for a newer one.
   */
  return (code: string, events: SessionEvent[], whole = false): void => {
    const ids = io.sockets.adapter.rooms.get(channelOf(code));
    if (!ids || ids.size === 0) return;
    const wire: WireEvent[] = encoding === 'binary' ? events.map(toWire) : events;
    const message = whole ? { events: wire, droppable: false } : outboxMessage(wire);
    for (const id of ids) {
      const socket = io.sockets.sockets.get(id);
      if (socket) outboxOf(socket).push(message);
    }
  };
}

/** The socket's outbox, made on its first message. */
export function outboxOf(socket: AppSocket): Outbox {
  socket.data.outbox ??= new Outbox({
    send: (events, skipped) => socket.emit('session:events', events as WireEvent[], skipped),
    sendFrames: (events, skipped, taken) =>
      // The ack's error (a timeout) and its answer mean the same here: the next may go.
      socket
        .timeout(FRAME_ACK_TIMEOUT_MS)
        .emit('session:events', events as WireEvent[], skipped, () => taken()),
  });
  return socket.data.outbox;
}
