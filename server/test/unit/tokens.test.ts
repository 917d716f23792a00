import { expect, test } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH } from '@backprop/shared/protocol';
import { newJoinCode } from '../../src/sessions/join-code';
import { hashToken, newToken, tokenMatches } from '../../src/security/tokens';

test('tokens carry 192 random bits and only their hash is compared', () => {
  const token = newToken();
  expect(Buffer.from(token, 'base64url')).toHaveLength(24);
  expect(newToken()).not.toBe(token);
  const stored = hashToken(token);
  expect(tokenMatches(token, stored)).toBe(true);
  expect(tokenMatches(`${token}x`, stored)).toBe(false);
  expect(tokenMatches('', stored)).toBe(false);
});

test('join codes use the unambiguous alphabet and skip codes in use', () => {
  const taken = new Set<string>();
  for (let k = 0; k < 200; k++) {
    const code = newJoinCode((c) => taken.has(c));
    expect(code).toHaveLength(CODE_LENGTH);
    for (const char of code) expect(CODE_ALPHABET).toContain(char);
    expect(taken.has(code)).toBe(false);
    taken.add(code);
  }
  expect(() => newJoinCode(() => true)).toThrow(/free join code/);
});
