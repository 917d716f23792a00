/**
 * An imported recording file becomes a recording of this server: validated in full first
 * (decodeRecording: the first problem refuses the file with its line), then stored in ONE
 * transaction — the session, every event, keyframes, the attached CSV files — so a file
 * that fails anywhere leaves nothing behind.
 *
 * Imported recordings are replays only: their key in the store is not a join code (no
 * join or resume can reach them), and they are deleted with a token handed to the
 * importer, as a session's own recording is with its host token.
 */
import { randomBytes } from 'node:crypto';
import { decodeRecording, type Keyframe } from '@backprop/shared/recording';
import { applyEvent } from '@backprop/shared/session';
import { newToken } from '../security/tokens';
import { STORE_KEYFRAME_INTERVAL } from '../sessions/registry';
import type { Store } from '../store';

/** Keys of imported recordings: never a join code (those are 6 letters and digits). */
export const IMPORTED_PREFIX = 'import:';

export function isImported(code: string): boolean {
  return code.startsWith(IMPORTED_PREFIX);
}

/** Throws RecordingError (nothing stored) for a bad file. */
export function importRecording(
  store: Store,
  text: string,
): { replayId: string; deleteToken: string } {
  const { header, events } = decodeRecording(text);
  const { initial } = header;
  const code = `${IMPORTED_PREFIX}${randomBytes(12).toString('base64url')}`;
  const deleteToken = newToken();
  const keyframes: Keyframe[] = [];
  let state = initial;
  for (const event of events) {
    state = applyEvent(state, event);
    if (event.seq % STORE_KEYFRAME_INTERVAL === 0) keyframes.push({ seq: event.seq, state });
  }
  const record = store.transaction(() => {
    const created = store.createSession({
      code,
      title: initial.title,
      createdAt: initial.createdAt,
      hostToken: deleteToken,
      initial,
    });
    store.appendEvents(code, events, keyframes);
    for (const file of header.csv ?? [])
      store.putCsvSetup(code, file.seq, { ...file, uploadedAt: header.exportedAt });
    return created;
  });
  return { replayId: record.replayId, deleteToken };
}
