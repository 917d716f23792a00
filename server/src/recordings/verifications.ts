/**
 * Verifications on the server, one at a time: re-simulating an hour of play is seconds of
 * CPU, so requests queue rather than compete (each yields to the event loop in slices, so
 * live rooms keep their pace). A result is kept per recording and length: asking again
 * about an unchanged recording costs nothing.
 */
import type { RecordingVerifyReply } from '@backprop/shared/protocol';
import { TaskQueue } from '../room/task-queue';
import type { SessionRecord, Store } from '../store';
import { verifyRecording } from './verify';

const PAGE = 2000;
const KEPT = 64;

export class Verifications {
  private readonly queue = new TaskQueue();
  private readonly results = new Map<string, Promise<RecordingVerifyReply>>();

  constructor(private readonly keyframeInterval: number) {}

  /** Rejects with CannotSimulate when the recording cannot be re-simulated. */
  verify(store: Store, record: SessionRecord): Promise<RecordingVerifyReply> {
    const key = `${record.replayId}:${record.lastSeq}`;
    let result = this.results.get(key);
    if (!result) {
      result = this.queue.run(() => this.run(store, record));
      this.results.set(key, result);
      while (this.results.size > KEPT) this.results.delete(this.results.keys().next().value!);
    }
    return result;
  }

  forget(replayId: string): void {
    for (const key of this.results.keys())
      if (key.startsWith(`${replayId}:`)) this.results.delete(key);
  }

  private run(store: Store, record: SessionRecord): Promise<RecordingVerifyReply> {
    const initial = store.initialState(record.code);
    if (!initial) throw new Error(`recording ${record.replayId} has no initial state`);
    const { code, lastSeq } = record;
    const interval = this.keyframeInterval;
    return verifyRecording({
      initial,
      *events() {
        for (let seq = initial.seq; seq < lastSeq;) {
          const page = store.eventsSince(code, seq, Math.min(PAGE, lastSeq - seq));
          if (page.length === 0) return;
          yield page;
          seq = page.at(-1)!.seq;
        }
      },
      csv: () => store.csvSetups(code),
      keyframe: (seq) => {
        if (seq % interval !== 0) return null;
        const keyframe = store.latestKeyframe(code, seq);
        return keyframe?.seq === seq ? keyframe : null;
      },
    });
  }
}
