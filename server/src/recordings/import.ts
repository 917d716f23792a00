/**
 * An imported recording file becomes a recording of this server: validated in full first
 * (RecordingDecoder: the first problem refuses the file with its line, and nothing is
 * stored), then stored — the session, every event, keyframes, the attached CSV files.
 *
 * Both run in slices with pauses (pacer.ts), so a 50 MB file never holds up the other
 * classes. Storing therefore takes several transactions: the session is created hidden
 * (`importing`) and shown only once its last event is in; a failure deletes it, and a
 * crash in between leaves it hidden, to be deleted when the store next opens. So a file
 * that fails anywhere leaves nothing behind.
 *
 * Imported recordings are replays only: their key in the store is not a join code (no
 * join or resume can reach them), and they are deleted with a token handed to the
 * importer, as a session's own recording is with its host token.
 */
import { randomBytes } from 'node:crypto';
import {
  RecordingDecoder,
  checkRecordingSize,
  recordingLines,
  type Keyframe,
  type Recording,
} from '@backprop/shared/recording';
import { applyEvent, type SessionEvent } from '@backprop/shared/session';
import { newToken } from '../security/tokens';
import { STORE_KEYFRAME_INTERVAL } from '../sessions/registry';
import type { Store } from '../store';
import { Pacer } from './pacer';

/** Keys of imported recordings: never a join code (those are 6 letters and digits). */
export const IMPORTED_PREFIX = 'import:';

export function isImported(code: string): boolean {
  return code.startsWith(IMPORTED_PREFIX);
}

/** Throws RecordingError (nothing stored) for a bad file. */
export async function importRecording(
  store: Store,
  text: string,
): Promise<{ replayId: string; deleteToken: string }> {
  const pacer = new Pacer();
  const { header, events } = await decodePaced(text, pacer);
  const { initial } = header;
  const code = `${IMPORTED_PREFIX}${randomBytes(12).toString('base64url')}`;
  const deleteToken = newToken();
  const record = store.transaction(() => {
    const created = store.createSession({
      code,
      title: initial.title,
      createdAt: initial.createdAt,
      hostToken: deleteToken,
      initial,
      importing: true,
    });
    for (const file of header.csv ?? [])
      store.putCsvSetup(code, file.seq, { ...file, uploadedAt: header.exportedAt });
    return created;
  });
  try {
    let state = initial;
    let batch: SessionEvent[] = [];
    let keyframes: Keyframe[] = [];
    for (const event of events) {
      state = applyEvent(state, event);
      batch.push(event);
      if (event.seq % STORE_KEYFRAME_INTERVAL === 0) keyframes.push({ seq: event.seq, state });
      if (pacer.due()) {
        store.appendEvents(code, batch, keyframes);
        [batch, keyframes] = [[], []];
        await pacer.pause();
      }
    }
    store.appendEvents(code, batch, keyframes);
    store.finishImport(code);
  } catch (err) {
    store.deleteRecording(code);
    throw err;
  }
  return { replayId: record.replayId, deleteToken };
}

/** decodeRecording, pausing between lines. */
async function decodePaced(text: string, pacer: Pacer): Promise<Recording> {
  checkRecordingSize(text);
  const decoder = new RecordingDecoder();
  for (const line of recordingLines(text)) {
    decoder.push(line);
    await pacer.pause();
  }
  return decoder.finish();
}
