import { expect, test } from 'vitest';
import { pino } from 'pino';
import type { SessionEvent } from '@backprop/shared/session';
import { MemoryEventLog } from '../../src/room/event-log';
import { Room } from '../../src/room/room';
import { defaultTraining } from '../../src/training/defaults';

/** A room whose broadcasts land in `sent` (one entry per message: `messages`, if given). */
function room(sent: SessionEvent[], messages: SessionEvent[][] = []) {
  return new Room({
    code: 'ABCDEF',
    title: 'Test',
    hostToken: 'h'.repeat(32),
    ...defaultTraining(),
    clock: { now: () => 1000 },
    logger: pino({ level: 'silent' }),
    log: new MemoryEventLog(),
    broadcast: (events) => {
      sent.push(...events);
      messages.push(events);
    },
  });
}

test('record numbers events, stamps them with the clock, applies and broadcasts them', async () => {
  const sent: SessionEvent[] = [];
  const r = room(sent);
  r.record({ type: 'locked', locked: true });
  r.record({ type: 'title-set', title: 'New' });
  expect(r.state).toMatchObject({ seq: 2, locked: true });
  // Outside a task, a queued task commits them: broadcast once committed, not before.
  expect(sent).toEqual([]);
  await r.run(() => undefined);
  expect(sent.map((e) => [e.seq, e.t, e.type])).toEqual([
    [1, 1000, 'locked'],
    [2, 1000, 'title-set'],
  ]);
  expect(r.state).toMatchObject({ seq: 2, locked: true, title: 'New' });
  expect(r.sync(1)).toEqual({ kind: 'events', events: [sent[1]] });
  expect(r.sync(0)).toEqual({ kind: 'snapshot', state: r.state });
});

test('an event holding a non-finite number is refused before anything happens', () => {
  const sent: SessionEvent[] = [];
  const r = room(sent);
  const before = r.state;
  expect(() =>
    r.record({ type: 'diverged', divergence: { step: 1, learningRate: NaN, reason: 'x' } }),
  ).toThrow(/divergence.learningRate is NaN/);
  expect(r.state).toBe(before);
  expect(sent).toEqual([]);
  expect(r.sync(0)).toEqual({ kind: 'snapshot', state: before });
});

test("students' commands that wait together run as one task: one commit, one message", async () => {
  const messages: SessionEvent[][] = [];
  const r = room([], messages);
  const lane = r.participation.studentLane;
  const titles = ['a', 'b', 'c', 'd', 'e'];
  const replies = titles.map((title) =>
    lane.run(() => {
      r.record({ type: 'title-set', title });
      if (title === 'c') throw new Error('c fails after recording');
      return title;
    }),
  );
  const settled = await Promise.allSettled(replies);
  expect(settled.map((s) => s.status)).toEqual([
    'fulfilled',
    'fulfilled',
    'rejected',
    'fulfilled',
    'fulfilled',
  ]);
  // The first ran alone; the four that came while it ran went as one group, one message,
  // whose events carry consecutive seqs (c's event happened: it was recorded before c threw).
  expect(messages.map((m) => m.map((e) => e.seq))).toEqual([[1], [2, 3, 4, 5]]);
  expect(r.state.title).toBe('e');
});
