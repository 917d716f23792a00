/**
 * The owner's stand-in for a client socket that lives on another node: the command
 * handlers (socket/*-handlers.ts) run on it unchanged, and what they do to "the socket"
 * (joining a room's channel, an emit, a disconnect) is sent to the real one's node, in
 * order with the room's events (forward-messages.ts).
 */
import type { AppServer, AppSocket, SocketData } from '../socket/types';
import type { SocketOp } from './forward-messages';

type Listener = (...args: unknown[]) => void;

export class RemoteSocket {
  readonly data: SocketData = { membership: null };
  connected = true;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(
    private readonly send: (op: SocketOp) => void,
    readonly id: string,
    /** The node the real socket is on. */
    readonly node: string,
  ) {}

  /**
   * This stand-in as the handlers' socket type: they use only what is defined here
   * (on, id, connected, data, join, leave, emit, disconnect), which the test of three
   * nodes exercises for every command kind.
   */
  asSocket(): AppSocket {
    return this as unknown as AppSocket;
  }

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  dispatch(event: string, args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }

  /** The real socket went away: its 'disconnect' handlers run here (recording the departure). */
  gone(): void {
    this.connected = false;
    this.dispatch('disconnect', []);
  }

  join(channel: string): void {
    this.send({ socketId: this.id, join: channel });
  }

  leave(channel: string): void {
    this.send({ socketId: this.id, leave: channel });
  }

  emit(event: string, ...args: unknown[]): boolean {
    this.send({ socketId: this.id, emit: event, args });
    return true;
  }

  disconnect(): this {
    this.connected = false;
    this.send({ socketId: this.id, disconnect: true });
    return this;
  }
}

/** On the node of the real socket: does what its room's owner did to the stand-in. */
export function applySocketOp(io: AppServer, op: SocketOp): void {
  const socket = io.sockets.sockets.get(op.socketId);
  if (!socket) return;
  if ('join' in op) void socket.join(op.join);
  else if ('leave' in op) void socket.leave(op.leave);
  else if ('emit' in op)
    (socket.emit as (event: string, ...args: unknown[]) => boolean)(op.emit, ...op.args);
  else socket.disconnect();
}
