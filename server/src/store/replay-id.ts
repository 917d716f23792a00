import { randomBytes } from 'node:crypto';

/** 16 random bytes: 128 bits, 22 base64url characters. */
export function newReplayId(): string {
  return randomBytes(16).toString('base64url');
}
