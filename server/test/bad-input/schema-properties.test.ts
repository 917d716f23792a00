/**
 * Properties of the payload schemas over arbitrary input (fast-check): parsePayload never
 * throws, whatever it is given; whatever it accepts is plain JSON with only finite
 * numbers; and near-valid payloads (a valid one with one value replaced by anything,
 * non-finite numbers and -0 included) are accepted only when every number is finite.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parsePayload, schemas, type CommandName } from '@backprop/shared/protocol';
import { findNonFinite } from '../../src/room/assert-finite';
import { validPayloads } from './valid-payloads';

const COMMANDS = Object.keys(schemas) as CommandName[];
const EXAMPLES = validPayloads({
  code: 'ABCDEF',
  studentToken: 'T'.repeat(32),
  participantId: 'participant1',
});

/** Anything JSON.parse can produce, with the keys attackers like. */
const json = fc.jsonValue({ maxDepth: 4 });
const nastyKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '');
const nastyObject = fc
  .tuple(nastyKey, json)
  .map(([key, value]) => JSON.parse(`{${JSON.stringify(key)}: ${JSON.stringify(value)}}`));
/** Numbers JSON cannot carry, as a careless client or a test harness might pass them in. */
const anyNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, -1e-308),
);
const anything = fc.oneof(json, nastyObject, anyNumber, fc.anything({ maxDepth: 3 }));

function isPlainJson(value: unknown): boolean {
  return JSON.stringify(JSON.parse(JSON.stringify(value))) === JSON.stringify(value);
}

describe.each(COMMANDS)('%s', (command) => {
  test('parsePayload never throws, and accepts only finite, plain JSON', () => {
    fc.assert(
      fc.property(anything, (payload) => {
        const result = parsePayload(command, payload);
        if (result.ok) {
          expect(findNonFinite(result.value)).toBeNull();
          expect(isPlainJson(result.value)).toBe(true);
          expect(Array.isArray(result.value)).toBe(false);
        } else {
          expect(result.message.startsWith(`${command}:`)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a valid payload with one value replaced is accepted only if still finite', () => {
    const valid = EXAMPLES[command];
    if (!valid) return; // payloads.test.ts fails for a missing example
    const keys = Object.keys(valid);
    if (keys.length === 0) return;
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.oneof(anything, anyNumber), (key, value) => {
        const result = parsePayload(command, { ...valid, [key]: value });
        if (result.ok) {
          expect(findNonFinite(result.value)).toBeNull();
          expect(Object.keys(result.value).every((k) => k in valid)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
