import { formatNumber } from '@backprop/shared/data';
import type { SessionState } from '@backprop/shared/session';
import { percent } from '../lib/plane/accuracy';
import { stageText } from '../lib/view/notation';
import { weightsAgeText } from '../lib/view/weights-age';

/** The latest training loss, or null before the first step. */
export function latestLoss(state: SessionState): number | null {
  return state.loss.at(-1)?.train ?? null;
}

/**
 * One sentence for screen readers and the status line: where training is. `weightsAge`:
 * whether to say how old the weights are (a view keeps it steady: steadyWeightsAge).
 */
export function trainingSummary(
  state: SessionState,
  weightsAge = state.networkStep !== undefined,
): string {
  const loss = latestLoss(state);
  const parts = [`Step ${state.step}`, `epoch ${state.epoch}`];
  if (loss !== null) parts.push(`loss ${formatNumber(loss)}`);
  if (state.accuracy) parts.push(`accuracy ${percent(state.accuracy.train)}`);
  const stepOpen = state.trace !== null && state.trace.weightsAfter === null;
  if (state.playing) parts.push('playing');
  else if (state.lastStage)
    parts.push(`last stage: ${stageText(state.lastStage, state.setup.layers)}`);
  else if (stepOpen && state.sample) parts.push(`new step on data row ${state.sample.row + 1}`);
  if (weightsAge) parts.push(weightsAgeText(state));
  if (state.diverged) parts.push(`training stopped: step ${state.diverged.step} was refused`);
  return `${parts.join(', ')}.`;
}

/**
 * The banner after a divergence, in the same terms as the status line: the refused step
 * (its loss is in the reason) and the last applied step, whose weights and loss are shown.
 */
export function divergenceText(state: SessionState): string | null {
  const d = state.diverged;
  if (!d) return null;
  const loss = latestLoss(state);
  const applied =
    state.step === 0
      ? 'The network keeps its initial weights (step 0)'
      : `The network keeps the weights of step ${state.step}, the last applied step` +
        (loss === null ? '' : ` (training loss ${formatNumber(loss)})`);
  return (
    `Training stopped: step ${d.step} was refused at learning rate ` +
    `${formatNumber(d.learningRate)}: ${d.reason}. ${applied}. ` +
    'Lower the learning rate, then step again or reset.'
  );
}
