/**
 * How often the store keeps a keyframe (the whole state) of a live session: sized to the
 * network. A keyframe is ~150 KB of state around the network (a full loss history, the
 * fit) plus ~20 bytes per weight: 150 KB for the default 3-4-1, 570 KB for the largest
 * 3-64×6-1. The events between two keyframes cost about the same whatever the network
 * (frames carry at most PARAMS_PER_SECOND weights: frames.ts), so a keyframe comes every
 * STORE_KEYFRAME_INTERVAL events times how many default keyframes it weighs: every 1000
 * events for the default network, every 4000 for the largest. The keyframes then stay a
 * like share of the store (and of a restart's or a seek's reading), and a big network's
 * ~570 KB state is serialized four times less often during play (bench:fair).
 *
 * Always a multiple of STORE_KEYFRAME_INTERVAL, so whoever looks for keyframes at those
 * multiples (a verification) finds every one.
 */
import { paramCount, type SessionState } from '@backprop/shared/session';

/** Events between two keyframes of the default network. */
export const STORE_KEYFRAME_INTERVAL = 1000;

/** What a keyframe weighs besides the network (bytes of JSON: a full loss history, the fit). */
const STATE_BYTES = 150_000;
/** JSON bytes per weight or bias at full precision. */
const BYTES_PER_PARAM = 20;

/** Events between two keyframes of a session in this state. */
export function keyframeInterval(state: Pick<SessionState, 'setup'>): number {
  const bytes = STATE_BYTES + BYTES_PER_PARAM * paramCount(state.setup.layers);
  return STORE_KEYFRAME_INTERVAL * Math.max(1, Math.round(bytes / (STATE_BYTES + 500)));
}
