/**
 * The room's store failed a commit: nothing the room holds may be used any more (its state
 * is ahead of the store). `cause` is the store's error, which says whether the store is
 * only away (store/store-unavailable.ts) or refused the commit.
 */
export class RoomStoppedError extends Error {
  override name = 'RoomStoppedError';
  constructor(code: string, cause?: unknown) {
    super(`session ${code} has stopped: its events could not be saved`, { cause });
  }
}
