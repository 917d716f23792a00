/**
 * The host's HTTP requests that act on a live room (the CSV upload, the quiz results, the
 * join addresses), as data: what the request carries once parsed, and the answer as data.
 * The node that receives the request parses it; the node that runs the room answers it
 * (host-answers.ts), and the first sends that answer. On one node both are the same; in a
 * cluster the request travels to the room's owner (cluster/http-forwarding.ts), so every
 * node gives the same answers, status codes and errors, and the host token is checked
 * where the room is.
 */
import type { Response } from 'express';
import type { HttpErrorCode, HttpErrorReply } from '@backprop/shared/protocol';

interface Asked {
  /** The join code, upper-cased (any text: an unknown one gets the one 404). */
  code: string;
  /** The bearer token, or null when none (or a malformed one) was sent. */
  token: string | null;
  /** The client's address (behind our proxy: from X-Forwarded-For), for the join limits. */
  ip: string;
}

export type HostRequest =
  /** Before the CSV body is read: the host's token and the upload rate limit. */
  | (Asked & { kind: 'csv-check' })
  /** The CSV file itself, once read (the token is checked again: the room may have moved). */
  | (Asked & { kind: 'csv-store'; text: string; targets: string[] })
  | (Asked & { kind: 'quiz-results' })
  | (Asked & { kind: 'join-addresses' });

/** An HTTP answer: a JSON body, or a CSV file to download. */
export type HttpAnswer = { status: number; headers?: Record<string, string> } & (
  { json: unknown } | { csv: string; filename: string }
);

/** What a room answers a host's request with; null only for a 'csv-check' that passed. */
export type HostAnswer = HttpAnswer | null;

/** Answers a host's request wherever its room runs (app.ts: here, or through its owner). */
export type AskRoom = (request: HostRequest) => Promise<HostAnswer>;

/** Sends `answer` (null, which only a passed 'csv-check' is, would be a bug here: a 500). */
export function sendAnswer(res: Response, given: HostAnswer): void {
  const answer = given ?? errorAnswer(500, 'internal', 'Something went wrong on the server.');
  res.status(answer.status);
  if (answer.headers) res.set(answer.headers);
  if ('json' in answer) res.json(answer.json);
  else res.type('text/csv; charset=utf-8').attachment(answer.filename).send(answer.csv);
}

export function errorAnswer(
  status: number,
  code: HttpErrorCode,
  message: string,
  extra: { line?: number; retryAfterSeconds?: number } = {},
  headers?: Record<string, string>,
): HttpAnswer {
  const json: HttpErrorReply = { error: { code, message, ...extra } };
  return headers ? { status, headers, json } : { status, json };
}

/**
 * 429 with the wait: in the Retry-After header, in the JSON (`retryAfterSeconds`) and in
 * the message ("… Try again in 42 s.").
 */
export function rateLimitedAnswer(waitMs: number, message: string): HttpAnswer {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return errorAnswer(
    429,
    'rate-limited',
    `${message} Try again in ${seconds} s.`,
    { retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}
