/**
 * Properties of the shared reducer (applyEvent) over arbitrary valid event sequences:
 * a real Room (no sockets) turns a random sequence of commands into the events it would
 * broadcast; replaying them through the reducer from the initial state must never mutate
 * a state or an event (both are deep-frozen, so a write throws), must set seq to each
 * event's (strictly increasing), and must end in exactly the room's own state.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { expect, test } from 'vitest';
import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import { MemoryEventLog } from '../../src/room/event-log';
import {
  hostEditWeight,
  hostHyper,
  hostLock,
  hostReset,
  hostSetup,
  hostTitle,
} from '../../src/room/host-commands';
import { Room } from '../../src/room/room';
import { hostStep } from '../../src/room/stepping';
import { defaultTraining } from '../../src/training/defaults';

type Command =
  | { kind: 'step'; granularity: 'stage' | 'sample' | 'batch' | 'epoch' }
  | { kind: 'hyper'; learningRate: number; batchSize: number }
  | { kind: 'edit'; value: number }
  | { kind: 'reset' }
  | { kind: 'lock'; locked: boolean }
  | { kind: 'title'; title: string }
  | { kind: 'join'; name: string }
  | { kind: 'leave' }
  | { kind: 'kick' }
  | { kind: 'setup'; datasetId: 'xor' | 'houses' | 'worked-example'; seed: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('step' as const),
      granularity: fc.constantFrom(
        'stage' as const,
        'sample' as const,
        'batch' as const,
        'epoch' as const,
      ),
    }),
  },
  fc.record({
    kind: fc.constant('hyper' as const),
    learningRate: fc.double({ min: 1e-4, max: 10, noNaN: true }),
    batchSize: fc.integer({ min: 1, max: 32 }),
  }),
  fc.record({
    kind: fc.constant('edit' as const),
    value: fc.double({ min: -100, max: 100, noNaN: true }),
  }),
  fc.record({ kind: fc.constant('reset' as const) }),
  fc.record({ kind: fc.constant('lock' as const), locked: fc.boolean() }),
  fc.record({
    kind: fc.constant('title' as const),
    title: fc.string({ minLength: 1, maxLength: 20 }),
  }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('join' as const),
      name: fc.string({ minLength: 1, maxLength: 10 }),
    }),
  },
  fc.record({ kind: fc.constant('leave' as const) }),
  fc.record({ kind: fc.constant('kick' as const) }),
  fc.record({
    kind: fc.constant('setup' as const),
    datasetId: fc.constantFrom('xor' as const, 'houses' as const, 'worked-example' as const),
    seed: fc.integer({ min: 0, max: 1000 }),
  }),
);

/** Runs the commands on a fresh room; returns its initial state, the events and its end state. */
async function simulate(commands: Command[]) {
  const events: SessionEvent[] = [];
  let time = 1_000;
  const room = new Room({
    code: 'ABCDEF',
    title: 'Property',
    hostToken: 'h'.repeat(32),
    ...defaultTraining(),
    clock: { now: () => (time += 7) },
    logger: pino({ level: 'silent' }),
    log: new MemoryEventLog(),
    broadcast: (sent) => events.push(...sent),
  });
  const initial = structuredClone(room.state);
  const students: string[] = [];
  let socket = 0;
  for (const c of commands) {
    // Refusals (a divergence, a taken name, an empty title…) are part of the game.
    switch (c.kind) {
      case 'step':
        await hostStep(room, c.granularity);
        break;
      case 'hyper':
        hostHyper(room, { learningRate: c.learningRate, batchSize: c.batchSize });
        break;
      case 'edit':
        hostEditWeight(room, { layer: 0, to: 0, from: 0, value: c.value });
        break;
      case 'reset':
        hostReset(room);
        break;
      case 'lock':
        hostLock(room, c.locked);
        break;
      case 'title':
        hostTitle(room, c.title);
        break;
      case 'join': {
        const joined = room.join(c.name, `s${socket++}`);
        if (joined.ok) students.push(joined.participantId);
        break;
      }
      case 'leave': {
        const id = students.at(-1);
        if (id) room.disconnect({ role: 'student', participantId: id }, `s${socket - 1}`);
        break;
      }
      case 'kick': {
        const id = students.shift();
        if (id) room.kick(id);
        break;
      }
      case 'setup':
        hostSetup(room, {
          datasetId: c.datasetId,
          hidden: [3],
          activations: ['tanh', 'sigmoid'],
          trainBiases: true,
          seed: c.seed,
          normalize: true,
          testFraction: 0.2,
        });
        break;
    }
  }
  // Recorded outside a task, the events commit (and are broadcast) in queued tasks: after them.
  await room.run(() => undefined);
  return { initial, events, final: room.state };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

test('the reducer never mutates its input, keeps seq increasing and agrees with the room', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
      const { initial, events, final } = await simulate(commands);
      let state: SessionState = deepFreeze(initial);
      for (const event of events) {
        const stateBefore = structuredClone(state);
        const eventBefore = structuredClone(event);
        deepFreeze(event);
        const next = applyEvent(state, event);
        expect(state).toEqual(stateBefore);
        expect(event).toEqual(eventBefore);
        expect(next.seq).toBe(event.seq);
        expect(next.seq).toBeGreaterThan(state.seq);
        state = deepFreeze(next);
      }
      expect(state).toEqual(final);
    }),
    { numRuns: 40 },
  );
});
