/**
 * What the host puts in front of the class besides the network: a weight's chain rule or a
 * unit's dot product (the focus), and the participation cards on the projector. Set by
 * host:class-view, recorded as 'class-view-set', so late joiners and replays see it too.
 */
import type { SessionState } from './state';

/**
 * A weight or a unit of the network. Weight indices follow the arrays (weights[layer][to][from],
 * layer = 0-based weight matrix, as in 'weight-edited'); unit layers count from 0 = input
 * to L = output, as setup.layers does.
 */
export type Focus =
  | { kind: 'weight'; layer: number; to: number; from: number }
  | { kind: 'unit'; layer: number; unit: number };

export interface ClassView {
  /** The weight or unit whose inspector every screen shows; null for none. */
  focus: Focus | null;
  /**
   * Whether the projector shows the participation cards (vote, quiz, race, leaderboard)
   * over its charts. A new vote, quiz or race shows them; the host hides them.
   */
  cards: boolean;
}

export const INITIAL_CLASS_VIEW: ClassView = { focus: null, cards: true };

/** Whether `focus` names a weight or unit of a network with these layers (units per layer). */
export function focusFits(focus: Focus, layers: readonly number[]): boolean {
  if (focus.kind === 'unit') {
    return focus.layer < layers.length && focus.unit < (layers[focus.layer] ?? 0);
  }
  return (
    focus.layer < layers.length - 1 &&
    focus.to < (layers[focus.layer + 1] ?? 0) &&
    focus.from < (layers[focus.layer] ?? 0)
  );
}

/**
 * A state saved before `classView` existed (a stored snapshot or keyframe of an older
 * server) gets its initial value; imported files get it from their schema's default.
 */
export function withClassView(state: SessionState): SessionState {
  return (state as Partial<SessionState>).classView
    ? state
    : { ...state, classView: INITIAL_CLASS_VIEW };
}
