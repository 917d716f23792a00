/**
 * An imported recording file becomes a recording of this server — the session, every
 * event, keyframes, the attached CSV files — read, validated (RecordingDecoder: the first
 * problem refuses the file with its line) and stored line by line as it arrives.
 *
 * It runs in slices with pauses (pacer.ts), holding one slice of events at a time, so a
 * 50 MB file never holds up the other classes. Storing therefore takes many transactions:
 * the session is created hidden (`importing`) and shown only once the whole file is valid
 * and stored; a refused file deletes it (in parts, paced too), and a crash in between
 * leaves it hidden, to be deleted when the store next opens. So a file that fails
 * anywhere leaves nothing behind.
 *
 * Imported recordings are replays only: their key in the store is not a join code (no
 * join or resume can reach them), and they are deleted with a token handed to the
 * importer, as a session's own recording is with its host token.
 */
import { randomBytes } from 'node:crypto';
import { RecordingDecoder, type Keyframe, type RecordingHeader } from '@backprop/shared/recording';
import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import { newToken } from '../security/tokens';
import { STORE_KEYFRAME_INTERVAL } from '../sessions/registry';
import type { AsyncStore } from '../store';
import { Pacer } from './pacer';

/** Keys of imported recordings: never a join code (those are 6 letters and digits). */
export const IMPORTED_PREFIX = 'import:';

export function isImported(code: string): boolean {
  return code.startsWith(IMPORTED_PREFIX);
}

/**
 * Reads, validates and stores the file line by line; throws RecordingError for a bad file,
 * with nothing stored.
 */
export async function importRecording(
  store: AsyncStore,
  lines: AsyncIterable<string>,
): Promise<{ replayId: string; deleteToken: string }> {
  const pacer = new Pacer();
  const decoder = new RecordingDecoder();
  const deleteToken = newToken();
  let stored: { code: string; replayId: string } | null = null;
  try {
    let state: SessionState | null = null;
    let batch: SessionEvent[] = [];
    let keyframes: Keyframe[] = [];
    const flush = async () => {
      if (stored && batch.length > 0) await store.appendEvents(stored.code, batch, keyframes);
      [batch, keyframes] = [[], []];
    };
    for await (const line of lines) {
      const event = decoder.push(line);
      const header = decoder.headerSoFar;
      if (header && !stored) stored = await createHidden(store, header, deleteToken);
      if (event) {
        state = applyEvent(state ?? header!.initial, event);
        batch.push(event);
        if (event.seq % STORE_KEYFRAME_INTERVAL === 0) keyframes.push({ seq: event.seq, state });
      }
      if (pacer.due()) {
        await flush();
        await pacer.pause();
      }
    }
    decoder.finish();
    await flush();
    await store.finishImport(stored!.code);
    return { replayId: stored!.replayId, deleteToken };
  } catch (err) {
    if (stored) await deleteInParts(store, stored.code, pacer);
    throw err;
  }
}

/** The session of an import, hidden until its last event is stored (NewSession.importing). */
function createHidden(store: AsyncStore, header: RecordingHeader, deleteToken: string) {
  const { initial } = header;
  const code = `${IMPORTED_PREFIX}${randomBytes(12).toString('base64url')}`;
  return store.transaction(async (tx) => {
    const created = await tx.createSession({
      code,
      title: initial.title,
      createdAt: initial.createdAt,
      hostToken: deleteToken,
      initial,
      importing: true,
    });
    for (const file of header.csv ?? [])
      await tx.putCsvSetup(code, file.seq, { ...file, uploadedAt: header.exportedAt });
    return created;
  });
}

async function deleteInParts(store: AsyncStore, code: string, pacer: Pacer): Promise<void> {
  while ((await store.deleteSomeEvents(code, 2000)) > 0) await pacer.pause();
  await store.deleteRecording(code);
}
