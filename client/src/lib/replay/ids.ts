/** Replay ids are 128 random bits in base64url (22 characters); allow some room. */
export function isReplayIdLike(text: string): boolean {
  return /^[A-Za-z0-9_-]{8,64}$/.test(text);
}
