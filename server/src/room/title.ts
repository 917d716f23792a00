import { fail, LIMITS, type Result } from '@backprop/shared/protocol';
import { cleanDisplayText } from '@backprop/shared/session';

export const DEFAULT_TITLE = 'Backprop Live session';

/** A title as the class will see it: cleaned like names, 1 to LIMITS.maxTitle characters. */
export function cleanSessionTitle(raw: string): Result<{ title: string }> {
  const title = cleanDisplayText(raw);
  const length = Array.from(title).length;
  if (length === 0) return fail('bad-request', 'A title cannot be empty.');
  if (length > LIMITS.maxTitle) {
    return fail('bad-request', `A title can have at most ${LIMITS.maxTitle} characters.`);
  }
  return { ok: true, title };
}

/** The title of a new session: the default when none (or only blanks) is given. */
export function titleForNewSession(raw: string | undefined): Result<{ title: string }> {
  if (raw === undefined || cleanDisplayText(raw) === '') return { ok: true, title: DEFAULT_TITLE };
  return cleanSessionTitle(raw);
}
