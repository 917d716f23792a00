/**
 * Cluster mode: a client may be connected to any node. A command that reaches a node
 * other than its room's owner (the lease holder) is forwarded to the owner through the
 * adapter's stream, run there by the same handlers on a stand-in socket
 * (remote-socket.ts), and its result comes back as the client's acknowledgement: the same
 * validation, errors and idempotency as on one node. A room's events are relayed to every
 * node, each of which hands them to its own sockets' outboxes (socket/fan-out.ts).
 *
 * Why the adapter's server-side emits for the replies too (not a Redis request/response
 * of our own): the owner publishes a join's socket-join and its reply after the events
 * before them, all on one connection, and every node gets them in that order, so a client
 * never gets an event before the reply whose snapshot already holds it, nor misses one
 * after it.
 */
import type { Logger } from 'pino';
import { fail, type Result } from '@backprop/shared/protocol';
import type { SessionEvent } from '@backprop/shared/session';
import type { AppServer, AppSocket } from '../socket/types';
import type { ForwardRequest } from './forward-messages';
import { applySocketOp, RemoteSocket } from './remote-socket';

/** How long a forwarded command waits for the owner before the client is told to retry. */
export const FORWARD_TIMEOUT_MS = 3000;

export const ELSEWHERE_MESSAGE =
  'This session is running on another server node. Try again shortly.';

export const ELSEWHERE_RETRY_MS = 1000;
/** How long a timed-out join or resume waits for a late reply all the same (awaitLateEntry). */
const LATE_REPLY_MS = 60_000;

/**
 * The `busy` of a room that is elsewhere or slow to answer, with a wait: the client may
 * retry (a join with its key, a resume), unlike a full room's or server's `busy`.
 */
export function elsewhere() {
  return fail('busy', ELSEWHERE_MESSAGE, ELSEWHERE_RETRY_MS);
}

export interface ForwardingDeps {
  io: AppServer;
  nodeId: string;
  /** Whether this node runs the room now. */
  isLocal(code: string): boolean;
  /** The node holding the room's lease, or null. */
  owner(code: string): Promise<string | null>;
  /** Registers the command handlers on a socket (app.ts: the same as for a local one). */
  registerCommands(socket: AppSocket, ip: string): void;
  /** Hands a room's events to this node's sockets. */
  deliver(code: string, events: SessionEvent[]): void;
  logger: Logger;
  timeoutMs?: number;
}

type Ack = (result: unknown) => void;

export class Forwarding {
  private nextId = 0;
  private readonly waiting = new Map<number, Ack>();
  /** Owner side: stand-ins of the other nodes' sockets that are members of a room here. */
  private readonly stand = new Map<string, RemoteSocket>();

  constructor(private readonly deps: ForwardingDeps) {
    const { io, nodeId } = deps;
    io.on('bpl:events', (code, events) => deps.deliver(code, JSON.parse(events) as SessionEvent[]));
    io.on('bpl:socket', (op) => applySocketOp(io, op));
    io.on('bpl:forward', (request) => {
      if (request.to === nodeId) this.serve(request);
    });
    io.on('bpl:forward-reply', ({ to, id, result }) => {
      if (to !== nodeId) return;
      const ack = this.waiting.get(id);
      this.waiting.delete(id);
      ack?.(JSON.parse(result));
    });
  }

  /** Relays a room's committed events to the other nodes (this node's own sockets aside). */
  relay(code: string, events: SessionEvent[]): void {
    this.deps.io.serverSideEmit('bpl:events', code, JSON.stringify(events));
  }

  /** Per connection, after the limits: commands for a room owned elsewhere go there. */
  attach(socket: AppSocket, ip: string): void {
    socket.use((packet, next) => {
      const [event, ...args] = packet;
      this.target(socket, String(event), args).then(
        (owner) => {
          if (owner === null) next();
          else this.forward(owner, socket, ip, String(event), args);
        },
        (err: unknown) => {
          // Redis unreachable: the room's owner is unknown, so is whether it is here.
          this.deps.logger.warn({ err }, 'finding a room owner failed');
          const last = args.at(-1);
          if (typeof last === 'function') (last as Ack)(elsewhere());
        },
      );
    });
    socket.on('disconnect', () => {
      const code = socket.data.forwardedTo;
      if (!code) return;
      this.deps
        .owner(code)
        .then((owner) => {
          if (owner !== null && owner !== this.deps.nodeId) {
            this.send({ to: owner, socketId: socket.id, ip, event: 'disconnect', args: [] });
          }
        })
        .catch((err: unknown) => this.deps.logger.warn({ err, code }, 'forwarding a departure'));
    });
  }

  /** The node to forward this packet to, or null to handle it here. */
  private async target(socket: AppSocket, event: string, args: unknown[]): Promise<string | null> {
    const { isLocal, owner, nodeId } = this.deps;
    let code: string | undefined;
    if (event === 'session:join' || event === 'session:resume') {
      code = codeIn(args[0]);
      // A join or resume moves the socket: whatever it was forwarded to before is left.
      if (code !== undefined) socket.data.forwardedTo = undefined;
    } else if (event !== 'session:create') {
      code = socket.data.forwardedTo;
    }
    if (code === undefined || isLocal(code)) return null;
    const holder = await owner(code);
    if (holder !== null && holder !== nodeId) return holder;
    if (socket.data.forwardedTo === code) {
      // Its owner is gone (or this node took the room over): the socket must resume, which
      // brings the room back here or finds its new owner.
      socket.data.forwardedTo = undefined;
      socket.disconnect(true);
    }
    return null;
  }

  private forward(owner: string, socket: AppSocket, ip: string, event: string, args: unknown[]) {
    const last = args.at(-1);
    const ack = typeof last === 'function' ? (args.pop() as Ack) : null;
    const code = codeIn(args[0]);
    const id = this.send({ to: owner, socketId: socket.id, ip, event, args });
    const enters = (event === 'session:join' || event === 'session:resume') && code !== undefined;
    const timer = setTimeout(() => {
      this.waiting.delete(id);
      if (ack && socket.connected) ack(elsewhere());
      if (enters) this.awaitLateEntry(id, owner, socket, ip, code);
    }, this.deps.timeoutMs ?? FORWARD_TIMEOUT_MS);
    this.waiting.set(id, (result) => {
      clearTimeout(timer);
      if (enters && (result as Result<unknown>).ok) socket.data.forwardedTo = code;
      if (ack && socket.connected) ack(result);
    });
  }

  /**
   * A join or resume answered `busy` after the timeout may still succeed on the owner, which
   * then counts this socket as a member: its departure must reach the owner, or the student
   * would show connected there for good. So a late success still routes the socket there
   * (if it is nowhere else), or, if it has gone meanwhile, its departure is sent now.
   */
  private awaitLateEntry(id: number, owner: string, socket: AppSocket, ip: string, code: string) {
    // Unref'd: a reply that never comes must not keep a closing process alive.
    const forget = setTimeout(() => this.waiting.delete(id), LATE_REPLY_MS).unref();
    this.waiting.set(id, (result) => {
      clearTimeout(forget);
      if (!(result as Result<unknown>).ok) return;
      if (!socket.connected) {
        this.send({ to: owner, socketId: socket.id, ip, event: 'disconnect', args: [] });
      } else if (socket.data.forwardedTo === undefined && socket.data.membership === null) {
        socket.data.forwardedTo = code;
      }
    });
  }

  private send(request: Omit<ForwardRequest, 'from' | 'id'>): number {
    const id = ++this.nextId;
    this.deps.io.serverSideEmit('bpl:forward', { ...request, from: this.deps.nodeId, id });
    return id;
  }

  /** Owner side: runs a forwarded command on the socket's stand-in. */
  private serve(request: ForwardRequest): void {
    const { io, registerCommands } = this.deps;
    let remote = this.stand.get(request.socketId);
    if (request.event === 'disconnect') {
      remote?.gone();
      this.stand.delete(request.socketId);
      return;
    }
    if (!remote) {
      remote = new RemoteSocket((op) => io.serverSideEmit('bpl:socket', op), request.socketId);
      registerCommands(remote.asSocket(), request.ip);
    }
    const stand = remote;
    this.stand.set(request.socketId, stand);
    const reply: Ack = (result) => {
      // A stand-in that is a member of nothing (a refused join, a kick) is not kept.
      if (stand.data.membership === null) this.stand.delete(request.socketId);
      io.serverSideEmit('bpl:forward-reply', {
        to: request.from,
        id: request.id,
        result: JSON.stringify(result),
      });
    };
    stand.dispatch(request.event, [...request.args, reply]);
  }

  /** Owner side: the stand-in of another node's socket, for a kick. */
  remoteSocket(id: string): AppSocket | undefined {
    return this.stand.get(id)?.asSocket();
  }
}

function codeIn(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const code = (payload as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
