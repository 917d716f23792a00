import type { SessionState } from '@backprop/shared/session';

/**
 * While a big network plays, frames carry its weights only now and then (docs/recordings.md,
 * server/src/room/frames.ts): the weights shown are those of an earlier step, and every view
 * that shows them says so rather than passing them off as current (in words around the step
 * of the weights shown, WEIGHTS_AGE_WORDS).
 */

/** The step of the weights shown. */
export function weightsStep(state: SessionState): number {
  return state.networkStep ?? state.step;
}

/**
 * The words that say how old the weights are, around their step (a figure: it changes in
 * play, ui/Figure.svelte).
 */
export const WEIGHTS_AGE_WORDS = [
  'weights shown are of step ',
  ', updated every few seconds while playing',
] as const;

/**
 * For a `$derived.by`: whether a view says how old the weights are. Frames with and without
 * weights alternate while a network past the default plays, so `networkStep` comes and goes
 * up to twenty times a second; a line that came and went with it would make the page jump
 * (and a phone lay it out again) at every frame. Once shown during play it stays until play
 * stops, naming the step of the weights shown, which is the current step when they are.
 */
export function steadyWeightsAge(state: () => SessionState): () => boolean {
  let shown = false;
  return () => {
    const s = state();
    shown = s.networkStep !== undefined || (s.playing && shown);
    return shown;
  };
}
