import * as v from 'valibot';

/**
 * The HTTP side of the protocol: uploading a CSV dataset.
 *
 *   POST /api/sessions/:code/dataset?targets=price        (comma-separated target columns)
 *   Authorization: Bearer <hostToken>
 *   Content-Type: text/csv
 *   <the file>
 *
 * 200 → CsvUploadReply. Errors → HttpErrorReply with status 400 (bad-csv, bad-request),
 * 404 (not-found: an unknown code, or a missing or wrong token — the same answer, so a
 * code cannot be guessed here), 409 (ended), 413 (too-large), 415 (bad-request: not
 * text), 429 (rate-limited, with Retry-After: too many uploads, or failed joins), 503 (busy,
 * with Retry-After: in cluster mode, the node running the session did not answer in time).
 * The dataset is used once the host sends host:setup with datasetId 'csv'.
 */
export function csvUploadPath(code: string, targets: readonly string[]): string {
  const query = new URLSearchParams({ targets: targets.join(',') });
  return `/api/sessions/${encodeURIComponent(code)}/dataset?${query}`;
}

/**
 * The host's quiz results (participation, see docs/protocol.md):
 *
 *   GET /api/sessions/:code/quiz-results.csv
 *   Authorization: Bearer <hostToken>
 *
 * 200 → text/csv with columns name, question, answer, correct (yes/no), time (seconds
 * from the quiz's opening). Errors → HttpErrorReply: 404 (an unknown code, a missing or
 * wrong token alike), 429 (failed joins from this address), 503 (busy, as for the upload).
 */
export function quizResultsPath(code: string): string {
  return `/api/sessions/${encodeURIComponent(code)}/quiz-results.csv`;
}

/**
 * Where students can reach the server, for the host's join link and QR code:
 *
 *   GET /api/sessions/:code/join-addresses
 *   Authorization: Bearer <hostToken>
 *
 * 200 → JoinAddressesReply. Errors → HttpErrorReply: 404 (an unknown code, a missing or
 * wrong token alike), 429, 503 (busy, as for the upload). Host only: the list names every
 * network this machine is on, which is nobody else's business. In cluster mode, the
 * addresses of the node running the session, whichever node is asked.
 */
export function joinAddressesPath(code: string): string {
  return `/api/sessions/${encodeURIComponent(code)}/join-addresses`;
}

/** An http(s) address: what the client puts in a link and a QR code, nothing else. */
const webAddress = v.pipe(v.string(), v.maxLength(2048), v.regex(/^https?:\/\/[^\s]+$/));

/** The reply, checked by the console before any of it becomes a link. */
const joinAddressesReplySchema = v.strictObject({
  /** PUBLIC_URL without a trailing slash (it may have a path): when set, links use it. */
  publicUrl: v.nullable(webAddress),
  /** This machine's origins other devices can reach (http://192.168.1.23:3000), IPv4 first. */
  network: v.pipe(v.array(webAddress), v.maxLength(64)),
});

export type JoinAddressesReply = v.InferOutput<typeof joinAddressesReplySchema>;

/** The reply if `body` is one, else null. */
export function parseJoinAddressesReply(body: unknown): JoinAddressesReply | null {
  const parsed = v.safeParse(joinAddressesReplySchema, body);
  return parsed.success ? parsed.output : null;
}

export interface CsvUploadReply {
  ok: true;
  rows: number;
  /** Every column's name: the inputs (in file order), then the targets (in chosen order). */
  columns: string[];
  inputs: string[];
  targets: string[];
}

export type HttpErrorCode =
  | 'bad-csv'
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'ended'
  | 'too-large'
  | 'rate-limited'
  /** Recordings (docs/recordings.md): a refused import, a re-simulation impossible, a live session. */
  | 'bad-recording'
  | 'cannot-verify'
  | 'live'
  /** Any /api path: the path exists, but not with this method (see the Allow header). */
  | 'method-not-allowed'
  /** 503: the recordings store cannot be reached (STORE_UNAVAILABLE_MESSAGE). */
  | 'unavailable'
  /**
   * 503 (cluster mode): the server node running the session did not answer in time (it may
   * have just stopped, and another takes over within seconds): try again (Retry-After).
   */
  | 'busy'
  | 'internal';

export interface HttpErrorReply {
  error: {
    code: HttpErrorCode;
    message: string;
    /**
     * bad-csv, bad-recording: the 1-based line of the file (0 = the file as a whole); for
     * bad-csv also the bare reason.
     */
    line?: number;
    reason?: string;
    /** rate-limited: seconds until a new attempt may pass (also the Retry-After header). */
    retryAfterSeconds?: number;
  };
}
