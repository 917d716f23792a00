import { csvUploadPath } from '@backprop/shared/protocol';

/**
 * Uploads a CSV dataset for a session (host only), with the host token as a bearer token
 * (see shared/src/protocol/http.ts). Never throws: every failure is a readable message.
 */
export type UploadResult =
  { ok: true; rows: number; inputs: string[]; targets: string[] } | { ok: false; message: string };

export async function uploadCsv(
  code: string,
  hostToken: string,
  csv: string,
  targets: string[],
  fetcher: typeof fetch = fetch,
): Promise<UploadResult> {
  let response: Response;
  try {
    response = await fetcher(csvUploadPath(code, targets), {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${hostToken}` },
      body: csv,
    });
  } catch {
    return {
      ok: false,
      message: 'Could not reach the server. Check the connection and try again.',
    };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok && isRecord(body) && typeof body.rows === 'number') {
    return { ok: true, rows: body.rows, inputs: names(body.inputs), targets: names(body.targets) };
  }
  if (isRecord(body) && isRecord(body.error) && typeof body.error.message === 'string') {
    return { ok: false, message: body.error.message };
  }
  if (response.status === 413) return { ok: false, message: 'The file is too large.' };
  if (response.status === 429) {
    return {
      ok: false,
      message: 'Too many uploads in a short time: wait a moment, then try again.',
    };
  }
  return { ok: false, message: `The upload failed (HTTP ${response.status}).` };
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
