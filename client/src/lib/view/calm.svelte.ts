/**
 * The session as seen by what does not show play's numbers (a student's participation
 * cards, the class focus, who they are): the state of the moment, kept as long as a new
 * one differs only in what a state of play changes. Such a view then does no work at the
 * ten states a second of play (steady.svelte.ts says why a derived would).
 */
import type { SessionState } from '@backprop/shared/session';
import { steady } from './steady.svelte';

/** What a frame of play changes (shared/src/session/reducer.ts, 'frame'). */
const PLAY_FIELDS: ReadonlySet<string> = new Set([
  'seq',
  'step',
  'epoch',
  'network',
  'networkStep',
  'fit',
  'loss',
  'penalty',
  'accuracy',
  'diverged',
  'stageIndex',
  'lastStage',
  'trace',
] satisfies (keyof SessionState)[]);

/** Whether two states differ only in what play changes. */
export function sameApartFromPlay(a: SessionState, b: SessionState): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  for (const key in y) if (!PLAY_FIELDS.has(key) && x[key] !== y[key]) return false;
  for (const key in x) if (!PLAY_FIELDS.has(key) && !(key in y)) return false;
  return true;
}

/** A calm view of the session `read` gives (call during a component's initialization). */
export function calm(read: () => SessionState): { readonly current: SessionState } {
  return steady(read, sameApartFromPlay);
}
