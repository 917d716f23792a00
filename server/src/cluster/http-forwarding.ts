/**
 * Cluster mode: the host's HTTP requests on a live room (the CSV upload, the quiz results,
 * the join addresses: http/host-request.ts) reach whichever node the load balancer picked,
 * but only the room's owner holds the room. A node that does not run the room sends the
 * request's parsed parts to the owner, which answers it with the same code as on one node
 * (http/host-answers.ts: the host token checked where the room is), and sends the answer
 * back as data.
 *
 * Why not an HTTP proxy to the owner: the nodes know each other only by id (the leases),
 * not by an address one could reach; the commands already take the adapter's server-side
 * emits (forwarding.ts), so this takes the same route with its own two events, and needs
 * no new port, address or trust between nodes. Only what the room needs travels (a CSV
 * body at most 2 MB, read and size-checked on the receiving node first); no reply within
 * HTTP_FORWARD_TIMEOUT_MS (the owner died and its lease has not run out yet) is a 503
 * with Retry-After, which says to try again.
 */
import type { Logger } from 'pino';
import { errorAnswer, type HostAnswer, type HostRequest } from '../http/host-request';
import type { AppServer } from '../socket/types';
import { ELSEWHERE_MESSAGE, ELSEWHERE_RETRY_MS } from './forwarding';

/**
 * Longer than a command's 3 s: an HTTP client waits patiently, and parsing a 2 MB CSV on a
 * busy owner takes a while; the price is a dead owner noticed later, which is rare.
 */
export const HTTP_FORWARD_TIMEOUT_MS = 10_000;

export interface HttpForwardingDeps {
  io: AppServer;
  nodeId: string;
  /** Whether this node runs the room now. */
  isLocal(code: string): boolean;
  /** The node holding the room's lease, or null. */
  owner(code: string): Promise<string | null>;
  /** Answers a request for a room of this node (host-answers.ts). */
  answer(request: HostRequest): Promise<HostAnswer>;
  logger: Logger;
  timeoutMs?: number;
}

/** 503: the room's node did not answer (or could not be found): the request may be retried. */
export function elsewhereAnswer(): HostAnswer {
  const seconds = String(ELSEWHERE_RETRY_MS / 1000);
  const wait = { retryAfterSeconds: ELSEWHERE_RETRY_MS / 1000 };
  return errorAnswer(503, 'busy', ELSEWHERE_MESSAGE, wait, { 'Retry-After': seconds });
}

export class HttpForwarding {
  private nextId = 0;
  private readonly waiting = new Map<number, (answer: HostAnswer) => void>();

  constructor(private readonly deps: HttpForwardingDeps) {
    const { io, nodeId, logger } = deps;
    io.on('bpl:http', ({ to, from, id, request }) => {
      if (to !== nodeId) return;
      deps
        .answer(request)
        .catch((err: unknown) => {
          logger.error({ err, kind: request.kind }, 'a forwarded HTTP request failed');
          return errorAnswer(500, 'internal', 'Something went wrong on the server.');
        })
        .then((answer) => {
          // As JSON text, as forwarding.ts sends replies: the adapter's msgpack would turn an
          // undefined property into null, and the body would differ from one node's.
          io.serverSideEmit('bpl:http-reply', { to: from, id, answer: JSON.stringify(answer) });
        });
    });
    io.on('bpl:http-reply', ({ to, id, answer }) => {
      if (to !== nodeId) return;
      const done = this.waiting.get(id);
      this.waiting.delete(id);
      done?.(JSON.parse(answer) as HostAnswer);
    });
  }

  /** The answer to a host's request, from the node that runs its room. */
  async ask(request: HostRequest): Promise<HostAnswer> {
    const { isLocal, owner, nodeId, answer, logger } = this.deps;
    if (isLocal(request.code)) return answer(request);
    let holder: string | null;
    try {
      holder = await owner(request.code);
    } catch (err) {
      // Redis unreachable: where the room is cannot be known.
      logger.warn({ err }, 'finding a room owner failed');
      return elsewhereAnswer();
    }
    // Nobody runs it: no such live room, which this node answers as one node would.
    if (holder === null || holder === nodeId) return answer(request);
    return this.forward(holder, request);
  }

  private forward(to: string, request: HostRequest): Promise<HostAnswer> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(elsewhereAnswer());
      }, this.deps.timeoutMs ?? HTTP_FORWARD_TIMEOUT_MS);
      this.waiting.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.deps.io.serverSideEmit('bpl:http', { to, from: this.deps.nodeId, id, request });
    });
  }
}
