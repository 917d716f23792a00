import { expect, test } from 'vitest';
import { TaskQueue } from '../../src/room/task-queue';

test('tasks run one at a time, in order, and a failure does not block the next', async () => {
  const queue = new TaskQueue();
  const log: string[] = [];
  const slow = queue.run(async () => {
    log.push('a start');
    await new Promise((resolve) => setImmediate(resolve));
    log.push('a end');
    return 'a';
  });
  const failing = queue.run(() => {
    log.push('b');
    throw new Error('b failed');
  });
  const last = queue.run(() => {
    log.push('c');
    return 'c';
  });
  expect(await slow).toBe('a');
  await expect(failing).rejects.toThrow('b failed');
  expect(await last).toBe('c');
  expect(log).toEqual(['a start', 'a end', 'b', 'c']);
});
