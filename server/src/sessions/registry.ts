import type { Logger } from 'pino';
import type { SessionEvent } from '@backprop/shared/session';
import type { Clock } from '../clock';
import { newToken } from '../security/tokens';
import type { EventLog } from '../room/event-log';
import { Room } from '../room/room';
import { defaultTraining } from '../training/defaults';
import { newJoinCode } from './join-code';

export interface RegistryDeps {
  clock: Clock;
  logger: Logger;
  /** A fresh event log for a new room. */
  createLog: () => EventLog;
  /** Sends an event to every socket of the room `code`. */
  broadcast: (code: string, event: SessionEvent) => void;
}

/** The live rooms by join code. */
export class SessionRegistry {
  private readonly rooms = new Map<string, Room>();

  constructor(private readonly deps: RegistryDeps) {}

  /** A new room with the default setup; the secret host token is returned once, here. */
  create(title: string): { room: Room; hostToken: string } {
    const code = newJoinCode((candidate) => this.rooms.has(candidate));
    const hostToken = newToken();
    const { training, hyper } = defaultTraining();
    const room = new Room({
      code,
      title,
      hostToken,
      training,
      hyper,
      clock: this.deps.clock,
      logger: this.deps.logger,
      log: this.deps.createLog(),
      broadcast: (event) => this.deps.broadcast(code, event),
    });
    this.rooms.set(code, room);
    this.deps.logger.info({ code }, 'session created');
    return { room, hostToken };
  }

  get(code: string): Room | undefined {
    return this.rooms.get(code);
  }

  get size(): number {
    return this.rooms.size;
  }

  /** Stops every play timer, so a closing server has nothing left scheduled. */
  stopAll(): void {
    for (const room of this.rooms.values()) room.play.stop();
  }
}
