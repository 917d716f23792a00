/**
 * The student lane: commands that arrive while a group runs form the next group (at most
 * MAX_GROUP, in arrival order), nobody waits for a group to fill, and each command settles
 * with its own outcome — unless the group's commit fails, which fails them all.
 */
import { expect, test } from 'vitest';
import {
  MAX_GROUP,
  runInOrder,
  StudentLane,
  type EnterGroup,
} from '../../src/room/participation/student-lane';

/** A room stand-in: runs each group's tasks like Room.runGroup, and records the groups. */
function fakeRoom() {
  const groups: number[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const enter: EnterGroup = async (tasks) => {
    groups.push(tasks.length);
    await gate;
    return runInOrder(tasks);
  };
  const hold = () => (gate = new Promise((resolve) => (release = resolve)));
  return { enter, groups, hold, release: () => release() };
}

test('the first command runs at once; those that arrive meanwhile form the next groups', async () => {
  const room = fakeRoom();
  const lane = new StudentLane(room.enter);
  const order: number[] = [];
  room.hold();
  const first = lane.run(() => order.push(0));
  const rest = Array.from({ length: MAX_GROUP + 3 }, (_, k) => lane.run(() => order.push(k + 1)));
  room.release();
  await Promise.all([first, ...rest]);
  expect(room.groups).toEqual([1, MAX_GROUP, 3]);
  expect(order).toEqual(Array.from({ length: MAX_GROUP + 4 }, (_, k) => k));
});

test('each command settles with its own outcome', async () => {
  const room = fakeRoom();
  const lane = new StudentLane(room.enter);
  room.hold();
  const blocker = lane.run(() => 'first');
  const ok = lane.run(() => 42);
  const failing = lane.run(() => {
    throw new Error('this one only');
  });
  const after = lane.run(async () => 'still runs');
  room.release();
  await expect(blocker).resolves.toBe('first');
  await expect(ok).resolves.toBe(42);
  await expect(failing).rejects.toThrow('this one only');
  await expect(after).resolves.toBe('still runs');
  expect(room.groups).toEqual([1, 3]);
});

test('a failed commit fails the whole group, and the lane goes on', async () => {
  let fail = true;
  const lane = new StudentLane(async (tasks) => {
    const outcomes = tasks.map((task) => ({ status: 'fulfilled' as const, value: task() }));
    if (fail) throw new Error('commit failed');
    return outcomes;
  });
  const a = lane.run(() => 'a');
  await expect(a).rejects.toThrow('commit failed');
  fail = false;
  await expect(lane.run(() => 'b')).resolves.toBe('b');
});
