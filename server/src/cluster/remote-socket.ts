/**
 * The owner's stand-in for a client socket that lives on another node: the command
 * handlers (socket/*-handlers.ts) run on it unchanged, and what they do to "the socket"
 * goes through the adapter to the real one (joining a room's channel, an emit, a
 * disconnect), in the stream's order with the room's events.
 */
import type { AppServer, AppSocket, SocketData } from '../socket/types';

type Listener = (...args: unknown[]) => void;

export class RemoteSocket {
  readonly data: SocketData = { membership: null };
  connected = true;
  private readonly listeners = new Map<string, Listener[]>();

  constructor(
    private readonly io: AppServer,
    readonly id: string,
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
    this.io.in(this.id).socketsJoin(channel);
  }

  leave(channel: string): void {
    this.io.in(this.id).socketsLeave(channel);
  }

  emit(event: string, ...args: unknown[]): boolean {
    (this.io.to(this.id).emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
    return true;
  }

  disconnect(): this {
    this.connected = false;
    this.io.in(this.id).disconnectSockets();
    return this;
  }
}
