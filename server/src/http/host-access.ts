/**
 * The routes under /api/sessions/:code/… that need the session's host token (the CSV
 * upload, the quiz results, the replay id). A join code is guessable, so these must not
 * tell a guesser which codes exist: an unknown code, a missing token and a wrong one get
 * the same answer, and each counts as a failed join from the address (JoinGuard), which
 * blocks it here and from joining alike.
 */
import type { Request, Response } from 'express';
import type { JoinGuard } from '../security/join-guard';
import { errorAnswer, rateLimitedAnswer, sendAnswer, type HttpAnswer } from './host-request';
import { bearerToken, requestAddress } from './http-replies';

export const NO_HOST_ACCESS =
  'No session with this code accepts this token: send the host token as "Authorization: Bearer <token>".';

export interface HostAccess {
  guard: JoinGuard;
  trustProxy: boolean;
}

/**
 * Whether the request carries the host token of session `code` (`isHost` null: there is
 * no such session); if not, the one answer (404, or 429 while blocked) is sent.
 */
export async function hostAccess(
  req: Request,
  res: Response,
  access: HostAccess,
  code: string,
  isHost: ((token: string) => boolean) | null,
): Promise<boolean> {
  const ip = requestAddress(req, access.trustProxy);
  const refusal = await hostRefusal(access, code, bearerToken(req), ip, isHost);
  if (refusal) sendAnswer(res, refusal);
  return refusal === null;
}

/** As hostAccess, for a request already parsed (host-answers.ts): null when it may go on. */
export async function hostRefusal(
  access: HostAccess,
  code: string,
  token: string | null,
  ip: string,
  isHost: ((token: string) => boolean) | null,
): Promise<HttpAnswer | null> {
  const allowed = isHost ? token !== null && isHost(token) : null;
  const blocked = await access.guard.hostRequest(ip, code, allowed);
  if (allowed) return null;
  if (blocked) return rateLimitedAnswer(blocked.waitMs, blocked.reason);
  return errorAnswer(404, 'not-found', NO_HOST_ACCESS);
}
