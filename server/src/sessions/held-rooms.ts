/**
 * Rooms on hold while the recordings store is unavailable (Postgres stopped, a full disk).
 *
 * A room whose commit failed that way has already left memory (its state was ahead of the
 * store); its code is held here, its clients stay connected and are answered 'unavailable',
 * and the store is probed for it: first after `firstMs`, then twice as long each time up to
 * `maxMs` (1 s by default). A probe is bringing the room back by the one restore path
 * (`bringBack`, given by the registry): it succeeds only once the store can be read and
 * the restored room's first events committed. A probe that fails because the store is
 * still away is tried again; one that fails for any other reason gives the room up
 * (`giveUp`), as a failed commit did before there was a hold.
 */
import type { Logger } from 'pino';
import { isStoreUnavailable } from '../store/store-unavailable';

export interface HeldRoomsDeps {
  /** Restores the room `code` from the store and puts it back in service; rejects if not. */
  bringBack(code: string): Promise<void>;
  /** The room could not be brought back for a reason other than the store being away. */
  giveUp(code: string, err: unknown): void;
  logger: Logger;
  /** The first probe's delay, and the longest between two (ms). */
  firstMs?: number;
  maxMs?: number;
}

/** Probe delays when not told otherwise: 250 ms, 500 ms, then every second. */
export const STORE_PROBE_FIRST_MS = 250;
export const STORE_PROBE_MAX_MS = 1000;

interface Hold {
  since: number;
  delayMs: number;
  /** Null while a probe runs: the next is scheduled when it has failed. */
  timer: NodeJS.Timeout | null;
}

export class HeldRooms {
  private readonly held = new Map<string, Hold>();
  private readonly firstMs: number;
  private readonly maxMs: number;

  constructor(private readonly deps: HeldRoomsDeps) {
    this.firstMs = deps.firstMs ?? STORE_PROBE_FIRST_MS;
    this.maxMs = deps.maxMs ?? STORE_PROBE_MAX_MS;
  }

  has(code: string): boolean {
    return this.held.has(code);
  }

  get size(): number {
    return this.held.size;
  }

  /** Holds `code` and starts probing; true if it was not held yet (a probe's own failure). */
  hold(code: string): boolean {
    if (this.held.has(code)) return false;
    const hold: Hold = { since: Date.now(), delayMs: this.firstMs, timer: null };
    this.held.set(code, hold);
    this.schedule(code, hold);
    return true;
  }

  /** Stops holding `code` (its lease was lost, the server closes): no more probes. */
  forget(code: string): void {
    const hold = this.held.get(code);
    if (!hold) return;
    if (hold.timer) clearTimeout(hold.timer);
    this.held.delete(code);
  }

  forgetAll(): void {
    for (const code of [...this.held.keys()]) this.forget(code);
  }

  private schedule(code: string, hold: Hold): void {
    hold.timer = setTimeout(() => void this.probe(code, hold), hold.delayMs);
    // A probe alone must not keep a closing process alive.
    hold.timer.unref();
    hold.delayMs = Math.min(hold.delayMs * 2, this.maxMs);
  }

  private async probe(code: string, hold: Hold): Promise<void> {
    hold.timer = null;
    try {
      await this.deps.bringBack(code);
      if (this.held.get(code) !== hold) return; // forgotten meanwhile
      this.held.delete(code);
      this.deps.logger.info(
        { code, heldMs: Date.now() - hold.since },
        'the recordings store is back: session resumed',
      );
    } catch (err) {
      if (this.held.get(code) !== hold) return; // given up or forgotten meanwhile
      if (isStoreUnavailable(err)) {
        this.deps.logger.debug({ code, err }, 'store probe: still unavailable');
        this.schedule(code, hold);
        return;
      }
      this.deps.logger.error({ err, code }, 'a session on hold could not be brought back');
      // Still held while the registry lets it go (it forgets the hold then).
      this.deps.giveUp(code, err);
      this.held.delete(code);
    }
  }
}
