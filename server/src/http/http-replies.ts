/** Small pieces every HTTP route shares: JSON errors, the bearer token, the client address. */
import type { Request, Response } from 'express';
import type { HttpErrorCode } from '@backprop/shared/protocol';
import { errorAnswer, rateLimitedAnswer, sendAnswer } from './host-request';

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/;

export function sendError(
  res: Response,
  status: number,
  code: HttpErrorCode,
  message: string,
  extra: { line?: number; retryAfterSeconds?: number } = {},
): void {
  sendAnswer(res, errorAnswer(status, code, message, extra));
}

/** 429 with the wait (host-request.ts rateLimitedAnswer). */
export function sendRateLimited(res: Response, waitMs: number, message: string): void {
  sendAnswer(res, rateLimitedAnswer(waitMs, message));
}

/** The token of `Authorization: Bearer <token>` (a header, so it stays out of access logs). */
export function bearerToken(req: Request): string | null {
  return BEARER.exec(req.get('authorization') ?? '')?.[1] ?? null;
}

/**
 * Checks `Authorization: Bearer <token>` with `isAllowed`; on failure answers 401 (no or
 * malformed token; the reply names `which` token to send) or 403 (`forbidden`, the
 * reason) and returns false.
 */
export function authorized(
  req: Request,
  res: Response,
  isAllowed: (token: string) => boolean,
  forbidden: string,
  which = 'the host token',
): boolean {
  const token = bearerToken(req);
  if (!token) {
    sendError(res, 401, 'unauthorized', `Send ${which} as "Authorization: Bearer <token>".`);
    return false;
  }
  if (!isAllowed(token)) {
    sendError(res, 403, 'forbidden', forbidden);
    return false;
  }
  return true;
}

/** As socket/client-address.ts: behind our proxy, the last X-Forwarded-For entry. */
export function requestAddress(req: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const last = req.get('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** What a host's request on /sessions/:code/… tells its room (host-request.ts). */
export function askedBy(
  req: Request,
  trustProxy: boolean,
): { code: string; token: string | null; ip: string } {
  return {
    code: String(req.params.code).toUpperCase(),
    token: bearerToken(req),
    ip: requestAddress(req, trustProxy),
  };
}
