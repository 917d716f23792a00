/**
 * Every way to get a payload wrong, derived from a valid one. Each case is named for the
 * test output. Values that JSON cannot carry (NaN, ±Infinity) are sent as they are: the
 * client's JSON.stringify turns them into null on the wire, which is what the server sees.
 */
import { INTEGER_KEYS, NULLABLE_KEYS, OPTIONAL_KEYS } from './valid-payloads';

export type Case = [what: string, payload: unknown];

/** Under the 16 KiB frame limit, far over every string cap. */
const LONG = 'x'.repeat(10_000);

/** The payload with an own "__proto__" key, as JSON.parse makes it (not a prototype). */
export function withOwnKey(valid: Record<string, unknown>, key: string): unknown {
  const rest = JSON.stringify(valid).slice(1);
  return JSON.parse(`{"${key}": {"admin": true}${rest === '}' ? '' : ','}${rest}`);
}

/** Payloads that are wrong whatever the command: not an object, or extra keys. */
export function genericCases(valid: Record<string, unknown>): Case[] {
  return [
    ['null', null],
    ['a number', 42],
    ['NaN (null on the wire)', NaN],
    ['a string', 'host'],
    ['a numeric string', '1'],
    ['an empty array', []],
    ['an array holding the payload', [valid]],
    ['true', true],
    ['an extra key', { ...valid, extra: 1 }],
    ['a __proto__ key from JSON.parse', withOwnKey(valid, '__proto__')],
    ['a constructor key from JSON.parse', withOwnKey(valid, 'constructor')],
    ['a prototype key', withOwnKey(valid, 'prototype')],
  ];
}

/** Each key of the valid payload replaced by a wrong value, or left out. */
export function fieldCases(valid: Record<string, unknown>): Case[] {
  const cases: Case[] = [];
  for (const [key, value] of Object.entries(valid)) {
    const withValue = (v: unknown) => ({ ...valid, [key]: v });
    if (!NULLABLE_KEYS.has(key)) cases.push([`${key} null`, withValue(null)]);
    cases.push([`${key} a 10 KB string`, withValue(LONG)]);
    cases.push([`${key} an object`, withValue({})]);
    cases.push([`${key} an array`, withValue([value])]);
    if (typeof value === 'number') {
      cases.push([`${key} NaN`, withValue(NaN)]);
      cases.push([`${key} Infinity (1e999)`, withValue(Number('1e999'))]);
      cases.push([`${key} -Infinity`, withValue(-Infinity)]);
      cases.push([`${key} a numeric string`, withValue(String(value))]);
      cases.push([`${key} huge`, withValue(1e300)]);
      cases.push([`${key} out of range`, withValue(key === 'value' ? 101 : -1 - value)]);
      if (INTEGER_KEYS.has(key)) cases.push([`${key} fractional`, withValue(value + 0.5)]);
    }
    if (typeof value === 'boolean') {
      cases.push([`${key} "true"`, withValue('true')]);
      cases.push([`${key} 1`, withValue(1)]);
    }
    if (typeof value === 'string') cases.push([`${key} a number`, withValue(7)]);
    if (Array.isArray(value)) {
      cases.push([`${key} [null]`, withValue([null])]);
      cases.push([`${key} ["2"]`, withValue(['2'])]);
      // 1 000 entries: over every array cap, under the 16 KiB frame limit.
      cases.push([`${key} 1 000 entries`, withValue(Array(1_000).fill(value[0]))]);
    }
    if (!OPTIONAL_KEYS.has(key)) {
      const without = { ...valid };
      delete without[key];
      cases.push([`${key} missing`, without]);
    }
  }
  return cases;
}

/** Learning rates nobody may set: zero in every spelling, negative, and out of range. */
export const BAD_LEARNING_RATES: [string, unknown][] = [
  ['-0 (0 on the wire)', -0],
  ['0', 0],
  ['negative', -0.1],
  ['tiny negative', -1e-300],
  ['below the minimum', 1e-6],
  ['above the maximum', 10.0001],
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['a numeric string', '0.1'],
  ['a hex string', '0x1'],
];

/** The commands that carry a learning rate, and where. */
export function learningRateCases(command: string, valid: Record<string, unknown>): Case[] {
  const at = (rate: unknown): unknown | null => {
    if (command === 'host:hyper') return { ...valid, learningRate: rate };
    if (command === 'student:propose') return { ...valid, rate };
    if (command === 'host:race') return { ...valid, rates: [rate] };
    return null;
  };
  return BAD_LEARNING_RATES.flatMap(([what, rate]): Case[] => {
    const payload = at(rate);
    return payload === null ? [] : [[`learning rate ${what}`, payload]];
  });
}

/** Wrong values inside the nested objects of some commands (variants, quorums, answers). */
export const NESTED_CASES: Record<string, Case[]> = {
  'student:answer': [
    [
      'answer loss NaN',
      { quizId: 'q1', answer: { kind: 'loss', value: NaN }, key: 'key-answer-2' },
    ],
    [
      'answer loss negative',
      { quizId: 'q1', answer: { kind: 'loss', value: -1 }, key: 'key-answer-3' },
    ],
    [
      'answer direction unknown',
      { quizId: 'q1', answer: { kind: 'direction', value: 'sideways' }, key: 'key-answer-4' },
    ],
    [
      'answer largest fractional',
      { quizId: 'q1', answer: { kind: 'largest', to: 1.5, from: 0 }, key: 'key-answer-5' },
    ],
    ['answer unknown kind', { quizId: 'q1', answer: { kind: 'guess' }, key: 'key-answer-6' }],
    ['key too short', { quizId: 'q1', answer: { kind: 'direction', value: 'up' }, key: 'k' }],
    [
      'key with a space',
      { quizId: 'q1', answer: { kind: 'direction', value: 'up' }, key: 'key answer 7' },
    ],
  ],
  'host:class-steps': [
    [
      'quorum percent NaN',
      { enabled: true, granularity: 'batch', quorum: { kind: 'percent', value: NaN } },
    ],
    [
      'quorum percent 0',
      { enabled: true, granularity: 'batch', quorum: { kind: 'percent', value: 0 } },
    ],
    [
      'quorum count Infinity',
      { enabled: true, granularity: 'batch', quorum: { kind: 'count', value: Number('1e999') } },
    ],
    [
      'quorum with an extra key',
      { enabled: true, granularity: 'batch', quorum: { kind: 'majority', extra: 1 } },
    ],
  ],
  'host:quiz-open': [
    ['too short a time', { kind: 'loss', timeLimitSeconds: 1 }],
    ['a key of another kind', { kind: 'largest', layer: 0, timeLimitSeconds: 30, to: 0 }],
    ['unknown kind', { kind: 'essay', timeLimitSeconds: 30 }],
  ],
  'host:vote-open': [
    ['one option', { proposalIds: ['p1'], hideTallies: false }],
    ['the same option twice', { proposalIds: ['p1', 'p1'], hideTallies: false }],
  ],
  'host:setup': [
    [
      'an unknown activation',
      {
        datasetId: 'xor',
        hidden: [2],
        activations: ['eval', 'sigmoid'],
        trainBiases: true,
        seed: 1,
        normalize: false,
        testFraction: 0,
      },
    ],
    [
      'an unknown dataset',
      {
        datasetId: '../../etc/passwd',
        hidden: [2],
        activations: ['tanh', 'sigmoid'],
        trainBiases: true,
        seed: 1,
        normalize: false,
        testFraction: 0,
      },
    ],
    [
      'a layer of 0 units',
      {
        datasetId: 'xor',
        hidden: [0],
        activations: ['tanh', 'sigmoid'],
        trainBiases: true,
        seed: 1,
        normalize: false,
        testFraction: 0,
      },
    ],
  ],
  'session:join': [
    ['a code with a lookalike letter', { code: 'ΑBCDEF', name: 'Bob' }],
    ['a code too short', { code: 'ABC', name: 'Bob' }],
  ],
};
