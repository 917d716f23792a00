/** What nextId reads: only where the session's seq stands (not the whole Room). */
export interface SeqSource {
  readonly state: { readonly seq: number };
}

/**
 * The id of what the next recorded event creates: a prefix and that event's seq ("p12",
 * "v40"). Unique in the session, readable in logs and tests, and the same when the events
 * are replayed, because it is written into the event.
 */
export function nextId(room: SeqSource, prefix: 'p' | 'v' | 'q' | 'r'): string {
  return `${prefix}${room.state.seq + 1}`;
}
