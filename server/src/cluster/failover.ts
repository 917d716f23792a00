/**
 * Failover without waiting for a client: a node that has sockets in a room's channel
 * (clients connected here, the room run elsewhere) checks the room's lease every
 * `everyMs`; once nobody holds it (its owner died: the lease ran out), the node takes the
 * lease and restores the room from the store (the one restore path: paused, at the last
 * committed event). Then every socket of the room, on every node, is disconnected: the
 * clients reconnect and resume with their last seq, here or wherever the room runs, and
 * are caught up without a gap. Several nodes may race; the lease lets one win.
 */
import type { Logger } from 'pino';
import type { SessionRegistry } from '../sessions/registry';
import { codeOfChannel, type AppServer } from '../socket/types';
import { outageWarning } from './outage-log';

export interface FailoverDeps {
  /** Its server, whose channels say which rooms this node has sockets in. */
  io: AppServer;
  sessions: Pick<SessionRegistry, 'get' | 'open'>;
  owner(code: string): Promise<string | null>;
  logger: Logger;
  everyMs: number;
}

export class FailoverWatch {
  private readonly timer: NodeJS.Timeout;
  private checking = false;
  /** Redis away: every look fails, for every room. */
  private readonly failed: (fields: Record<string, unknown>) => void;

  constructor(private readonly deps: FailoverDeps) {
    this.failed = outageWarning(deps.logger, 'taking a room over failed');
    this.timer = setInterval(() => void this.check(), deps.everyMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** One round over the rooms this node has sockets in but does not run. */
  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      for (const channel of [...this.deps.io.sockets.adapter.rooms.keys()]) {
        const code = codeOfChannel(channel);
        if (code !== null && !this.deps.sessions.get(code)) await this.takeIfFree(code);
      }
    } finally {
      this.checking = false;
    }
  }

  private async takeIfFree(code: string): Promise<void> {
    const { sessions, owner, logger } = this.deps;
    try {
      if ((await owner(code)) !== null) return;
      // Restoring disconnects the room's sockets on every node (registry.ts).
      const room = await sessions.open(code);
      if (typeof room !== 'string') logger.warn({ code }, 'room taken over: its owner is gone');
    } catch (err) {
      this.failed({ err, code });
    }
  }
}
