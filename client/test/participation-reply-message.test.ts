import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReplyMessage } from '../src/lib/participation/reply-message.svelte';

const limited = { code: 'rate-limited', message: 'Try again in 3 s.', retryAfterMs: 3000 };

describe('ReplyMessage', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('clears a rate limit when its wait is over, not before', () => {
    const reply = new ReplyMessage();
    reply.error(limited);
    vi.advanceTimersByTime(2999);
    expect(reply.current).toEqual({ tone: 'error', text: 'Try again in 3 s.' });
    vi.advanceTimersByTime(1);
    expect(reply.current).toBeNull();
  });

  it('keeps other refusals and successes until the next press', () => {
    const reply = new ReplyMessage();
    reply.error({ code: 'closed', message: 'The vote has closed.' });
    vi.advanceTimersByTime(600_000);
    expect(reply.current?.text).toBe('The vote has closed.');
    reply.ok('Your vote is in.');
    vi.advanceTimersByTime(600_000);
    expect(reply.current).toEqual({ tone: 'ok', text: 'Your vote is in.' });
  });

  it('never clears a newer message when an older wait ends', () => {
    const reply = new ReplyMessage();
    reply.error(limited);
    vi.advanceTimersByTime(1000);
    reply.ok('Your answer is in.');
    vi.advanceTimersByTime(5000);
    expect(reply.current?.text).toBe('Your answer is in.');
    // The same refusal twice: the second one's wait counts.
    reply.error(limited);
    vi.advanceTimersByTime(2000);
    reply.error(limited);
    vi.advanceTimersByTime(2000);
    expect(reply.current?.text).toBe('Try again in 3 s.');
    vi.advanceTimersByTime(1000);
    expect(reply.current).toBeNull();
  });

  it('stops its timer when the card goes', () => {
    const reply = new ReplyMessage();
    reply.error(limited);
    reply.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
