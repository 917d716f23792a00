/**
 * The server's CPU for continuous play, shared fairly between the rooms that play. One Node
 * thread serves every class, so a room's frame is time every other room (and every
 * command, every /healthz) waits for. Hence one scheduler for all playing rooms, not a
 * timer per room:
 *
 * - One frame at a time, round-robin, with a turn of the event loop (setImmediate) between
 *   two frames: sockets, HTTP and other rooms' commands get in after every frame, so what
 *   anyone waits for is one frame, never twenty timers that fired together.
 * - A budget: playing rooms earn SERVER_SHARE of the wall clock together, split evenly
 *   (one room alone: 20 ms of every 50; twenty: 1 ms of every 50 each). A frame costs what
 *   it held the event loop, measured (training, the fit, the frame event, the commit, the
 *   broadcast, a checkpoint), and a room waits until its balance has paid for it. A frame
 *   trains for its balance minus what its other work usually costs, and runs only once the
 *   balance is worth it, so a room with a costly frame (a big network) gets fewer, larger
 *   frames and fewer steps a second rather than more of the server.
 * - At most MAX_FRAMES_PER_SECOND frames a second per room (frames come FRAME_MS apart).
 *
 * And one address may keep only so many rooms playing (docs/limits.md, "Play").
 */
import { fail, type Result } from '@backprop/shared/protocol';

/** Playing rooms together earn this fraction of the wall clock (20 ms of every 50 ms). */
export const SERVER_SHARE = 0.4;
/** The most a room may save up, and so the longest a frame may train (ms). */
export const ROOM_SLICE_MS = 20;
/**
 * The most a room may owe: a frame is paid back in full (a big network's weights, a
 * checkpoint), but a pause of the whole process (a machine waking up) does not stop it for
 * more than this.
 */
export const MAX_DEBT_MS = 1000;
export const MAX_FRAMES_PER_SECOND = 20;
export const FRAME_MS = 1000 / MAX_FRAMES_PER_SECOND;
/**
 * A frame runs once the room has saved this many times what a frame costs besides training
 * (capped at one slice), so that at least two thirds of its CPU trains: a big network's
 * frame (its test loss alone is milliseconds) comes less often and trains longer.
 */
const SAVE_FACTOR = 3;
/** And at least this long, so a cheap frame still trains a step or more. */
const MIN_TRAIN_MS = 0.5;

/** What one frame of a room did: how long it held the event loop, how much of it trained. */
export interface FrameCost {
  costMs: number;
  trainedMs: number;
}

/** A playing room, as the scheduler sees it. */
export interface Player {
  /**
   * Runs one frame that trains for at most `trainMs` (0: none, but the frame may still be
   * due for other reasons); resolves once its events are committed and broadcast.
   */
  frame(trainMs: number): Promise<FrameCost>;
}

interface Entry {
  player: Player;
  address: string;
  /** CPU time (ms) the room may still use; negative while it pays a frame back. */
  balance: number;
  /** When its next frame may start (performance.now()). */
  dueAt: number;
  /** A frame of it is queued or running. */
  busy: boolean;
  /** What a frame costs besides training (the fit, the event, commit, broadcast), smoothed. */
  overheadMs: number;
}

export class PlayCpu {
  /** Playing rooms by their code, in the order of their turns. */
  private readonly rooms = new Map<string, Entry>();
  /** The code of the room whose turn came last: the next turn starts after it. */
  private last: string | null = null;
  private lastRefillAt = performance.now();
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly maxPlayingPerAddress: number) {}

  /** Rooms playing now. */
  get count(): number {
    return this.rooms.size;
  }

  /** The fraction of the wall clock each playing room earns now. */
  roomShare(): number {
    return SERVER_SHARE / Math.max(1, this.rooms.size);
  }

  /**
   * Room `code` starts playing for a host at `address` (null: not from a socket, e.g. a
   * room that was playing when the server restarted). Refused past the per-address cap.
   * Its first frame comes one frame period from now.
   */
  admit(code: string, address: string | null, player: Player): Result {
    const existing = this.rooms.get(code);
    if (existing) {
      existing.player = player;
      return { ok: true };
    }
    if (address !== null) {
      let same = 0;
      for (const other of this.rooms.values()) if (other.address === address) same++;
      if (same >= this.maxPlayingPerAddress) {
        return fail(
          'busy',
          `Already ${same} sessions are playing from your network address (the most ` +
            `this server allows). Pause one of them first.`,
        );
      }
    }
    this.refill(performance.now());
    this.rooms.set(code, {
      player,
      address: address ?? '',
      balance: 0,
      dueAt: performance.now() + FRAME_MS,
      busy: false,
      overheadMs: 0,
    });
    this.wake();
    return { ok: true };
  }

  release(code: string): void {
    if (!this.rooms.delete(code)) return;
    if (this.last === code) this.last = null;
    if (this.rooms.size === 0) this.sleep();
  }

  /** Each room earns its share of the time since the last refill, up to one slice saved. */
  private refill(now: number): void {
    const earned = (now - this.lastRefillAt) * this.roomShare();
    this.lastRefillAt = now;
    for (const entry of this.rooms.values()) {
      entry.balance = Math.min(ROOM_SLICE_MS, entry.balance + earned);
    }
  }

  /** What a room must have saved before a frame is worth running. */
  private threshold(entry: Entry): number {
    return Math.min(ROOM_SLICE_MS, SAVE_FACTOR * entry.overheadMs + MIN_TRAIN_MS);
  }

  /** The next turn, after whatever the event loop has waiting (sockets, HTTP, commands). */
  private wake(): void {
    if (this.immediate || this.rooms.size === 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.immediate = setImmediate(() => {
      this.immediate = null;
      this.turn();
    });
  }

  private sleep(): void {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = null;
    this.timer = null;
  }

  /** Starts the frame of the next room (round-robin) that is due and has paid for it. */
  private turn(): void {
    const now = performance.now();
    this.refill(now);
    const entry = this.nextReady(now);
    if (!entry) {
      this.sleepUntilReady(now);
      return;
    }
    const { code, room } = entry;
    this.last = code;
    room.busy = true;
    const trainMs = Math.max(0, Math.min(ROOM_SLICE_MS, room.balance) - room.overheadMs);
    room.player
      .frame(trainMs)
      .then(
        ({ costMs, trainedMs }) => {
          room.balance = Math.max(-MAX_DEBT_MS, room.balance - costMs);
          room.overheadMs = 0.8 * room.overheadMs + 0.2 * Math.max(0, costMs - trainedMs);
        },
        () => undefined, // the player reports its own failures (PlayLoop.failed)
      )
      .finally(() => {
        room.busy = false;
        // Frames keep a cadence; behind by more than a period, it restarts from now.
        const at = performance.now();
        room.dueAt = at - room.dueAt > FRAME_MS ? at : room.dueAt + FRAME_MS;
        this.wake();
      });
    // The next room's frame after a turn of the event loop, not in this one.
    this.wake();
  }

  private nextReady(now: number): { code: string; room: Entry } | null {
    const codes = [...this.rooms.keys()];
    const start = this.last === null ? 0 : codes.indexOf(this.last) + 1;
    for (let k = 0; k < codes.length; k++) {
      const code = codes[(start + k) % codes.length]!;
      const room = this.rooms.get(code)!;
      if (!room.busy && room.dueAt <= now && room.balance >= this.threshold(room)) {
        return { code, room };
      }
    }
    return null;
  }

  /** Nobody is ready: wait for the first room that will be (its cadence, its balance). */
  private sleepUntilReady(now: number): void {
    const rate = this.roomShare();
    let soonest = Infinity;
    for (const room of this.rooms.values()) {
      if (room.busy) continue; // its frame's end wakes the scheduler
      const paid = now + Math.max(0, this.threshold(room) - room.balance) / rate;
      soonest = Math.min(soonest, Math.max(room.dueAt, paid));
    }
    if (soonest === Infinity) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.wake();
      },
      Math.max(1, soonest - now),
    );
  }
}
