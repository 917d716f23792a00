/**
 * Predict-then-reveal questions and answers in words, the checks of the answer forms, and
 * whether the host may pose a question now (the server's rule, so the button can say why
 * it is disabled instead of failing).
 */
import { stagesOf } from '@backprop/shared/nn';
import type { QuizAnswer, QuizQuestion, QuizReveal, SessionState } from '@backprop/shared/session';
import { fmt } from '../view/format';
import { matrixMeaning, weightMeaning, weightSymbol } from '../view/notation';

export type QuizKind = QuizQuestion['kind'];

/** The question as the class reads it. */
export function questionText(question: QuizQuestion, layers: readonly number[]): string {
  switch (question.kind) {
    case 'direction':
      return `Will ${weightSymbol(question.layer, question.to, question.from)} go up, go down or stay the same in this step?`;
    case 'largest':
      return `Which weight of matrix ${question.layer + 1} (${matrixMeaning(question.layer, layers)}) will change the most in this step?`;
    case 'loss':
      return 'What will the loss on this batch be after the update?';
  }
}

/** A line under the question that says what the symbols mean. */
export function questionDetail(question: QuizQuestion, layers: readonly number[]): string {
  switch (question.kind) {
    case 'direction':
      return `${weightSymbol(question.layer, question.to, question.from)} is the weight ${weightMeaning(question.layer, question.to, question.from, layers)}. It moves against its gradient: w ← w − α·∂E/∂w.`;
    case 'largest':
      return 'The change is α·∂E/∂w: the weight with the largest |∂E/∂w| in the matrix moves most.';
    case 'loss':
      return 'Within 10 % of the true value counts as right.';
  }
}

export function answerText(answer: QuizAnswer, layer = 0): string {
  switch (answer.kind) {
    case 'direction':
      return answer.value === 'same' ? 'stays the same' : answer.value;
    case 'largest':
      return weightSymbol(layer, answer.to, answer.from);
    case 'loss':
      return fmt(answer.value);
  }
}

export function sameAnswer(a: QuizAnswer, b: QuizAnswer): boolean {
  if (a.kind === 'direction' && b.kind === 'direction') return a.value === b.value;
  if (a.kind === 'largest' && b.kind === 'largest') return a.to === b.to && a.from === b.from;
  if (a.kind === 'loss' && b.kind === 'loss') return a.value === b.value;
  return false;
}

/**
 * Whether an answer scores against the reveal's truth, by the server's rules: the same
 * direction; the weight the truth names (a tie for the largest change also scores on the
 * server, which only `correctIds` can tell); a loss within 10 %.
 */
export function answerIsRight(answer: QuizAnswer, truth: QuizAnswer | null): boolean {
  if (!truth) return false;
  if (answer.kind === 'loss' && truth.kind === 'loss') {
    return Math.abs(answer.value - truth.value) <= 0.1 * truth.value;
  }
  return sameAnswer(answer, truth);
}

/** The distribution in a fixed order: up, down, same; weights in storage order; losses ascending. */
export function sortedDistribution(reveal: QuizReveal): QuizReveal['distribution'] {
  const order = { up: 0, down: 1, same: 2 } as const;
  const key = (a: QuizAnswer) =>
    a.kind === 'direction' ? order[a.value] : a.kind === 'largest' ? a.to * 1000 + a.from : a.value;
  return [...reveal.distribution].sort((a, b) => key(a.answer) - key(b.answer));
}

export interface WeightOption {
  layer: number;
  to: number;
  from: number;
  /** 'w¹₂₁ (from input unit 2 to hidden unit 1)' */
  label: string;
  /** 'weight 0-1-0': a select's value. */
  value: string;
}

export function weightValue(layer: number, to: number, from: number): string {
  return `${layer}-${to}-${from}`;
}

export function parseWeightValue(
  value: string,
): { layer: number; to: number; from: number } | null {
  const match = /^(\d+)-(\d+)-(\d+)$/.exec(value);
  if (!match) return null;
  return { layer: Number(match[1]), to: Number(match[2]), from: Number(match[3]) };
}

/** The weights of one matrix (or of all, when `layer` is undefined), in storage order. */
export function weightOptions(layers: readonly number[], layer?: number): WeightOption[] {
  const options: WeightOption[] = [];
  for (let l = 0; l < layers.length - 1; l++) {
    if (layer !== undefined && l !== layer) continue;
    for (let to = 0; to < layers[l + 1]!; to++) {
      for (let from = 0; from < layers[l]!; from++) {
        options.push({
          layer: l,
          to,
          from,
          label: `${weightSymbol(l, to, from)} (${weightMeaning(l, to, from, layers)})`,
          value: weightValue(l, to, from),
        });
      }
    }
  }
  return options;
}

/** A typed loss, or why it cannot be sent. */
export function parseLoss(
  text: string,
): { ok: true; value: number } | { ok: false; reason: string } {
  const trimmed = text
    .trim()
    .replace(/[\u2212]/g, '-')
    .replace(/,/g, '.');
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value))
    return { ok: false, reason: 'Enter a number, e.g. 0.12' };
  if (value < 0) return { ok: false, reason: 'A loss is never negative: ½·Σ(ŷ − y)² ≥ 0.' };
  if (value > 1e15) return { ok: false, reason: 'At most 10¹⁵.' };
  return { ok: true, value };
}

/**
 * Whether a quiz may open now, by the server's rule: not while playing, not while one is
 * open, and only before a backward or update stage (or with no step open: then it is about
 * the next batch step).
 */
export function quizOpenProblem(state: SessionState): string | null {
  if (state.playing) return 'Pause training to pose a question.';
  if (state.participation.quiz.current?.status === 'open')
    return 'A question is open: reveal or cancel it first.';
  const stepOpen =
    state.trace !== null && state.trace.weightsAfter === null && state.diverged === null;
  if (!stepOpen) return null;
  const stages = stagesOf({
    layers: state.setup.layers,
    activations: state.setup.activations,
    trainBiases: state.setup.trainBiases,
  });
  const next = stages[state.stageIndex];
  if (next && next.kind !== 'backward' && next.kind !== 'update') {
    return 'A question comes before a backward or update stage: run the forward pass and the error first, or finish the step.';
  }
  return null;
}

/** What the step the quiz is about will be: the rest of the open step, or one batch step. */
export function quizStepText(state: SessionState): string {
  const stepOpen =
    state.trace !== null && state.trace.weightsAfter === null && state.diverged === null;
  return stepOpen
    ? 'The reveal runs the rest of the open step.'
    : 'The reveal takes one batch step.';
}
