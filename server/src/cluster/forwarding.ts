/**
 * Cluster mode: a client may be connected to any node. A command that reaches a node
 * other than its room's owner (the lease holder) is forwarded to the owner through the
 * adapter's stream, run there by the same handlers on a stand-in socket
 * (remote-socket.ts), and its result comes back as the client's acknowledgement: the same
 * validation, errors and idempotency as on one node. A room's events are relayed to every
 * node, each of which hands them to its own sockets' outboxes (relay-feed.ts).
 *
 * A node that dies takes its clients' departures with it: the owner lets go of the
 * stand-ins of a node whose heartbeat ran out (node-heartbeats.ts), which records their
 * departures as if the sockets had closed here.
 *
 * Why the adapter's server-side emits for the replies too (not a Redis request/response
 * of our own): the owner publishes a join's socket-join and its reply after the events
 * before them, all on one connection, and every node gets them in that order, so a client
 * never gets an event before the reply whose snapshot already holds it, nor misses one
 * after it.
 */
import type { Logger } from 'pino';
import { fail, type Result } from '@backprop/shared/protocol';
import type { AppServer, AppSocket } from '../socket/types';
import type { ForwardRequest } from './forward-messages';
import { outageWarning } from './outage-log';
import { applySocketOp, RemoteSocket } from './remote-socket';

/** How many times (a second apart) a departure is tried while the room's owner is unknown. */
const DEPARTURE_ATTEMPTS = 60;

/** How long a forwarded command waits for the owner before the client is told to retry. */
export const FORWARD_TIMEOUT_MS = 3000;

export const ELSEWHERE_MESSAGE =
  'This session is running on another server node. Try again shortly.';

/** Redis away (or just restarted): which node runs the room cannot be known for a moment. */
export const NODES_APART_MESSAGE =
  'The server nodes cannot reach each other right now (Redis is unavailable). Try again shortly.';
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

/** The `busy` of a moment without Redis: retried like `elsewhere()`. */
export function nodesApart() {
  return fail('busy', NODES_APART_MESSAGE, ELSEWHERE_RETRY_MS);
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
  /** Of these node ids, those that are gone (node-heartbeats.ts); none when left out. */
  deadNodes?(ids: string[]): Promise<string[]>;
  /** How often the owner looks for dead nodes among those its stand-ins came from. */
  everyMs: number;
  logger: Logger;
  timeoutMs?: number;
}

type Ack = (result: unknown) => void;

export class Forwarding {
  private nextId = 0;
  private readonly waiting = new Map<number, Ack>();
  /** Owner side: stand-ins of the other nodes' sockets that are members of a room here. */
  private readonly stand = new Map<string, RemoteSocket>();

  private readonly deadWatch: NodeJS.Timeout;
  /** Redis away: every command that needs a room's owner fails alike. */
  private readonly ownerUnknown: (fields: Record<string, unknown>) => void;

  constructor(private readonly deps: ForwardingDeps) {
    const { io, nodeId } = deps;
    this.ownerUnknown = outageWarning(deps.logger, 'finding a room owner failed');
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
    this.deadWatch = setInterval(() => void this.letGoOfDeadNodes(), deps.everyMs);
    this.deadWatch.unref();
  }

  stop(): void {
    clearInterval(this.deadWatch);
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
          this.ownerUnknown({ err });
          const last = args.at(-1);
          if (typeof last === 'function') (last as Ack)(nodesApart());
        },
      );
    });
    socket.on('disconnect', () => {
      const code = socket.data.forwardedTo;
      if (code) this.depart(code, socket.id, ip, DEPARTURE_ATTEMPTS);
    });
  }

  /**
   * Tells the room's owner that a socket went away. While Redis is away the owner is
   * unknown: tried again every second, else the student would be shown connected for as
   * long as the room runs (this node is alive, so the dead-node watch would not help).
   */
  private depart(code: string, socketId: string, ip: string, attempts: number): void {
    this.deps.owner(code).then(
      (owner) => {
        if (owner !== null && owner !== this.deps.nodeId) {
          this.send({ to: owner, socketId, ip, event: 'disconnect', args: [] });
        }
      },
      (err: unknown) => {
        if (attempts <= 1) {
          this.deps.logger.warn({ err, code }, 'forwarding a departure failed');
          return;
        }
        setTimeout(() => this.depart(code, socketId, ip, attempts - 1), 1000).unref();
      },
    );
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
      remote = new RemoteSocket(
        (op) => io.serverSideEmit('bpl:socket', op),
        request.socketId,
        request.from,
      );
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

  /**
   * Owner side: the stand-ins of sockets on nodes that died go, their departures recorded
   * (a student who resumed elsewhere meanwhile has another socket: nothing changes for them).
   */
  private async letGoOfDeadNodes(): Promise<void> {
    const { deadNodes, logger } = this.deps;
    const from = new Set([...this.stand.values()].map((remote) => remote.node));
    if (!deadNodes || from.size === 0) return;
    let dead: string[];
    try {
      dead = await deadNodes([...from]);
    } catch {
      return; // Redis away: nothing is known; the next round looks again
    }
    for (const node of dead) {
      const gone = [...this.stand].filter(([, remote]) => remote.node === node);
      logger.warn(
        { node, sockets: gone.length },
        'a node is gone: its clients leave its rooms here',
      );
      for (const [id, remote] of gone) {
        this.stand.delete(id);
        remote.gone();
      }
    }
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
