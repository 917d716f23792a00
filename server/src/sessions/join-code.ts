import { randomInt } from 'node:crypto';
import { CODE_ALPHABET, CODE_LENGTH } from '@backprop/shared/protocol';

/** 31^6 ≈ 887 million codes: collisions with the few live rooms are rare, but checked. */
const MAX_ATTEMPTS = 100;

/**
 * A join code from the unambiguous alphabet (no 0/O, 1/I/L), drawn with a cryptographic
 * RNG so codes of other sessions cannot be predicted from one's own.
 */
export function newJoinCode(isTaken: (code: string) => boolean): string {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    let code = '';
    for (let k = 0; k < CODE_LENGTH; k++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    if (!isTaken(code)) return code;
  }
  throw new Error('could not find a free join code');
}
