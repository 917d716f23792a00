/**
 * Students' commands wait their turn here before entering the room's queue, one at a
 * time. When 200 phones propose and vote at the same moment, the room's queue would
 * otherwise hold hundreds of student tasks, and the instructor's next command would wait
 * behind all of them (seconds). Through the lane at most one student task is in the room's
 * queue at once, so a host command (or a play frame) waits for one student task at most,
 * while the students' own commands still run one by one, each student's in order.
 */
export class StudentLane {
  private tail: Promise<unknown> = Promise.resolve();

  /** `enter` queues the task in the room (room.run); it is called when the lane is free. */
  run<T>(enter: () => Promise<T>): Promise<T> {
    const result = this.tail.then(enter);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
