/**
 * How `session:events` messages travel (docs/protocol.md, "Frames on the wire").
 *
 * 1. Binary frame numbers. A play frame's `params` (the weights) and `fit` (the fit's
 *    predictions) are lists of 4-significant-digit numbers (compact.ts). As JSON each costs
 *    about 8 bytes; on the wire they travel as a Float32Array (4 bytes each), which
 *    socket.io sends as a binary attachment. A float32 has 7 significant digits, so rounding
 *    it to FRAME_DIGITS again gives back exactly the recorded number: the client's state is
 *    the recording's state, number for number, and nothing is lost beyond the 4 digits every
 *    frame already has. A list that a float32 cannot carry exactly (beyond ±3.4e38, or a
 *    subnormal) stays JSON.
 * 2. Skipped frames. Each socket has an outbox (server/src/socket/outbox.ts) that may drop
 *    a frame a slow client has not taken yet; the next message says which seqs were dropped,
 *    so the client does not mistake them for a gap. Only frames are ever dropped.
 */
import { compactNumber, compactNumbers } from '../session/compact';
import type { SessionEvent } from '../session/events';

/**
 * A frame's list as sent or received: JSON numbers, or float32s in the platform's byte order
 * (little-endian on every browser and server we know of); a receiver gets an ArrayBuffer in
 * a browser, a Buffer (a Uint8Array) in Node.
 */
export type WireNumbers = number[] | Float32Array | ArrayBuffer | Uint8Array;

type FrameEvent = Extract<SessionEvent, { type: 'frame' }>;

/** A frame as sent: `params` and `fit` may be binary. */
export type WireFrame = Omit<FrameEvent, 'params' | 'fit'> & {
  params?: WireNumbers;
  fit?: WireNumbers;
};

/** An event as sent in a `session:events` message. */
export type WireEvent = Exclude<SessionEvent, FrameEvent> | WireFrame;

/** Inclusive ranges of seqs [from, to] that the server dropped (frames only), oldest first. */
export type SkippedSeqs = [number, number][];

/** Adds the dropped seqs [from, to] to `skipped`, keeping it oldest first and merged. */
export function addSkipped(skipped: SkippedSeqs, from: number, to: number): void {
  skipped.push([from, to]);
  skipped.sort((a, b) => a[0] - b[0]);
  let kept = 0;
  for (const [start, end] of skipped) {
    const last = kept > 0 ? skipped[kept - 1]! : null;
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else skipped[kept++] = [start, end];
  }
  skipped.length = kept;
}

/**
 * Whether a message holds frames only: such a message may be thinned or dropped when newer
 * frames make it obsolete (newestFrames); any other message is never dropped.
 */
export function framesOnly(events: readonly { type: string }[]): boolean {
  return events.length > 0 && events.every((e) => e.type === 'frame');
}

/**
 * Of frames that wait, those newer frames do not make obsolete: the newest waiting frame
 * with the weights and the newest with the fit, where `newer` lacks them (at most two,
 * oldest first). A frame's step and losses are always superseded by a newer frame's. The
 * weights and the fit come rarely (a large network's weights, the fit once a second), and a
 * client that kept missing them would show old ones for as long as play runs.
 */
export function framesStillNeeded<E extends { seq: number; params?: unknown; fit?: unknown }>(
  waiting: readonly E[],
  newer: readonly E[],
): E[] {
  const keep = new Set<E>();
  for (const payload of ['params', 'fit'] as const) {
    if (newer.some((e) => e[payload] !== undefined)) continue;
    const last = waiting.findLast((e) => e[payload] !== undefined);
    if (last) keep.add(last);
  }
  return waiting.filter((e) => keep.has(e));
}

/**
 * A message of frames that waits and a newer one, as one message: the newer frames, after
 * the waiting frames still needed (framesStillNeeded); the other waiting frames are
 * `dropped`. The newest frame always goes: its step and losses are play's, and after the last
 * frame before a pause nothing would correct an older one (everyone must end on the same
 * numbers).
 */
export function newestFrames<E extends { seq: number; params?: unknown; fit?: unknown }>(
  waiting: readonly E[],
  newer: readonly E[],
): { kept: E[]; dropped: E[] } {
  const needed = framesStillNeeded(waiting, newer);
  return {
    kept: [...needed, ...newer],
    dropped: waiting.filter((e) => !needed.includes(e)),
  };
}

/**
 * How many bytes a binary attachment must save to be worth it. It is a WebSocket message of
 * its own beside the frame's (and socket.io's ~32-byte placeholder), and a phone throttled ×4
 * pays ~0.5–1 ms of main thread to receive a message (bench:client's traces), against
 * ~0.05 ms a KiB of Wi-Fi at a classroom share. So the default network's 21 weights (~170
 * bytes as JSON, 84 as float32) stay in the frame's one message; 2-8-8-1's 97 (~780 against
 * 388) and a fit's 200 predictions go binary.
 */
const ATTACHMENT_WORTH_BYTES = 256;

/**
 * The numbers of `values` as a Float32Array when that saves ATTACHMENT_WORTH_BYTES and loses
 * nothing after rounding; else as they are.
 */
export function packNumbers(values: readonly number[]): Float32Array | number[] {
  if (JSON.stringify(values).length - 4 * values.length < ATTACHMENT_WORTH_BYTES) {
    return [...values];
  }
  const packed = Float32Array.from(values);
  for (let k = 0; k < values.length; k++) {
    if (compactNumber(packed[k]!) !== values[k]) return [...values];
  }
  return packed;
}

/** The event as the wire carries it (binary numbers for frames; other events unchanged). */
export function toWire(event: SessionEvent): WireEvent {
  if (event.type !== 'frame') return event;
  const wire: WireFrame = { ...event };
  if (event.params) wire.params = packNumbers(event.params);
  if (event.fit) wire.fit = packNumbers(event.fit);
  return wire;
}

/**
 * The event as recorded, from what the wire delivered. Throws on a malformed binary
 * attachment (a length that is not a whole number of float32s): the server never sends one.
 */
export function fromWire(event: WireEvent): SessionEvent {
  if (event.type !== 'frame') return event;
  // Replaced in place, so the keys keep the recording's order (JSON of both is the same).
  const { params, fit } = event;
  const decoded = { ...event } as SessionEvent & { type: 'frame' };
  if (params !== undefined) decoded.params = unpackNumbers(params);
  if (fit !== undefined) decoded.fit = unpackNumbers(fit);
  return decoded;
}

export function unpackNumbers(values: WireNumbers): number[] {
  if (Array.isArray(values)) return values;
  // Not Array.from(values, …): that walks the typed array with an iterator, an object per
  // number, and a student's page unpacks every frame it shows (garbage that its main
  // thread's collector then clears, bench:client --allocations).
  return compactNumbers(values instanceof Float32Array ? values : float32View(values));
}

function float32View(bytes: ArrayBuffer | Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error('a binary frame list of a partial float');
  if (bytes instanceof ArrayBuffer) return new Float32Array(bytes);
  // A Node Buffer may sit at any offset of its pool: copy it to an aligned one.
  const aligned = new Uint8Array(bytes.byteLength);
  aligned.set(bytes);
  return new Float32Array(aligned.buffer);
}
