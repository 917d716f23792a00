import { expect, test } from 'vitest';
import { TaskQueue } from '../../src/room/task-queue';

/**
 * What the reconnect storm relies on: the acknowledgement of a task (a few microtasks
 * after it ends) leaves before the next task can broadcast anything.
 */
test('whoever awaits a task runs before the next task starts', async () => {
  const queue = new TaskQueue();
  const order: string[] = [];
  const first = queue.run(() => 'resumed');
  const reply = first.then(async (value) => {
    // The wrapper's path to the ack: an async function, a then, the ack itself.
    for (let k = 0; k < 10; k++) await null;
    order.push(`reply: ${value}`);
  });
  const next = queue.run(() => order.push('next task broadcasts'));
  await Promise.all([reply, next]);
  expect(order).toEqual(['reply: resumed', 'next task broadcasts']);
});
