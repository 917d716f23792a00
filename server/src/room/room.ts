import type { Dataset } from '@backprop/shared/data';
import { fail, type Result, type Sync } from '@backprop/shared/protocol';
import {
  applyEvent,
  normalizeDisplayName,
  type SessionEvent,
  type SessionEventBody,
  type SessionState,
} from '@backprop/shared/session';
import type { Hyperparameters } from '@backprop/shared/session';
import type { Logger } from 'pino';
import type { Clock } from '../clock';
import type { Training } from '../training/training';
import { findNonFinite } from './assert-finite';
import type { EventLog } from './event-log';
import { initialSessionState } from './initial-state';
import { Members, type Identity } from './members';
import { PlayLoop } from './play-loop';
import { TaskQueue } from './task-queue';

/** Past this many missed events a snapshot is sent instead: it is smaller by then. */
export const MAX_SYNC_EVENTS = 256;

/** A room holds this many students at most; hundreds is the design's class size. */
export const MAX_PARTICIPANTS = 1000;

export interface RoomOptions {
  code: string;
  title: string;
  hostToken: string;
  training: Training;
  hyper: Hyperparameters;
  clock: Clock;
  logger: Logger;
  log: EventLog;
  /** Sends an event to every socket in the room. */
  broadcast: (event: SessionEvent) => void;
}

/**
 * One live session: the authoritative public state, changed only by recorded events, and
 * who may do what. Every change goes through record(); every command through run(), one at
 * a time.
 */
export class Room {
  readonly code: string;
  readonly members: Members;
  training: Training;
  /** The last uploaded CSV, used when the host picks the 'csv' dataset. */
  csvDataset: Dataset | null = null;
  readonly play: PlayLoop;

  private current: SessionState;
  private readonly queue = new TaskQueue();
  private readonly clock: Clock;
  private readonly log: EventLog;
  private readonly broadcast: (event: SessionEvent) => void;

  constructor(options: RoomOptions) {
    this.code = options.code;
    this.members = new Members(options.hostToken);
    this.training = options.training;
    this.clock = options.clock;
    this.log = options.log;
    this.broadcast = options.broadcast;
    this.play = new PlayLoop(this, options.logger);
    this.current = initialSessionState({
      code: options.code,
      title: options.title,
      createdAt: options.clock.now(),
      training: options.training,
      hyper: options.hyper,
    });
  }

  get state(): SessionState {
    return this.current;
  }

  /** Queues a task behind the room's other commands and play frames. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    return this.queue.run(task);
  }

  /**
   * The one way state changes: the next seq and the time, appended to the log, applied to
   * the state with the shared reducer, broadcast. A non-finite number refuses the event
   * before anything happens (see assert-finite.ts).
   */
  record(body: SessionEventBody): SessionEvent {
    const problem = findNonFinite(body);
    if (problem) throw new Error(`refusing to record a ${body.type} event: ${problem}`);
    const event: SessionEvent = { ...body, seq: this.current.seq + 1, t: this.clock.now() };
    this.log.append(event);
    this.current = applyEvent(this.current, event);
    this.broadcast(event);
    return event;
  }

  /**
   * What a client that has applied everything up to `lastSeq` needs: the missing events
   * when the log still has them all, else a snapshot. lastSeq 0 means "I have nothing":
   * every client starts from a snapshot, so it always gets one.
   */
  sync(lastSeq: number): Sync {
    const events = lastSeq > 0 ? this.log.since(lastSeq) : null;
    if (events && events.length <= MAX_SYNC_EVENTS) return { kind: 'events', events };
    return { kind: 'snapshot', state: this.current };
  }

  /** A new student with socket `socketId`: checks the room and the name, records the join. */
  join(rawName: string, socketId: string): Result<{ participantId: string; token: string }> {
    if (this.current.ended) return fail('ended', 'This session has ended.');
    if (this.current.locked) return fail('locked', 'The instructor has locked this session.');
    if (this.members.participantCount >= MAX_PARTICIPANTS) {
      return fail('busy', `This session is full (${MAX_PARTICIPANTS} participants).`);
    }
    const checked = normalizeDisplayName(rawName);
    if (!checked.ok) return fail('bad-request', checked.reason);
    if (this.members.isNameTaken(checked.name)) {
      return fail('name-taken', `Someone here is already called "${checked.name}".`);
    }
    const { id, token } = this.members.addParticipant(checked.name);
    this.members.attach({ role: 'student', participantId: id }, socketId);
    this.record({
      type: 'participant-joined',
      participant: { id, name: checked.name, connected: true },
    });
    return { ok: true, participantId: id, token };
  }

  /** A returning host or student, proven by their token, on socket `socketId`. */
  resume(token: string, socketId: string): Result<{ identity: Identity }> {
    const identity = this.members.identify(token);
    if (!identity) return fail('forbidden', 'This token does not belong to this session.');
    if (identity.role === 'kicked') {
      return fail('kicked', 'You were removed from this session by the instructor.');
    }
    this.connect(identity, socketId);
    return { ok: true, identity };
  }

  /** Attaches one more socket of a known member; records them as connected if they were not. */
  connect(identity: Identity, socketId: string): void {
    if (!this.members.attach(identity, socketId)) return;
    this.record(connectionEvent(identity, true));
  }

  /** A member's socket went away; records them as offline when it was their last one. */
  disconnect(identity: Identity, socketId: string): void {
    if (!this.members.detach(identity, socketId)) return;
    this.record(connectionEvent(identity, false));
  }

  /** Removes a student for good; returns their sockets, to be told and disconnected. */
  kick(participantId: string): Result<{ sockets: string[] }> {
    if (!this.members.hasParticipant(participantId)) {
      return fail('not-found', 'There is no such participant in this session.');
    }
    const sockets = this.members.kick(participantId);
    this.record({ type: 'participant-kicked', id: participantId });
    return { ok: true, sockets };
  }
}

function connectionEvent(identity: Identity, connected: boolean): SessionEventBody {
  return identity.role === 'host'
    ? { type: 'host-connection', connected }
    : { type: 'participant-connection', id: identity.participantId, connected };
}
