/**
 * The server's CPU for continuous play, shared fairly between the rooms that play: one
 * Node thread serves every class, so a room's training slice is time every other room
 * (and every command, every /healthz) waits for. Each frame period (50 ms), playing rooms
 * may use SERVER_SHARE_MS together, split evenly: one room alone gets ROOM_SLICE_MS, twenty
 * get 1.25 ms each. A room's slice covers its whole frame, measured (training, the frame
 * event, the commit, the broadcast): what a frame overspends is paid back by the next ones
 * (PlayLoop), so a big network trains fewer steps a second rather than taking more time.
 * And one address may keep only so many rooms playing (docs/limits.md, "Play").
 */
import { fail, type Result } from '@backprop/shared/protocol';

/** Training (and its frames) may use this much of each 50 ms frame period, all rooms together. */
export const SERVER_SHARE_MS = 20;
/** The most one room may use of each frame period, however few rooms play. */
export const ROOM_SLICE_MS = 20;

export class PlayCpu {
  /** Playing rooms by their code, with the address of the host who started play. */
  private readonly playing = new Map<string, string>();

  constructor(private readonly maxPlayingPerAddress: number) {}

  /** Rooms playing now. */
  get count(): number {
    return this.playing.size;
  }

  /** This frame's slice of each playing room (ms). */
  sliceMs(): number {
    return Math.min(ROOM_SLICE_MS, SERVER_SHARE_MS / Math.max(1, this.playing.size));
  }

  /**
   * Room `code` starts playing for a host at `address` (null: not from a socket, e.g. a
   * room that was playing when the server restarted). Refused past the per-address cap.
   */
  admit(code: string, address: string | null): Result {
    if (this.playing.has(code)) return { ok: true };
    if (address !== null) {
      let same = 0;
      for (const other of this.playing.values()) if (other === address) same++;
      if (same >= this.maxPlayingPerAddress) {
        return fail(
          'busy',
          `Already ${same} sessions are playing from your network address (the most ` +
            `this server allows). Pause one of them first.`,
        );
      }
    }
    this.playing.set(code, address ?? '');
    return { ok: true };
  }

  release(code: string): void {
    this.playing.delete(code);
  }
}
