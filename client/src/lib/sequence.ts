import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import type { Sync } from '@backprop/shared/protocol';

/**
 * The ordering rules of a live client, with no socket in sight (so they are unit-tested):
 * an event is applied only when it is the next one (seq = state.seq + 1); an older or equal
 * seq is a duplicate and dropped; a newer one means something was missed, so it waits in
 * `pending` while the client asks the server to sync. Pending events are applied as soon as
 * the gap closes.
 */
export interface Sequenced {
  /** null until the first snapshot arrives (a join or resume answer). */
  state: SessionState | null;
  /** Events that arrived ahead of a gap, sorted by seq, all with seq > state.seq + 1. */
  pending: SessionEvent[];
}

export interface Received {
  next: Sequenced;
  /** True when events are missing between state.seq and the pending ones: ask for a sync. */
  gap: boolean;
}

/** How many out-of-order events to hold; past it they are dropped and the sync fills in. */
export const MAX_PENDING = 500;

export const EMPTY: Sequenced = { state: null, pending: [] };

export type EventOrder = 'next' | 'duplicate' | 'ahead';

export function orderOf(stateSeq: number, eventSeq: number): EventOrder {
  if (eventSeq === stateSeq + 1) return 'next';
  return eventSeq <= stateSeq ? 'duplicate' : 'ahead';
}

/** An event from the server (a `session:events` message holds one or more, in order). */
export function receiveEvent(current: Sequenced, event: SessionEvent): Received {
  if (!current.state) {
    // No snapshot yet: keep the event; the snapshot decides whether it is still news.
    return settle({ state: null, pending: withPending(current.pending, event) });
  }
  switch (orderOf(current.state.seq, event.seq)) {
    case 'duplicate':
      return { next: current, gap: current.pending.length > 0 };
    case 'next':
      return settle({ state: applyEvent(current.state, event), pending: current.pending });
    case 'ahead':
      return settle({ state: current.state, pending: withPending(current.pending, event) });
  }
}

/** The answer of session:join, session:resume or session:sync. */
export function receiveSync(current: Sequenced, sync: Sync): Received {
  if (sync.kind === 'snapshot') {
    const stale = current.state !== null && sync.state.seq < current.state.seq;
    return settle({ state: stale ? current.state : sync.state, pending: current.pending });
  }
  let sequenced: Sequenced = current;
  for (const event of [...sync.events].sort((a, b) => a.seq - b.seq)) {
    sequenced = receiveEvent(sequenced, event).next;
  }
  return settle(sequenced);
}

/** Applies the pending events that have become next, drops the stale ones, reports a gap. */
function settle(sequenced: Sequenced): Received {
  let { state } = sequenced;
  if (!state) return { next: sequenced, gap: false };
  const pending: SessionEvent[] = [];
  for (const event of sequenced.pending) {
    const order = orderOf(state.seq, event.seq);
    if (order === 'next') state = applyEvent(state, event);
    else if (order === 'ahead') pending.push(event);
  }
  const unchanged = state === sequenced.state && pending.length === sequenced.pending.length;
  return { next: unchanged ? sequenced : { state, pending }, gap: pending.length > 0 };
}

function withPending(pending: SessionEvent[], event: SessionEvent): SessionEvent[] {
  if (pending.some((p) => p.seq === event.seq)) return pending;
  const next = [...pending, event].sort((a, b) => a.seq - b.seq);
  // Keep the oldest: they are the ones the next sync is least likely to cover.
  return next.length > MAX_PENDING ? next.slice(0, MAX_PENDING) : next;
}
