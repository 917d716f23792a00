import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets that prove a role (the host token, a participant's token). 24 random bytes =
 * 192 bits, base64url so they fit the protocol's token schema and an Authorization header.
 */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Only this hash is kept in memory (and later in the store): a leaked dump of the state
 * does not hand out the secrets themselves.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time comparison of a presented token with a stored hash. */
export function tokenMatches(token: string, storedHash: Buffer): boolean {
  const presented = hashToken(token);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}

/** An opaque public id (participants): unguessable, but not a secret. */
export function newPublicId(): string {
  return randomBytes(9).toString('base64url');
}
