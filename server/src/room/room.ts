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
import { DEFAULT_LIMITS } from '../limits';
import type { Training } from '../training/training';
import { findNonFinite } from './assert-finite';
import type { EventLog } from './event-log';
import { initialSessionState } from './initial-state';
import { JoinKeys } from './join-keys';
import { Members, type Identity } from './members';
import { NO_RECORDS, type CsvChoice, type RoomRecords } from './room-records';
import { Participation } from './participation/participation';
import { reactToEvent } from './participation/reactions';
import { runInOrder } from './participation/student-lane';
import { PlayCpu } from './play-cpu';
import { PlayLoop } from './play-loop';
import { mayRecord, recordingFull, RecordingFullError } from './recording-budget';
import { RoomStoppedError } from './room-stopped';
import { isStoreUnavailable } from '../store/store-unavailable';
import { TaskQueue } from './task-queue';

/** Past this many missed events a snapshot is sent instead: it is smaller by then. */
export const MAX_SYNC_EVENTS = 256;

/**
 * Events between two training checkpoints (store.ts, TrainingCheckpoint): a restart
 * re-simulates at most about this many events (10 s of play at 20 frames a second).
 */
export const CHECKPOINT_EVERY = 200;

interface RoomBaseOptions {
  code: string;
  training: Training;
  clock: Clock;
  logger: Logger;
  log: EventLog;
  /** Sends events (one commit's, in seq order) to every socket in the room. */
  broadcast: (events: SessionEvent[]) => void;
  /** Students allowed in (limits.maxParticipantsPerRoom); the default limit when left out. */
  maxParticipants?: number;
  /** What is kept beside the events (participants' token hashes, kicks, CSV files). */
  records?: RoomRecords;
  /** The server's CPU for play, shared by its rooms (the registry's); a room's own if left out. */
  playCpu?: PlayCpu;
  /** The address of the session's recording; null when the server keeps none. */
  replayId?: string | null;
  /**
   * Called once when committing events to the store failed, with the store's error: the
   * room has stopped (its state is ahead of the store), and whoever holds it must let it
   * go (registry.ts: on hold until the store is back, or dropped).
   */
  onStoreFailure?: (err: unknown) => void;
}

/** A new session. */
export interface RoomOptions extends RoomBaseOptions {
  title: string;
  hostToken: string;
  hyper: Hyperparameters;
}

/**
 * A session at a given state: a new one (the registry builds its initial state first, to
 * create it in the store) or one brought back from the store (sessions/restore.ts).
 */
export interface FromStateOptions extends RoomBaseOptions {
  state: SessionState;
  members: Members;
  /** The time of the last recorded event: event times never go backwards. */
  lastEventAt: number;
  /** The seq of the 'setup-changed' event (or the initial state) of the training's setup. */
  setupSeq?: number;
}

/**
 * One live session: the authoritative public state, changed only by recorded events, and
 * who may do what. Every change goes through record(); every command through run(), one at
 * a time.
 *
 * Commit before acknowledging: the events a task records are applied to the state at
 * once but held back; when the task ends they are committed to the log in one batch
 * (StoreEventLog.flush: one transaction, awaited — the store may be a network database)
 * and only then broadcast, and only then is the task's promise (the command's
 * acknowledgement) settled. The next task starts after that: order and seqs are the
 * queue's. If the commit fails, nothing of
 * the batch leaves the room: the room stops for good (its state is ahead of the store),
 * every task still queued is refused with the store's error (RoomStoppedError's cause), and
 * onStoreFailure lets the registry replace it by a room reloaded from the store, which
 * ends where the clients' own copies do (at once, or once the store is back).
 */
export class Room {
  readonly code: string;
  readonly members: Members;
  readonly replayId: string | null;
  readonly records: RoomRecords;
  training: Training;
  /** The last uploaded CSV, used when the host picks the 'csv' dataset. */
  csv: CsvChoice | null = null;
  readonly play: PlayLoop;
  /** Proposals, votes, stepping together, quizzes, races: the private side (participation/). */
  readonly participation: Participation;

  private current: SessionState;
  private readonly queue = new TaskQueue();
  /** Joins by key, so that a retried join is answered with the first one's student. */
  private readonly joinKeys = new JoinKeys(() => this.clock.now());
  private readonly clock: Clock;
  private readonly log: EventLog;
  private readonly broadcast: (events: SessionEvent[]) => void;
  private readonly maxParticipants: number;
  private readonly logger: Logger;
  private readonly onStoreFailure: (err: unknown) => void;
  /** Recorded and applied, not yet committed: broadcast by commit(). */
  private outbox: SessionEvent[] = [];
  /** Tasks running now (0 outside the queue: record() then commits at once). */
  private tasks = 0;
  private lastEventAt: number;
  private stopped = false;
  /** Why the room stopped: the store's error, which every later task is refused with. */
  private stopCause: unknown = undefined;
  /** Where the training's setup was chosen, and the seq of the last checkpoint. */
  private setupSeq: number;
  private checkpointSeq: number;

  constructor(options: RoomOptions | FromStateOptions) {
    this.code = options.code;
    this.training = options.training;
    this.clock = options.clock;
    this.log = options.log;
    this.broadcast = options.broadcast;
    this.logger = options.logger;
    this.maxParticipants = options.maxParticipants ?? DEFAULT_LIMITS.maxParticipantsPerRoom;
    this.records = options.records ?? NO_RECORDS;
    this.replayId = options.replayId ?? null;
    this.onStoreFailure = options.onStoreFailure ?? (() => undefined);
    this.play = new PlayLoop(
      this,
      options.playCpu ?? new PlayCpu(DEFAULT_LIMITS.maxPlayingRoomsPerIp),
      options.logger,
    );
    this.participation = new Participation(
      (tasks) => this.runGroup(tasks),
      options.clock,
      options.logger,
    );
    if ('state' in options) {
      this.members = options.members;
      this.current = options.state;
      this.lastEventAt = options.lastEventAt;
      this.setupSeq = options.setupSeq ?? options.state.seq;
    } else {
      this.members = new Members(options.hostToken);
      this.current = initialSessionState({
        code: options.code,
        title: options.title,
        createdAt: options.clock.now(),
        training: options.training,
        hyper: options.hyper,
      });
      this.lastEventAt = this.current.createdAt;
      this.setupSeq = 0;
    }
    this.checkpointSeq = this.current.seq;
  }

  get state(): SessionState {
    return this.current;
  }

  /** The dataset of the last uploaded CSV, if any. */
  get csvDataset(): Dataset | null {
    return this.csv?.dataset ?? null;
  }

  /** A valid CSV upload becomes the room's CSV dataset (kept in the store too). */
  acceptCsv(choice: CsvChoice): void {
    this.csv = choice;
    this.records.csvUploaded(choice.upload);
  }

  /** The JSON bytes of the recording so far (recording-budget.ts); 0 when none is kept. */
  get recordedBytes(): number {
    return this.log.bytes ?? 0;
  }

  /** Whether an event of this type may still be recorded (recording-budget.ts). */
  mayRecord(type: SessionEventBody['type']): boolean {
    return mayRecord(type, this.recordedBytes);
  }

  /** Sockets connected to the room now (host and students): none for a while means idle. */
  get socketCount(): number {
    return this.members.socketCount;
  }

  /**
   * Out of memory (the registry has dropped it): play stops, so no timer keeps the room
   * alive or reachable. A task still queued finds nobody to talk to and changes nothing
   * anyone sees.
   */
  dispose(): void {
    this.play.stop();
    this.participation.dispose();
  }

  /**
   * The time the next event will carry: the clock, but never before the last event (a
   * clock set back must not make the recording go back in time). Times derived from an
   * event's (a quiz's closing time) are computed from this.
   */
  now(): number {
    return Math.max(this.clock.now(), this.lastEventAt);
  }

  /** Whether committing failed: the room has stopped and refuses every change. */
  get hasStopped(): boolean {
    return this.stopped;
  }

  /**
   * Queues a task behind the room's other commands and play frames. Its events are
   * committed and broadcast when it ends (before the returned promise settles), whether it
   * succeeded or threw.
   */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      // Queued before the room stopped: refused as the failed commit was, not run on a
      // state that is ahead of the store.
      if (this.stopped) throw new RoomStoppedError(this.code, this.stopCause);
      this.tasks++;
      try {
        const result = await task();
        await this.commit();
        return result;
      } catch (err) {
        // What the task recorded before it threw happened: it is committed like the rest.
        if (!this.hasStopped) await this.commit();
        // A command that would record past the hard cap: its answer (every task that
        // records on a command's behalf answers a Result).
        if (err instanceof RecordingFullError) return recordingFull() as T;
        throw err;
      } finally {
        this.tasks--;
      }
    });
  }

  /**
   * Runs tasks as one turn of the queue: one after another, in order, then one commit (their
   * events in one transaction, sent as one message). Each task's outcome is its own: one
   * that throws does not stop the others. If the commit fails, the returned promise
   * rejects and none of the outcomes stands (student-lane.ts).
   */
  runGroup(tasks: readonly (() => unknown)[]): Promise<PromiseSettledResult<unknown>[]> {
    return this.run(() => runInOrder(tasks));
  }

  /**
   * The one way state changes: the next seq and the time (never earlier than the last
   * event's), appended to the log, applied to the state with the shared reducer; broadcast
   * once committed (see commit). A non-finite number refuses the event before anything
   * happens (see assert-finite.ts).
   */
  record(body: SessionEventBody, at?: number): SessionEvent {
    if (this.stopped) throw new RoomStoppedError(this.code, this.stopCause);
    if (!mayRecord(body.type, this.recordedBytes)) throw new RecordingFullError(body.type);
    const problem = findNonFinite(body);
    if (problem) throw new Error(`refusing to record a ${body.type} event: ${problem}`);
    // `at`: a time read from now() before the body was built, when the body holds times
    // derived from it (a quiz's closing time): one clock read for both.
    const t = Math.max(at ?? this.clock.now(), this.lastEventAt);
    const event = { ...body, seq: this.current.seq + 1, t } as SessionEvent;
    this.log.append(event);
    this.lastEventAt = t;
    if (event.type === 'setup-changed') this.setupSeq = event.seq;
    this.current = applyEvent(this.current, event);
    this.outbox.push(event);
    reactToEvent(this, event);
    // Outside any task (tests, a timer that forgot run()): an empty task commits it, in order.
    if (this.tasks === 0) this.commitSoon();
    return event;
  }

  /**
   * Commits the events recorded so far (one transaction, with what the room's records
   * staged beside them) and then broadcasts them. Awaited at the end of every task; a task
   * awaits it itself before talking to sockets directly (a kick tells the student after
   * everyone has seen the event). Rejects if the commit failed, after stopping the room.
   */
  async commit(): Promise<void> {
    if (this.stopped) throw new RoomStoppedError(this.code, this.stopCause);
    if (this.outbox.length === 0 && !this.log.unflushed) return;
    const events = this.outbox;
    this.outbox = [];
    this.stageCheckpointIfDue();
    try {
      await this.log.flush?.();
    } catch (err) {
      this.stop(err, events.length);
      throw new RoomStoppedError(this.code, err);
    }
    if (events.length > 0) this.broadcast(events);
  }

  private commitSoon(): void {
    this.run(() => undefined).catch((err: unknown) => {
      this.logger.error({ err, code: this.code }, 'committing an event recorded outside a task');
    });
  }

  /**
   * Every CHECKPOINT_EVERY events, where training stands, staged to commit with the events
   * that bring the store to it (see RoomRecords).
   */
  private stageCheckpointIfDue(): void {
    const { seq } = this.current;
    if (seq - this.checkpointSeq < CHECKPOINT_EVERY) return;
    const position = this.training.position();
    if (!position) return; // a staged step is open: the next commit tries again
    this.checkpointSeq = seq;
    this.records.trainingCheckpoint({ seq, setupSeq: this.setupSeq, ...position });
  }

  /** The store refused a commit: nothing more may happen here (see the class comment). */
  private stop(err: unknown, lost: number): void {
    this.stopped = true;
    this.stopCause = err;
    // The store away is an outage the registry waits out (and logs once), not a bug here.
    const level = isStoreUnavailable(err) ? 'warn' : 'error';
    this.logger[level](
      { err, code: this.code, lost: lost + this.outbox.length },
      'committing events failed: the room stops; it is reloaded from the stored state',
    );
    this.outbox = [];
    this.dispose();
    this.onStoreFailure(err);
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

  /**
   * A new student with socket `socketId`: checks the room and the name, records the join.
   * A `key` already used for a join of this room (a client's retry, join-keys.ts) is the
   * same student again: their id and token, this socket attached as by a resume.
   */
  join(
    rawName: string,
    socketId: string,
    key?: string,
  ): Result<{ participantId: string; token: string }> {
    const earlier = key === undefined ? null : this.joinKeys.get(key);
    if (earlier) {
      const resumed = this.resume(earlier.token, socketId);
      return resumed.ok ? { ok: true, ...earlier } : resumed;
    }
    if (this.current.ended) return fail('ended', 'This session has ended.');
    if (this.current.locked) return fail('locked', 'The instructor has locked this session.');
    if (!this.mayRecord('participant-joined')) return recordingFull();
    if (this.members.participantCount >= this.maxParticipants) {
      return fail('busy', `This session is full (${this.maxParticipants} participants).`);
    }
    const checked = normalizeDisplayName(rawName);
    if (!checked.ok) return fail('bad-request', checked.reason);
    if (this.members.isNameTaken(checked.name)) {
      return fail('name-taken', `Someone here is already called "${checked.name}".`);
    }
    const { id, token } = this.members.addParticipant(checked.name);
    // Kept before the event commits: a restart trusts the events, not this (restore.ts).
    this.records.participantAdded({ id, name: checked.name, token });
    this.members.attach({ role: 'student', participantId: id }, socketId);
    this.record({
      type: 'participant-joined',
      participant: { id, name: checked.name, connected: true },
    });
    if (key !== undefined) this.joinKeys.remember(key, { participantId: id, token });
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

  /**
   * Attaches one more socket of a known member; records them as connected if they were not.
   * An ended session's recording is complete: who looks at it afterwards is not recorded.
   */
  connect(identity: Identity, socketId: string): void {
    if (!this.members.attach(identity, socketId) || this.state.ended) return;
    // A full recording no longer says who comes and goes (recording-budget.ts).
    if (this.mayRecord('host-connection')) this.record(connectionEvent(identity, true));
  }

  /** A member's socket went away; records them as offline when it was their last one. */
  disconnect(identity: Identity, socketId: string): void {
    if (!this.members.detach(identity, socketId) || this.state.ended) return;
    if (this.mayRecord('host-connection')) this.record(connectionEvent(identity, false));
  }

  /** Removes a student for good; returns their sockets, to be told and disconnected. */
  kick(participantId: string): Result<{ sockets: string[] }> {
    if (!this.members.hasParticipant(participantId)) {
      return fail('not-found', 'There is no such participant in this session.');
    }
    if (!this.mayRecord('participant-kicked')) return recordingFull();
    const sockets = this.members.kick(participantId);
    this.records.participantKicked(participantId);
    this.record({ type: 'participant-kicked', id: participantId });
    return { ok: true, sockets };
  }
}

function connectionEvent(identity: Identity, connected: boolean): SessionEventBody {
  return identity.role === 'host'
    ? { type: 'host-connection', connected }
    : { type: 'participant-connection', id: identity.participantId, connected };
}
