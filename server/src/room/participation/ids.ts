import type { Room } from '../room';

/**
 * The id of what the next recorded event creates: a prefix and that event's seq ("p12",
 * "v40"). Unique in the session, readable in logs and tests, and the same when the events
 * are replayed, because it is written into the event.
 */
export function nextId(room: Room, prefix: 'p' | 'v' | 'q' | 'r'): string {
  return `${prefix}${room.state.seq + 1}`;
}
