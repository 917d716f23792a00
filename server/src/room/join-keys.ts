/**
 * A join sent again with the same key must not add a second student. A client retries a
 * join that was answered `busy` or not at all (in a cluster, a join storm can keep the
 * room's owner past the forwarding timeout: cluster/forwarding.ts), and the first attempt
 * may still have gone through. So the room remembers, for a while, which participant and
 * token each key's join made, and answers a repeat with them (room.ts `join`).
 *
 * The key is as hard to guess as a token (the schema asks 16 or more characters), since
 * it gets the token back. The tokens themselves are kept here only for this window, in
 * memory (the store and Members keep only their hashes); a restored room has none, so a
 * retry that reaches a room restored meanwhile is judged afresh (if the first attempt had
 * committed, its name is taken: the retry is refused, and that student's token is lost).
 */

/** Long enough for a client's retries with backoff (under a minute in the browser). */
export const JOIN_KEY_MS = 5 * 60_000;
/** Far above any class's joins within JOIN_KEY_MS; a bound on the memory all the same. */
export const MAX_JOIN_KEYS = 4096;

export interface KeyedJoin {
  participantId: string;
  token: string;
}

export class JoinKeys {
  /** In the order remembered, so the oldest are first. */
  private readonly joins = new Map<string, KeyedJoin & { at: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = JOIN_KEY_MS,
    private readonly max = MAX_JOIN_KEYS,
  ) {}

  /** The join this key made within the window, or null. */
  get(key: string): KeyedJoin | null {
    this.prune();
    const found = this.joins.get(key);
    return found ? { participantId: found.participantId, token: found.token } : null;
  }

  remember(key: string, join: KeyedJoin): void {
    this.prune();
    if (this.joins.size >= this.max) this.joins.delete(this.joins.keys().next().value!);
    this.joins.set(key, { ...join, at: this.now() });
  }

  private prune(): void {
    const before = this.now() - this.ttlMs;
    for (const [key, join] of this.joins) {
      if (join.at > before) return;
      this.joins.delete(key);
    }
  }
}
