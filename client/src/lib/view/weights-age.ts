import type { SessionState } from '@backprop/shared/session';

/**
 * While a big network plays, frames carry its weights only now and then (docs/recordings.md,
 * server/src/room/frames.ts): the weights shown are those of an earlier step, and every view
 * that shows them says so rather than passing them off as current.
 */
export function weightsAgeText(state: SessionState): string {
  return `weights shown are of step ${state.networkStep ?? state.step}, updated every few seconds while playing`;
}
