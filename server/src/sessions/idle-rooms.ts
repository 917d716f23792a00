/**
 * Which rooms nobody uses any more. A room is idle while no socket is connected to it
 * (every command comes from a connected socket, so no socket also means no command);
 * after `idleMs` of that it is disposed from memory. Checked every sweep rather than on
 * each disconnect, so a class that drops off the Wi-Fi and comes back costs nothing.
 */
export interface IdleCandidate {
  readonly code: string;
  /** Sockets connected to the room right now. */
  readonly socketCount: number;
}

export class IdleRooms {
  /** When each room was first seen without sockets (by this sweeper's clock). */
  private readonly emptySince = new Map<string, number>();

  constructor(private readonly idleMs: number) {}

  /** The codes of rooms idle for at least idleMs at `now`. */
  sweep(rooms: Iterable<IdleCandidate>, now: number): string[] {
    const idle: string[] = [];
    const seen = new Set<string>();
    for (const room of rooms) {
      seen.add(room.code);
      if (room.socketCount > 0) {
        this.emptySince.delete(room.code);
        continue;
      }
      const since = this.emptySince.get(room.code);
      if (since === undefined) this.emptySince.set(room.code, now);
      else if (now - since >= this.idleMs) idle.push(room.code);
    }
    for (const code of this.emptySince.keys()) if (!seen.has(code)) this.emptySince.delete(code);
    return idle;
  }

  forget(code: string): void {
    this.emptySince.delete(code);
  }
}
