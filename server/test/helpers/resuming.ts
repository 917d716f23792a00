/**
 * A client that comes back by itself, as the browser's does (client/src/lib/connection):
 * when the server disconnects it, it connects again and resumes with its token and last
 * seq, and tries again while the answer is 'busy' or 'unavailable'. It keeps one state
 * across its sockets, and counts gaps and duplicates over all of them.
 */
import type { SessionEvent, SessionState } from '@backprop/shared/session';
import type { Client, TestServer } from './server';
import { emitAck, Mirror, waitUntil } from './sockets';

/** Between two resume attempts the store (or the owner) refused: the browser waits ~1 s. */
const RETRY_MS = 50;

export class ResumingClient {
  /** The live socket (a new one after each resume). */
  socket: Client;
  private mirror: Mirror;
  private readonly past: Mirror[] = [];
  /** The error codes of the resumes that were refused, in order. */
  readonly refusals: string[] = [];
  /** Resumes that succeeded. */
  resumes = 0;
  /** 'session:store-unavailable' notices received. */
  notices = 0;
  /** Why coming back failed for good (a refusal other than busy or unavailable). */
  failure: unknown = null;
  private closed = false;
  private comingBack: Promise<void> | null = null;

  constructor(
    /** Where it connects again: a test server, or one node of a cluster. */
    private readonly server: Pick<TestServer, 'connect'>,
    private readonly code: string,
    private readonly token: string,
    from: { socket: Client; mirror: Mirror },
  ) {
    this.socket = from.socket;
    this.mirror = from.mirror;
    this.watch(from.socket);
  }

  get state(): SessionState | null {
    return this.mirror.state;
  }

  get seq(): number {
    return this.mirror.seq;
  }

  get gaps(): number {
    return [...this.past, this.mirror].reduce((sum, m) => sum + m.gaps, 0);
  }

  get duplicates(): number {
    return [...this.past, this.mirror].reduce((sum, m) => sum + m.duplicates, 0);
  }

  /** Every event received live, over all sockets, in arrival order. */
  get received(): SessionEvent[] {
    return [...this.past, this.mirror].flatMap((m) => m.received);
  }

  /** Whether the socket is connected and has resumed (not between two sockets). */
  get connected(): boolean {
    return this.comingBack === null && this.socket.connected;
  }

  async reach(seq: number): Promise<void> {
    await waitUntil(() => this.connected && this.seq >= seq, 10_000);
  }

  close(): void {
    this.closed = true;
    this.socket.disconnect();
  }

  private watch(socket: Client): void {
    socket.on('session:store-unavailable', () => this.notices++);
    socket.on('disconnect', () => {
      if (this.closed || socket !== this.socket) return;
      this.comingBack = this.comeBack().catch((err: unknown) => {
        this.failure = err;
      });
    });
  }

  private async comeBack(): Promise<void> {
    while (!this.closed) {
      const socket = await this.server.connect();
      // Without a state until the reply, as the browser: a live event can arrive before
      // the reply (the next play frame), and waits for it rather than counting as a gap.
      const mirror = new Mirror(socket);
      const reply = await emitAck(socket, 'session:resume', {
        code: this.code,
        token: this.token,
        lastSeq: this.mirror.seq,
      }).catch((err: unknown) => ({
        ok: false as const,
        error: { code: 'timeout', message: String(err) },
      }));
      if (reply.ok) {
        mirror.state = this.mirror.state;
        mirror.sync(reply.sync);
        this.past.push(this.mirror);
        this.mirror = mirror;
        this.socket = socket;
        this.resumes++;
        this.comingBack = null;
        this.watch(socket);
        return;
      }
      this.refusals.push(reply.error.code);
      socket.disconnect();
      if (reply.error.code !== 'unavailable' && reply.error.code !== 'busy') {
        throw new Error(`resume refused: ${reply.error.code}: ${reply.error.message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
