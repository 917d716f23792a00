import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { idempotencyKeySchema } from '@backprop/shared/protocol';
import {
  Attempts,
  isUnanswered,
  newKey,
  sendWithKey,
  type Sent,
} from '../src/lib/participation/attempts';

const ok = { ok: true } as const;
const timeout: Sent<object> = { ok: false, error: { code: 'timeout', message: 'slow' } };
const offline: Sent<object> = { ok: false, error: { code: 'offline', message: 'off' } };
const refused: Sent<object> = { ok: false, error: { code: 'rate-limited', message: 'wait' } };

function counter(): () => string {
  let n = 0;
  return () => `key-${String(++n).padStart(4, '0')}`;
}

describe('newKey', () => {
  it('uses randomUUID where there is one, and is a valid key', () => {
    const key = newKey(crypto);
    expect(v.is(idempotencyKeySchema, key)).toBe(true);
    expect(newKey(crypto)).not.toBe(key);
  });

  it('works without randomUUID (plain http on a LAN address is no secure context)', () => {
    const key = newKey({ getRandomValues: (a) => crypto.getRandomValues(a) });
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(v.is(idempotencyKeySchema, key)).toBe(true);
  });
});

describe('Attempts', () => {
  it('gives every new press a new key', () => {
    const attempts = new Attempts(counter());
    const first = attempts.keyFor('propose', { rate: 0.1 });
    attempts.settle('propose', first, ok);
    const second = attempts.keyFor('propose', { rate: 0.1 });
    expect(second).not.toBe(first);
  });

  it('reuses the key of an unanswered press of the same thing', () => {
    const attempts = new Attempts(counter());
    const key = attempts.keyFor('propose', { rate: 0.1, note: 'hi' });
    attempts.settle('propose', key, timeout);
    expect(attempts.isPending('propose')).toBe(true);
    expect(attempts.keyFor('propose', { rate: 0.1, note: 'hi' })).toBe(key);
    attempts.settle('propose', key, offline);
    expect(attempts.keyFor('propose', { rate: 0.1, note: 'hi' })).toBe(key);
  });

  it('starts afresh when the intent changed, or the server refused', () => {
    const attempts = new Attempts(counter());
    const key = attempts.keyFor('vote:v1', { proposalId: 'p1' });
    attempts.settle('vote:v1', key, timeout);
    const other = attempts.keyFor('vote:v1', { proposalId: 'p2' });
    expect(other).not.toBe(key);
    attempts.settle('vote:v1', other, refused);
    expect(attempts.isPending('vote:v1')).toBe(false);
    expect(attempts.keyFor('vote:v1', { proposalId: 'p2' })).not.toBe(other);
  });

  it('keeps slots apart (a key is never reused for another command)', () => {
    const attempts = new Attempts(counter());
    const a = attempts.keyFor('answer:q1', { x: 1 });
    const b = attempts.keyFor('vote:v1', { x: 1 });
    expect(a).not.toBe(b);
  });

  it('knows which results leave the outcome unknown', () => {
    expect(isUnanswered(timeout)).toBe(true);
    expect(isUnanswered(offline)).toBe(true);
    expect(isUnanswered(refused)).toBe(false);
    expect(isUnanswered(ok)).toBe(false);
  });
});

describe('sendWithKey', () => {
  const noWait = { sleep: async () => {} };

  it('resends an unanswered command with the same key, then stops at the answer', async () => {
    const attempts = new Attempts(counter());
    const sent: { rate: number; key: string }[] = [];
    const answers: Sent<{ proposalId: string }>[] = [
      timeout,
      offline,
      { ok: true, proposalId: 'p7' },
    ] as Sent<{ proposalId: string }>[];
    const result = await sendWithKey(
      attempts,
      'propose',
      { rate: 0.1 },
      async (payload) => {
        sent.push(payload);
        return answers.shift()!;
      },
      { retries: 5, ...noWait },
    );
    expect(result).toEqual({ ok: true, proposalId: 'p7' });
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((s) => s.key)).size).toBe(1);
    expect(attempts.isPending('propose')).toBe(false);
  });

  it('gives up after the retries and keeps the press pending for the next tap', async () => {
    const attempts = new Attempts(counter());
    const keys: string[] = [];
    const send = async (payload: { rate: number; key: string }) => {
      keys.push(payload.key);
      return timeout;
    };
    const result = await sendWithKey(attempts, 'propose', { rate: 0.1 }, send, {
      retries: 2,
      ...noWait,
    });
    expect(result).toBe(timeout);
    expect(keys).toHaveLength(3);
    expect(attempts.isPending('propose')).toBe(true);
    // The student taps again: the same press, the same key.
    await sendWithKey(attempts, 'propose', { rate: 0.1 }, send, { retries: 0, ...noWait });
    expect(new Set(keys).size).toBe(1);
  });

  it('does not resend a press that a newer one replaced', async () => {
    const attempts = new Attempts(counter());
    const keys: string[] = [];
    const result = await sendWithKey(
      attempts,
      'vote:v1',
      { proposalId: 'p1' },
      async (payload) => {
        keys.push(payload.key);
        return timeout;
      },
      {
        retries: 3,
        sleep: async () => {
          attempts.keyFor('vote:v1', { proposalId: 'p2' }); // the student changed their mind
        },
      },
    );
    expect(result).toBe(timeout);
    expect(keys).toHaveLength(1);
  });

  it('does not retry a refusal', async () => {
    const attempts = new Attempts(counter());
    let calls = 0;
    await sendWithKey(
      attempts,
      'propose',
      { rate: 0.1 },
      async () => {
        calls++;
        return refused;
      },
      noWait,
    );
    expect(calls).toBe(1);
  });
});
