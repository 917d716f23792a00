import type { Logger } from 'pino';
import type { SessionEvent, SessionState } from '@backprop/shared/session';
import type { Clock } from '../clock';
import { DEFAULT_LIMITS, type Limits } from '../limits';
import { newToken } from '../security/tokens';
import {
  MemoryEventLog,
  observedEventLog,
  type CommitObserver,
  type EventLog,
} from '../room/event-log';
import { initialSessionState } from '../room/initial-state';
import { Members } from '../room/members';
import { NO_RECORDS } from '../room/room-records';
import { MAX_SYNC_EVENTS, Room, type FromStateOptions } from '../room/room';
import { isStoreUnavailable, StoreError, StoreEventLog, type AsyncStore } from '../store';
import { hostPlay } from '../room/host-commands';
import { defaultTraining } from '../training/defaults';
import { afterRestart } from './after-restart';
import { HeldRooms } from './held-rooms';
import { IdleRooms } from './idle-rooms';
import { newJoinCode } from './join-code';
import { restoreSession } from './restore';
import { storeRecords } from './store-records';
import { PlayCpu } from '../room/play-cpu';
import { keyframeInterval } from './keyframe-policy';

/**
 * Events between two keyframes in the store (keyframe-policy.ts: sized to the network).
 * Larger than the replay's in-memory interval: a keyframe is the whole state (the loss
 * history alone is up to 2000 points), and a seek on the server reads at most this many
 * lean events after one (docs/recordings.md).
 */
export { STORE_KEYFRAME_INTERVAL } from './keyframe-policy';

export interface RegistryDeps {
  clock: Clock;
  logger: Logger;
  /**
   * Where every session is kept: rooms are created in it, commit their events to it, and
   * come back from it (after a restart, or once their idle room has left memory). Without
   * one (some tests), rooms live in memory only. Asynchronous: SQLite (asyncSqliteStore)
   * or Postgres, and a room awaits its commits (room.ts).
   */
  store?: AsyncStore;
  /** The event log of a new room, instead of the store's (tests of other concerns). */
  createLog?: () => EventLog;
  /**
   * Sends events (one commit's, in seq order) to every socket of the room `code`. The app
   * that serves the registry replaces it (setBroadcast), so one registry can outlive a
   * restarted socket layer.
   */
  broadcast: (code: string, events: SessionEvent[]) => void;
  /** Room caps and idle expiry; DEFAULT_LIMITS when left out. */
  limits?: Pick<
    Limits,
    'maxRooms' | 'maxParticipantsPerRoom' | 'maxPlayingRoomsPerIp' | 'roomIdleMs' | 'idleSweepMs'
  >;
  /**
   * Called when a room leaves memory (idle, or abandoned at creation): the hook where
   * persistence keeps its recording. The room's timers are already stopped.
   */
  onDispose?: (room: Room, reason: DisposeReason) => void;
  /**
   * One owner per room when several nodes share the store (cluster/room-leases.ts): a
   * room is only created or brought back here once this node holds its lease, and the
   * lease is given up when the room leaves memory. Without it (one node) every room is
   * this node's.
   */
  ownership?: RoomOwnership;
}

/** What the registry needs of the room leases: taking one, and giving it up. */
export interface RoomOwnership {
  /**
   * Takes the room's lease; false when another node holds it (or may, just after a Redis
   * restart). `created`: a code just made here, which nobody else can hold.
   */
  acquire(code: string, options?: { created?: boolean }): Promise<boolean>;
  release(code: string): Promise<void>;
}

/**
 * 'deleted': its recording was deleted (an ended session still in memory); 'lease-lost':
 * another node may own it now (RoomLeases' onLost), so nothing more may happen here;
 * 'on-hold': its commit failed because the store is unavailable: the room comes back from
 * the store once it is there again (held-rooms.ts), its clients and its lease are kept;
 * 'store-failed': the store refused its commit otherwise (the fence: another node took
 * the room) or it could not be brought back.
 */
export type DisposeReason =
  'idle' | 'abandoned' | 'store-failed' | 'on-hold' | 'deleted' | 'lease-lost';

/** Codes tried in the store before a create gives up (a collision is already rare). */
const CREATE_ATTEMPTS = 10;

/**
 * Drops the sockets of a room: on every node of a cluster, or on this node only (the
 * same on one node).
 */
export type RoomDisconnect = (code: string, where: 'everywhere' | 'this-node') => void;

/**
 * Why a session could not be opened ('elsewhere': another node holds its lease;
 * 'unavailable': it is on hold until the recordings store is back; 'unreachable': the leases
 * cannot be read, Redis is away).
 */
export type OpenRefusal =
  'not-found' | 'ended' | 'busy' | 'elsewhere' | 'unavailable' | 'unreachable';

/** The live rooms by join code. */
export class SessionRegistry {
  private readonly rooms = new Map<string, Room>();
  private readonly limits: NonNullable<RegistryDeps['limits']>;
  private readonly idle: IdleRooms;
  /** The CPU all rooms play on, shared fairly (play-cpu.ts). */
  private readonly playCpu: PlayCpu;
  private broadcastTo: RegistryDeps['broadcast'];
  private disconnect: RoomDisconnect = () => undefined;
  private holdNotice: (code: string) => void = () => undefined;
  /** Rooms waiting for the store to come back (not in `rooms`). */
  private readonly held: HeldRooms;
  private commitObserver: CommitObserver | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  /** Codes being created in the store now (they are in neither `rooms` nor the store yet). */
  private readonly creating = new Set<string>();
  /** Rooms being brought back from the store, so two resumes share one restore. */
  private readonly restoring = new Map<string, Promise<Room | OpenRefusal>>();

  constructor(private readonly deps: RegistryDeps) {
    this.limits = deps.limits ?? DEFAULT_LIMITS;
    this.idle = new IdleRooms(this.limits.roomIdleMs);
    this.playCpu = new PlayCpu(this.limits.maxPlayingRoomsPerIp);
    this.broadcastTo = deps.broadcast;
    this.held = new HeldRooms({
      bringBack: (code) => this.bringBack(code),
      giveUp: (code) => this.dispose(code, 'store-failed'),
      logger: deps.logger,
    });
  }

  /** Where events go from now on (a new socket layer over the same rooms). */
  setBroadcast(broadcast: RegistryDeps['broadcast']): void {
    this.broadcastTo = broadcast;
  }

  /** How to drop the sockets of a room (one whose store failed: its clients reconnect). */
  setDisconnect(disconnect: RoomDisconnect): void {
    this.disconnect = disconnect;
  }

  /** How to tell a room's sockets that it is on hold (the store is unavailable). */
  setHoldNotice(notice: (code: string) => void): void {
    this.holdNotice = notice;
  }

  /** Rooms on hold now (not counted in `size`). */
  get heldCount(): number {
    return this.held.size;
  }

  /** Whether the room `code` is on hold until the recordings store is back. */
  isHeld(code: string): boolean {
    return this.held.has(code);
  }

  /** Who is told of every room's commits from now on (the metrics of the app serving it). */
  setCommitObserver(observer: CommitObserver): void {
    this.commitObserver = observer;
  }

  get store(): AsyncStore | null {
    return this.deps.store ?? null;
  }

  /** Whether the server holds as many rooms as it may (limits.maxRooms). */
  get isFull(): boolean {
    return this.rooms.size + this.held.size >= this.limits.maxRooms;
  }

  /** A new room with the default setup; the secret host token is returned once, here. */
  async create(title: string): Promise<{ room: Room; hostToken: string }> {
    this.refuseIfFull();
    const { store } = this.deps;
    const hostToken = newToken();
    const { training, hyper } = defaultTraining();
    const createdAt = this.deps.clock.now();
    let code: string;
    let state: SessionState;
    let replayId: string | null = null;
    for (let attempt = 1; ; attempt++) {
      if (attempt > CREATE_ATTEMPTS) throw new Error('could not find a free join code');
      // Codes of old sessions stay taken: a join code must never reach someone else's
      // recording. The store has the last word (its unique key): another node, or a
      // create racing this one, may take the code between the check and the insert.
      code = newJoinCode((c) => this.rooms.has(c) || this.creating.has(c));
      state = initialSessionState({ code, title, createdAt, training, hyper });
      if (!store) break;
      this.creating.add(code);
      try {
        const record = (await store.codeInUse(code))
          ? null
          : await store.createSession({ code, title, createdAt, hostToken, initial: state });
        if (record) {
          replayId = record.replayId;
          break;
        }
      } catch (err) {
        if (!(err instanceof StoreError)) throw err;
      } finally {
        this.creating.delete(code);
      }
    }
    // Rooms may have been made while the store was busy: the cap holds all the same.
    if (this.isFull) {
      if (store) await store.deleteRecording(code);
      this.refuseIfFull();
    }
    // A new code: nobody else holds its lease. If it cannot be taken (Redis unreachable),
    // the session is given up: nobody will ever hold its host token.
    if (this.deps.ownership) {
      const taken = await this.deps.ownership
        .acquire(code, { created: true })
        .catch((err: unknown) => err);
      if (taken !== true) {
        if (store) await store.deleteRecording(code);
        if (taken instanceof Error) throw taken;
        throw new Error(`the lease of the new session ${code} is held by another node`);
      }
    }
    const log = store && !this.deps.createLog ? await this.storeLog(store, code, state) : null;
    const room = this.build({
      code,
      training,
      state,
      members: new Members(hostToken),
      lastEventAt: createdAt,
      replayId,
      log,
    });
    this.rooms.set(code, room);
    this.deps.logger.info({ code }, 'session created');
    return { room, hostToken };
  }

  private refuseIfFull(): void {
    if (this.isFull) throw new Error(`the server already holds ${this.rooms.size} rooms`);
  }

  get(code: string): Room | undefined {
    return this.rooms.get(code);
  }

  /**
   * The room `code`, from memory or else brought back from the store (restore.ts) as it
   * was at its last event, paused and with nobody connected (after-restart.ts).
   */
  async open(code: string): Promise<Room | OpenRefusal> {
    const room = this.rooms.get(code);
    if (room) return room;
    if (!this.deps.store) return 'not-found';
    if (this.held.has(code)) return 'unavailable';
    let pending = this.restoring.get(code);
    if (!pending) {
      pending = this.restore(code).finally(() => this.restoring.delete(code));
      this.restoring.set(code, pending);
    }
    return pending;
  }

  private async restore(code: string): Promise<Room | OpenRefusal> {
    const store = this.deps.store!;
    const record = await store.session(code);
    if (!record) return 'not-found';
    if (record.endedAt !== null) return 'ended';
    if (this.isFull) return 'busy';
    const { ownership } = this.deps;
    if (!ownership) return this.restoreOwned(store, code);
    // The lease first: the room is brought back only by the node that will run it.
    const taken = await ownership.acquire(code).catch(() => null);
    if (taken === null) return 'unreachable';
    if (!taken) return 'elsewhere';
    try {
      const room = await this.restoreOwned(store, code);
      if (typeof room === 'string') await ownership.release(code);
      return room;
    } catch (err) {
      await ownership.release(code).catch(() => undefined);
      throw err;
    }
  }

  /**
   * A room on hold, brought back by the restore path once the store answers; rejects (and
   * the hold probes again) while it does not. The room's commit failed, so its clients
   * hold nothing the store does not: they resume, and play goes on if it was on.
   */
  private async bringBack(code: string): Promise<void> {
    const room = await this.restoreOwned(this.deps.store!, code, { resumePlay: true });
    if (typeof room === 'string') throw new Error(`session ${code} cannot come back: ${room}`);
  }

  private async restoreOwned(
    store: AsyncStore,
    code: string,
    { resumePlay = false } = {},
  ): Promise<Room | OpenRefusal> {
    const started = performance.now();
    const restored = await restoreSession(store, code, this.deps.logger);
    if (!restored) return 'ended';
    const log = this.deps.createLog ? null : await this.storeLog(store, code, restored.state);
    // Another restore cannot have won meanwhile (they share `restoring`), but be sure.
    const existing = this.rooms.get(code);
    if (existing) return existing;
    const room = this.build({
      log,
      code,
      training: restored.training,
      state: restored.state,
      members: restored.members,
      lastEventAt: restored.lastEventAt,
      setupSeq: restored.setupSeq,
      replayId: restored.record.replayId,
    });
    room.csv = restored.csv;
    this.rooms.set(code, room);
    // Cluster mode: sockets still in the room's channel (on any node) were the previous
    // owner's clients, which this node has no record of: they resume, here or via here.
    if (this.deps.ownership && !resumePlay) this.disconnect(code, 'everywhere');
    this.deps.logger.info(
      {
        code,
        seq: restored.state.seq,
        from: restored.resimulatedFrom,
        ms: Math.round(performance.now() - started),
      },
      'session restored from the store',
    );
    await room.run(() => {
      const playing = room.state.playing;
      afterRestart(room);
      if (resumePlay && playing) this.resumePlay(room);
    });
    // A held room's clients (on every node) stay connected until it has committed again:
    // while the store is still away they keep being told so. They hold every event up to
    // here and the restored room has no record of them: they resume, and are caught up.
    if (resumePlay) this.disconnect(code, 'everywhere');
    return room;
  }

  /** Play on again in a room that was playing when its store went away (as the host would). */
  private resumePlay(room: Room): void {
    const started = hostPlay(room, true);
    if (!started.ok) {
      this.deps.logger.warn({ code: room.code, reason: started.error }, 'play did not resume');
    }
  }

  /** The store refused a room's commit: on hold if it is only away, else the room is dropped. */
  private storeFailed(code: string, err: unknown): void {
    this.dispose(code, this.deps.store && isStoreUnavailable(err) ? 'on-hold' : 'store-failed');
  }

  /** The event log of a room on the store, at the session's last committed event. */
  private storeLog(store: AsyncStore, code: string, state: SessionState): Promise<StoreEventLog> {
    return StoreEventLog.open(store, code, { state, keyframeInterval, maxSince: MAX_SYNC_EVENTS });
  }

  /**
   * A room from its state (new or restored), wired to the store's log when given one, else
   * to createLog's or a log in memory.
   */
  private build(
    options: Pick<
      FromStateOptions,
      'code' | 'training' | 'state' | 'members' | 'lastEventAt' | 'setupSeq'
    > & {
      replayId: string | null;
      log: StoreEventLog | null;
    },
  ): Room {
    const { code, log: storeLog, ...rest } = options;
    const log = storeLog ?? this.deps.createLog?.() ?? new MemoryEventLog();
    return new Room({
      ...rest,
      code,
      clock: this.deps.clock,
      logger: this.deps.logger,
      log: observedEventLog(log, (events, seconds) => this.commitObserver?.(events, seconds)),
      broadcast: (events) => this.broadcastTo(code, events),
      maxParticipants: this.limits.maxParticipantsPerRoom,
      playCpu: this.playCpu,
      records: storeLog ? storeRecords(storeLog, code) : NO_RECORDS,
      onStoreFailure: (err) => this.storeFailed(code, err),
    });
  }

  get size(): number {
    return this.rooms.size;
  }

  /**
   * Starts the idle sweeper, and play in rooms whose state says playing (rooms kept over
   * a restart of the socket layer). Called by the app that serves the registry.
   */
  start(): void {
    this.stopSweeper();
    this.sweeper = setInterval(() => this.sweepIdle(), this.limits.idleSweepMs);
    // The sweeper alone must not keep a process alive.
    this.sweeper.unref();
    for (const room of this.rooms.values()) {
      if (room.state.playing && !room.state.ended && !room.play.running) room.play.start();
    }
  }

  /** Stops every play timer and the sweeper, so a closing server has nothing scheduled. */
  stopAll(): void {
    this.stopSweeper();
    this.held.forgetAll();
    for (const room of this.rooms.values()) {
      room.play.stop();
      room.participation.dispose();
    }
  }

  /** Disposes the rooms that have had no socket for limits.roomIdleMs; returns their codes. */
  sweepIdle(): string[] {
    const idle = this.idle.sweep(this.rooms.values(), this.deps.clock.now());
    for (const code of idle) this.dispose(code, 'idle');
    return idle;
  }

  /** Takes a room out of memory: its timers stop, its code is free, the hook is told. */
  dispose(code: string, reason: DisposeReason): void {
    const room = this.rooms.get(code);
    // A held room let go (its lease lost, given up): its clients and lease as for a room.
    const wasHeld = reason !== 'on-hold' && this.held.has(code);
    if (wasHeld) this.held.forget(code);
    if (!room && !wasHeld) return;
    if (room) {
      this.rooms.delete(code);
      this.idle.forget(code);
      room.dispose();
    }
    this.deps.logger.info({ code, reason }, 'session disposed');
    if (reason === 'on-hold') {
      // Its clients stay, told why their commands are refused meanwhile; its lease stays.
      if (this.held.hold(code)) {
        this.deps.logger.warn(
          { code },
          'the recordings store is unavailable: session on hold until it is back',
        );
        this.holdNotice(code);
      }
      return;
    }
    // Its clients reconnect: to the reloaded room, or to the node that owns it now.
    if (reason === 'deleted') this.disconnect(code, 'everywhere');
    // Cluster mode: only this node's sockets. After a lost lease the new owner has (or
    // will have) the others; after a failed commit (also what a stale owner's fenced
    // commit gets) the other nodes' clients may be the new owner's, and if not, their
    // node's failover watch finds the lease free and brings the room back (failover.ts).
    if (reason === 'lease-lost' || reason === 'store-failed') {
      this.disconnect(code, this.deps.ownership ? 'this-node' : 'everywhere');
    }
    if (reason !== 'lease-lost') {
      this.deps.ownership?.release(code).catch((err: unknown) => {
        this.deps.logger.warn({ err, code }, 'a room lease was not released');
      });
    }
    // Nobody ever held an abandoned room's host token: there is nothing worth keeping.
    if (reason === 'abandoned') {
      this.deps.store?.deleteRecording(code).catch((err: unknown) => {
        this.deps.logger.warn({ err, code }, 'an abandoned recording was not deleted');
      });
    }
    if (!room) return;
    try {
      this.deps.onDispose?.(room, reason);
    } catch (err) {
      this.deps.logger.error({ err, code }, 'dispose hook failed');
    }
  }

  private stopSweeper(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }
}
