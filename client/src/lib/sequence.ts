import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import type { SkippedSeqs, Sync } from '@backprop/shared/protocol';

/**
 * The ordering rules of a live client, with no socket in sight (so they are unit-tested):
 * an event is applied only when it is the next one (seq = state.seq + 1); an older or equal
 * seq is a duplicate and dropped; a newer one means something was missed, so it waits in
 * `pending` while the client asks the server to sync. Pending events are applied as soon as
 * the gap closes.
 *
 * Frames the server dropped for this client (it was slow: server/src/socket/outbox.ts) are
 * not a gap: each message says which seqs were dropped (`skipped`), and once the state
 * reaches one of them the client counts it as applied and moves on. A dropped frame is
 * superseded by the next one (which carries the step, epoch and losses again); what the
 * state misses is its loss point, and its weights if it carried them, in which case
 * `networkStep` keeps saying how old the shown weights are.
 */
export interface Sequenced {
  /** null until the first snapshot arrives (a join or resume answer). */
  state: SessionState | null;
  /** Events that arrived ahead of a gap, sorted by seq, all with seq > state.seq + 1. */
  pending: SessionEvent[];
  /** Seq ranges the server dropped (frames), not yet reached by state.seq. */
  skipped: SkippedSeqs;
}

export interface Received {
  next: Sequenced;
  /** True when events are missing between state.seq and the pending ones: ask for a sync. */
  gap: boolean;
}

/** How many out-of-order events to hold; past it they are dropped and the sync fills in. */
export const MAX_PENDING = 500;

/** How many dropped ranges to remember; a flood of them past this is left to a sync. */
export const MAX_SKIPPED = 500;

export const EMPTY: Sequenced = { state: null, pending: [], skipped: [] };

export type EventOrder = 'next' | 'duplicate' | 'ahead';

export function orderOf(stateSeq: number, eventSeq: number): EventOrder {
  if (eventSeq === stateSeq + 1) return 'next';
  return eventSeq <= stateSeq ? 'duplicate' : 'ahead';
}

/** An event from the server (a `session:events` message holds one or more, in order). */
export function receiveEvent(current: Sequenced, event: SessionEvent): Received {
  if (!current.state) {
    // No snapshot yet: keep the event; the snapshot decides whether it is still news.
    return settle({ ...current, pending: withPending(current.pending, event) });
  }
  switch (orderOf(current.state.seq, event.seq)) {
    case 'duplicate':
      return { next: current, gap: current.pending.length > 0 };
    case 'next':
      return settle({ ...current, state: applyEvent(current.state, event) });
    case 'ahead':
      return settle({ ...current, pending: withPending(current.pending, event) });
  }
}

/** A message's `skipped`: the seqs the server dropped for this client (frames only). */
export function receiveSkipped(current: Sequenced, skipped: SkippedSeqs): Received {
  if (skipped.length === 0) return { next: current, gap: current.pending.length > 0 };
  const known = [...current.skipped, ...skipped].sort((a, b) => a[0] - b[0]);
  return settle({ ...current, skipped: known.slice(-MAX_SKIPPED) });
}

/**
 * One `session:events` message: first what the server dropped (so the events after it are
 * not taken for a gap), then its events in order.
 */
export function receiveMessage(
  current: Sequenced,
  events: readonly SessionEvent[],
  skipped: SkippedSeqs,
): Received {
  let received = receiveSkipped(current, skipped);
  for (const event of events) received = receiveEvent(received.next, event);
  return received;
}

/** The answer of session:join, session:resume or session:sync. */
export function receiveSync(current: Sequenced, sync: Sync): Received {
  if (sync.kind === 'snapshot') {
    const stale = current.state !== null && sync.state.seq < current.state.seq;
    return settle({ ...current, state: stale ? current.state : sync.state });
  }
  let sequenced: Sequenced = current;
  for (const event of [...sync.events].sort((a, b) => a.seq - b.seq)) {
    sequenced = receiveEvent(sequenced, event).next;
  }
  return settle(sequenced);
}

/**
 * Applies the pending events that have become next (stepping over dropped seqs), drops the
 * stale ones and the dropped ranges already passed, reports a gap.
 */
function settle(sequenced: Sequenced): Received {
  let { state } = sequenced;
  if (!state) return { next: sequenced, gap: false };
  const pending: SessionEvent[] = [];
  for (const event of sequenced.pending) {
    state = skipDropped(state, sequenced.skipped);
    const order = orderOf(state.seq, event.seq);
    if (order === 'next') state = applyEvent(state, event);
    else if (order === 'ahead') pending.push(event);
  }
  state = skipDropped(state, sequenced.skipped);
  const seq = state.seq;
  const skipped = sequenced.skipped.filter(([, to]) => to > seq);
  const unchanged =
    state === sequenced.state &&
    pending.length === sequenced.pending.length &&
    skipped.length === sequenced.skipped.length;
  return { next: unchanged ? sequenced : { state, pending, skipped }, gap: pending.length > 0 };
}

/** The state past every dropped range that starts right after it (sorted by start). */
function skipDropped(state: SessionState, skipped: SkippedSeqs): SessionState {
  let seq = state.seq;
  for (const [from, to] of skipped) if (from <= seq + 1 && to > seq) seq = to;
  return seq === state.seq ? state : { ...state, seq };
}

function withPending(pending: SessionEvent[], event: SessionEvent): SessionEvent[] {
  if (pending.some((p) => p.seq === event.seq)) return pending;
  const next = [...pending, event].sort((a, b) => a.seq - b.seq);
  // Keep the oldest: they are the ones the next sync is least likely to cover.
  return next.length > MAX_PENDING ? next.slice(0, MAX_PENDING) : next;
}
