/**
 * The recordings' HTTP API, seen from the browser. Every call resolves (never rejects)
 * with the value or a readable problem, so a page can show it as it is:
 *
 *   GET    /api/recordings/:id                       → RecordingMeta
 *   GET    /api/recordings/:id/state?seq=|t=|step=   → { seq, state } (server-side seek)
 *   GET    /api/recordings/:id/events?after=&limit=  → { events }  (limit ≤ 2000)
 *   GET    /api/recordings/:id/export?anonymize=1    → NDJSON file
 *   POST   /api/recordings/import  (NDJSON body)     → { replayId, deleteToken }
 *   DELETE /api/recordings/:id  (Bearer host or delete token) → 204
 *   POST   /api/recordings/:id/verify                → VerifyReply
 *   GET    /api/sessions/:code/replay  (Bearer host token)     → { replayId }
 */
import {
  MAX_EVENTS_PER_PAGE,
  RECORDING_IMPORT_PATH,
  recordingPath,
  sessionReplayPath,
  type RecordingEventsReply,
  type RecordingImportReply,
  type RecordingStateReply,
  type RecordingSummaryReply,
  type RecordingVerifyReply,
  type SessionReplayReply,
} from '@backprop/shared/protocol';

/** The summary of a recording (shared/src/protocol/recordings.ts). */
export type RecordingMeta = RecordingSummaryReply;
export type VerifyReply = RecordingVerifyReply;
export type ImportReply = RecordingImportReply;

export interface ApiProblem {
  /** HTTP status, or 0 when the server could not be reached. */
  status: number;
  code: string;
  message: string;
  /** bad-recording: the 1-based line of the file (0 = the file as a whole). */
  line?: number;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; problem: ApiProblem };

export type SeekTarget = { seq: number } | { t: number } | { step: number };

export function exportPath(replayId: string, anonymize: boolean): string {
  return `${recordingPath(replayId, 'export')}${anonymize ? '?anonymize=1' : ''}`;
}

export class RecordingsApi {
  readonly #fetch: typeof fetch;

  constructor(fetcher: typeof fetch = (...args) => fetch(...args)) {
    this.#fetch = fetcher;
  }

  meta(replayId: string, signal?: AbortSignal): Promise<ApiResult<RecordingMeta>> {
    return this.#json(recordingPath(replayId), { signal }, isMeta);
  }

  state(
    replayId: string,
    target: SeekTarget,
    signal?: AbortSignal,
  ): Promise<ApiResult<RecordingStateReply>> {
    const [key, value] = Object.entries(target)[0] as [string, number];
    const query = new URLSearchParams({ [key]: String(Math.round(value)) });
    return this.#json(`${recordingPath(replayId, 'state')}?${query}`, { signal }, isSeekReply);
  }

  events(
    replayId: string,
    after: number,
    limit: number,
    signal?: AbortSignal,
  ): Promise<ApiResult<RecordingEventsReply>> {
    const query = new URLSearchParams({
      after: String(after),
      limit: String(Math.min(MAX_EVENTS_PER_PAGE, Math.max(1, limit))),
    });
    return this.#json(`${recordingPath(replayId, 'events')}?${query}`, { signal }, isEventsReply);
  }

  /** The export file's text and a file name for it. */
  async exportFile(
    replayId: string,
    anonymize: boolean,
  ): Promise<ApiResult<{ text: string; filename: string }>> {
    const response = await this.#send(exportPath(replayId, anonymize), {});
    if (!response.ok) return response;
    const { value } = response;
    if (!value.ok) return { ok: false, problem: await problemOf(value) };
    const text = await value.text();
    const filename = filenameOf(value.headers.get('Content-Disposition')) ?? `${replayId}.ndjson`;
    return { ok: true, value: { text, filename } };
  }

  importFile(text: string): Promise<ApiResult<ImportReply>> {
    return this.#json(
      RECORDING_IMPORT_PATH,
      { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: text },
      isImportReply,
    );
  }

  async remove(replayId: string, token: string): Promise<ApiResult<null>> {
    const response = await this.#send(recordingPath(replayId), {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) return response;
    if (!response.value.ok) return { ok: false, problem: await problemOf(response.value) };
    return { ok: true, value: null };
  }

  verify(replayId: string): Promise<ApiResult<VerifyReply>> {
    return this.#json(recordingPath(replayId, 'verify'), { method: 'POST' }, isVerifyReply);
  }

  sessionReplay(code: string, hostToken: string): Promise<ApiResult<SessionReplayReply>> {
    return this.#json(
      sessionReplayPath(code),
      { headers: { Authorization: `Bearer ${hostToken}` } },
      (body): body is SessionReplayReply => isRecord(body) && typeof body.replayId === 'string',
    );
  }

  async #send(url: string, init: RequestInit): Promise<ApiResult<Response>> {
    try {
      return { ok: true, value: await this.#fetch(url, init) };
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') {
        return { ok: false, problem: { status: 0, code: 'aborted', message: 'Cancelled.' } };
      }
      return {
        ok: false,
        problem: {
          status: 0,
          code: 'offline',
          message: 'Could not reach the server. Check the connection and try again.',
        },
      };
    }
  }

  async #json<T>(
    url: string,
    init: RequestInit,
    check: (body: unknown) => body is T,
  ): Promise<ApiResult<T>> {
    const response = await this.#send(url, init);
    if (!response.ok) return response;
    const { value } = response;
    if (!value.ok) return { ok: false, problem: await problemOf(value) };
    const body: unknown = await value.json().catch(() => undefined);
    if (!check(body)) {
      return {
        ok: false,
        problem: {
          status: value.status,
          code: 'internal',
          message: 'The server sent an answer this app does not understand.',
        },
      };
    }
    return { ok: true, value: body };
  }
}

/** The readable problem of an error response: the server's message when it sent one. */
async function problemOf(response: Response): Promise<ApiProblem> {
  const body: unknown = await response.json().catch(() => null);
  const status = response.status;
  if (isRecord(body) && isRecord(body.error) && typeof body.error.message === 'string') {
    const { code, message, line } = body.error;
    return {
      status,
      code: typeof code === 'string' ? code : 'error',
      message,
      ...(typeof line === 'number' ? { line } : {}),
    };
  }
  const message =
    status === 404
      ? 'This recording does not exist (any more).'
      : status === 401 || status === 403
        ? 'This browser may not do that with this recording.'
        : status === 413
          ? 'The file is too large.'
          : status === 429
            ? 'Too many requests in a short time: wait a moment, then try again.'
            : `The server answered with an error (HTTP ${status}).`;
  return { status, code: status === 404 ? 'not-found' : 'error', message };
}

function filenameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1]!.trim() : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

function isMeta(body: unknown): body is RecordingMeta {
  return (
    isRecord(body) &&
    typeof body.replayId === 'string' &&
    typeof body.title === 'string' &&
    isNumber(body.createdAt) &&
    (body.endedAt === null || isNumber(body.endedAt)) &&
    isNumber(body.firstSeq) &&
    isNumber(body.lastSeq) &&
    isNumber(body.firstT) &&
    isNumber(body.lastT) &&
    Array.isArray(body.markers) &&
    Array.isArray(body.stepIndex) &&
    Array.isArray(body.idle) &&
    body.idle.every(
      (gap) => Array.isArray(gap) && gap.length === 2 && isNumber(gap[0]) && isNumber(gap[1]),
    ) &&
    isRecord(body.dataset) &&
    isRecord(body.network)
  );
}

function isSeekReply(body: unknown): body is RecordingStateReply {
  return isRecord(body) && isNumber(body.seq) && isRecord(body.state);
}

function isEventsReply(body: unknown): body is RecordingEventsReply {
  return isRecord(body) && Array.isArray(body.events);
}

function isImportReply(body: unknown): body is ImportReply {
  return (
    isRecord(body) && typeof body.replayId === 'string' && typeof body.deleteToken === 'string'
  );
}

function isVerifyReply(body: unknown): body is VerifyReply {
  if (!isRecord(body)) return false;
  if (body.ok === true) return isNumber(body.checked);
  return body.ok === false && isRecord(body.firstDivergence);
}
