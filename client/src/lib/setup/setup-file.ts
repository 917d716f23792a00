/**
 * Setup files: the shared setup as JSON, to keep a lesson's setup next to its notes.
 *   {"format":"backprop-live-setup","version":1,"setup":{…host:setup…},"hyper":{…}}
 * Checked like network files: a bad file gets a message that says what is wrong and where,
 * and changes nothing.
 */
import * as v from 'valibot';
import { checkSharedSetup, type Checked, type SharedSetup } from './shared-setup';

export const SETUP_FILE_FORMAT = 'backprop-live-setup';
export const SETUP_FILE_VERSION = 1;
/** A setup is a few hundred bytes; anything much larger is not a setup file. */
export const SETUP_FILE_MAX_BYTES = 64 * 1024;

const fileSchema = v.strictObject({
  format: v.literal(SETUP_FILE_FORMAT, `must be "${SETUP_FILE_FORMAT}"`),
  version: v.literal(
    SETUP_FILE_VERSION,
    `must be ${SETUP_FILE_VERSION} (this app reads version 1)`,
  ),
  setup: v.unknown(),
  hyper: v.unknown(),
});

export function setupFileText(shared: SharedSetup): string {
  const file = { format: SETUP_FILE_FORMAT, version: SETUP_FILE_VERSION, ...shared };
  return JSON.stringify(file, null, 2) + '\n';
}

export function parseSetupFile(text: string): Checked<SharedSetup> {
  if (text.length > SETUP_FILE_MAX_BYTES) {
    return { ok: false, message: `the file is larger than ${SETUP_FILE_MAX_BYTES / 1024} KB` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not JSON: ${(error as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'expected a JSON object at the top level' };
  }
  const parsed = v.safeParse(fileSchema, value);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const key = issue.path?.map((item) => String(item.key)).join('.') ?? '';
    const message = issue.type === 'strict_object' ? 'unknown field' : issue.message;
    return { ok: false, message: key ? `${key}: ${message}` : message };
  }
  const result = checkSharedSetup(parsed.output.setup, parsed.output.hyper);
  if (result.ok) return result;
  return { ok: false, message: result.message };
}
