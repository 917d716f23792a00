import { expect, test } from 'vitest';
import { pino } from 'pino';
import type { SessionEvent } from '@backprop/shared/session';
import { MemoryEventLog } from '../../src/room/event-log';
import { Room } from '../../src/room/room';
import { defaultTraining } from '../../src/training/defaults';

function room(sent: SessionEvent[]) {
  return new Room({
    code: 'ABCDEF',
    title: 'Test',
    hostToken: 'h'.repeat(32),
    ...defaultTraining(),
    clock: { now: () => 1000 },
    logger: pino({ level: 'silent' }),
    log: new MemoryEventLog(),
    broadcast: (event) => sent.push(event),
  });
}

test('record numbers events, stamps them with the clock, applies and broadcasts them', () => {
  const sent: SessionEvent[] = [];
  const r = room(sent);
  r.record({ type: 'locked', locked: true });
  r.record({ type: 'title-set', title: 'New' });
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
