/**
 * Students' commands wait their turn here, then enter the room's queue in groups. When 200
 * phones propose and vote at the same moment, the room's queue would otherwise hold
 * hundreds of student tasks, and the instructor's next command would wait behind all of
 * them (seconds). Through the lane at most one group is in the room's queue at once, so a
 * host command (or a play frame) waits for one group at most.
 *
 * A group is the commands that arrived while the previous group ran (at most MAX_GROUP):
 * no command is held back to wait for others. The room runs a group as one task
 * (Room.runGroup): its commands one by one in arrival order (so each student's in order),
 * then one commit, whose events go to every socket as one message. In a burst, sending is
 * the server's main cost (about 1.5 ms an event to 200 sockets; docs/benchmarks.md), so one
 * message per group instead of one per command is what lets the class's answers keep up.
 */

/** Runs tasks one after another; each outcome is its own (one that throws stops no other). */
export async function runInOrder(
  tasks: readonly (() => unknown)[],
): Promise<PromiseSettledResult<unknown>[]> {
  const outcomes: PromiseSettledResult<unknown>[] = [];
  for (const task of tasks) {
    try {
      outcomes.push({ status: 'fulfilled', value: await task() });
    } catch (reason) {
      outcomes.push({ status: 'rejected', reason });
    }
  }
  return outcomes;
}

/** Commands in one group: a host command waits for at most this many. */
export const MAX_GROUP = 16;

/** How a group enters the room: each task's outcome, in order. */
export type EnterGroup = (
  tasks: readonly (() => unknown)[],
) => Promise<PromiseSettledResult<unknown>[]>;

interface Waiting {
  task: () => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

export class StudentLane {
  private waiting: Waiting[] = [];
  private draining = false;

  constructor(private readonly enter: EnterGroup) {}

  /** Runs `task` in the room with the next group; settles with the task's own outcome. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ task, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, MAX_GROUP);
      try {
        const outcomes = await this.enter(group.map((w) => w.task));
        outcomes.forEach((outcome, k) => {
          if (outcome.status === 'fulfilled') group[k]!.resolve(outcome.value);
          else group[k]!.reject(outcome.reason);
        });
      } catch (err) {
        // The commit failed (the room has stopped): none of the group's events happened.
        for (const w of group) w.reject(err);
      }
    }
    this.draining = false;
  }
}
