/**
 * The state of a recording at any point, computed on the server: the latest stored
 * keyframe at or before the point, plus the events after it (at most
 * STORE_KEYFRAME_INTERVAL − 1 of them), through the shared reducer. The cost does not grow
 * with the recording's length (docs/benchmarks.md: "Recording and replay").
 */
import { applyEvents, type SessionState } from '@backprop/shared/session';
import type { AsyncStore, SessionRecord } from '../store';

/** The state after event `seq` (firstSeq ≤ seq ≤ lastSeq: the caller checks). */
export async function stateAt(
  store: AsyncStore,
  record: SessionRecord,
  seq: number,
): Promise<SessionState> {
  const keyframe = await store.latestKeyframe(record.code, seq);
  const base = keyframe?.state ?? (await store.initialState(record.code));
  if (!base) throw new Error(`recording ${record.replayId} has no initial state`);
  if (base.seq === seq) return base;
  return applyEvents(base, await store.eventsSince(record.code, base.seq, seq - base.seq));
}

/**
 * The seq whose state was current at time `t`: the last event at or before t (firstSeq
 * before the first event). Event times never decrease, so a binary search over seqs,
 * reading one event per probe.
 */
export async function seqAtTime(
  store: AsyncStore,
  record: SessionRecord,
  t: number,
): Promise<number> {
  let low = record.initialSeq;
  let high = record.lastSeq;
  while (low < high) {
    const mid = low + Math.ceil((high - low) / 2);
    const event = (await store.eventsSince(record.code, mid - 1, 1))[0];
    if (event && event.t <= t) low = mid;
    else high = mid - 1;
  }
  return low;
}
