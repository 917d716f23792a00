import { formatNumber } from '@backprop/shared/data';
import type { SessionState } from '@backprop/shared/session';
import { percent } from '../lib/plane/accuracy';
import { stageText } from '../lib/view/notation';
import { WEIGHTS_AGE_WORDS, weightsStep } from '../lib/view/weights-age';

/** The latest training loss, or null before the first step. */
export function latestLoss(state: SessionState): number | null {
  return state.loss.at(-1)?.train ?? null;
}

/**
 * A piece of the training summary: words, or a figure, a number that changes at every state
 * of play (a view in play may draw it as one: ui/Figure.svelte).
 */
export interface SummaryPiece {
  text: string;
  figure: boolean;
}

/**
 * One sentence for screen readers and the status line: where training is. `weightsAge`:
 * whether to say how old the weights are (a view keeps it steady: steadyWeightsAge).
 */
export function trainingSummary(
  state: SessionState,
  weightsAge = state.networkStep !== undefined,
): string {
  return summaryText(summaryPieces(state, weightsAge));
}

/** The sentence the pieces make. */
export function summaryText(pieces: readonly SummaryPiece[]): string {
  return pieces.map((piece) => piece.text).join('');
}

/**
 * trainingSummary in pieces: its words, and the figures in them. Words next to words are one
 * piece (a view draws each piece in one go). Built in one array: a student's page builds it
 * at every state of play, and its garbage is collected on a phone's main thread.
 */
export function summaryPieces(
  state: SessionState,
  weightsAge = state.networkStep !== undefined,
): SummaryPiece[] {
  const pieces: SummaryPiece[] = [];
  addWords(pieces, 'Step ');
  pieces.push({ text: String(state.step), figure: true });
  addWords(pieces, ', epoch ');
  pieces.push({ text: String(state.epoch), figure: true });
  const loss = latestLoss(state);
  if (loss !== null) {
    addWords(pieces, ', loss ');
    pieces.push({ text: formatNumber(loss), figure: true });
  }
  if (state.accuracy) {
    addWords(pieces, ', accuracy ');
    pieces.push({ text: percent(state.accuracy.train), figure: true });
  }
  const stepOpen = state.trace !== null && state.trace.weightsAfter === null;
  if (state.playing) addWords(pieces, ', playing');
  else if (state.lastStage)
    addWords(pieces, `, last stage: ${stageText(state.lastStage, state.setup.layers)}`);
  else if (stepOpen && state.sample)
    addWords(pieces, `, new step on data row ${state.sample.row + 1}`);
  if (weightsAge) {
    const [before, after] = WEIGHTS_AGE_WORDS;
    addWords(pieces, `, ${before}`);
    pieces.push({ text: String(weightsStep(state)), figure: true });
    addWords(pieces, after);
  }
  if (state.diverged)
    addWords(pieces, `, training stopped: step ${state.diverged.step} was refused`);
  addWords(pieces, '.');
  return pieces;
}

function addWords(pieces: SummaryPiece[], text: string): void {
  const last = pieces[pieces.length - 1];
  if (last && !last.figure) last.text += text;
  else pieces.push({ text, figure: false });
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
