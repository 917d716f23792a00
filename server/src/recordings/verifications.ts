/**
 * Verifications on the server, one at a time: re-simulating an hour of play is seconds of
 * CPU, so requests queue rather than compete (each yields to the event loop in slices, so
 * live rooms keep their pace). A result is kept per recording and length: asking again
 * about an unchanged recording costs nothing.
 */
import type { RecordingVerifyReply } from '@backprop/shared/protocol';
import { TaskQueue } from '../room/task-queue';
import type { Keyframe } from '@backprop/shared/recording';
import type { AsyncStore, SessionRecord } from '../store';
import { verifyRecording } from './verify';

const PAGE = 2000;
const KEPT = 64;

export class Verifications {
  private readonly queue = new TaskQueue();
  private readonly results = new Map<string, Promise<RecordingVerifyReply>>();

  constructor(private readonly keyframeInterval: number) {}

  /** Rejects with CannotSimulate when the recording cannot be re-simulated. */
  verify(store: AsyncStore, record: SessionRecord): Promise<RecordingVerifyReply> {
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

  private async run(store: AsyncStore, record: SessionRecord): Promise<RecordingVerifyReply> {
    const initial = await store.initialState(record.code);
    if (!initial) throw new Error(`recording ${record.replayId} has no initial state`);
    const { code, lastSeq } = record;
    const interval = this.keyframeInterval;
    const csv = await store.csvSetups(code);
    // The stored keyframes of the page being checked, read with it.
    let keyframes = new Map<number, Keyframe>();
    return verifyRecording({
      initial,
      async *events() {
        for (let seq = initial.seq; seq < lastSeq;) {
          const page = await store.eventsSince(code, seq, Math.min(PAGE, lastSeq - seq));
          if (page.length === 0) return;
          keyframes = await keyframesIn(store, code, seq, page.at(-1)!.seq, interval);
          yield page;
          seq = page.at(-1)!.seq;
        }
      },
      csv: () => csv,
      keyframe: (seq) => keyframes.get(seq) ?? null,
    });
  }
}

/** The stored keyframes at multiples of `interval` with after < seq ≤ through, by seq. */
async function keyframesIn(
  store: AsyncStore,
  code: string,
  after: number,
  through: number,
  interval: number,
): Promise<Map<number, Keyframe>> {
  const found = new Map<number, Keyframe>();
  for (let seq = (Math.floor(after / interval) + 1) * interval; seq <= through; seq += interval) {
    const keyframe = await store.latestKeyframe(code, seq);
    if (keyframe?.seq === seq) found.set(seq, keyframe);
  }
  return found;
}
