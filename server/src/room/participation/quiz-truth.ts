/**
 * What a quiz's step really did, read from the kernel's own trace of that step (the step
 * the reveal ran through the ordinary stepping code), and how each answer scores:
 * - direction: the weight went up, down or stayed the same (a dead relu unit's weights do);
 * - largest: the weight of the matrix whose |Δw| is largest (the first in storage order on a
 *   tie); an answer is right when its |Δw| equals that largest change, so ties are fair;
 * - loss: the mean loss on the step's batch after the update; an answer is right within
 *   10 % relative error (|answer − truth| ≤ 0.1 · truth).
 */
import type { Trace } from '@backprop/shared/nn';
import type { QuizAnswer, QuizQuestion, QuizReveal } from '@backprop/shared/session';

export const LOSS_TOLERANCE = 0.1;

/** A student's answer to the open quiz, secret until its reveal (Participation.answers). */
export interface Answer {
  answer: QuizAnswer;
  /** Server time (ms) of the last change. */
  at: number;
}

/** The completed step, as the kernel left it. */
export interface StepOutcome {
  trace: Readonly<Trace>;
  layers: readonly number[];
  /** The batch's mean loss with the updated network. */
  lossAfter: number;
}

/** The reveal: the truth and each answer scored; `outcome` null when the step was refused. */
export function revealOf(
  question: QuizQuestion,
  outcome: StepOutcome | null,
  answers: ReadonlyMap<string, Answer>,
): { reveal: QuizReveal; correct: Map<string, boolean> } {
  const correct = new Map<string, boolean>();
  const judged = outcome && judge(question, outcome);
  for (const [id, { answer }] of answers) correct.set(id, judged ? judged.isRight(answer) : false);
  return {
    reveal: {
      truth: judged?.truth ?? null,
      distribution: distributionOf(answers),
      correctIds: [...correct].filter(([, right]) => right).map(([id]) => id),
      weight: judged?.weight ?? null,
      loss: judged?.loss ?? null,
    },
    correct,
  };
}

interface Judged {
  truth: QuizAnswer;
  weight: QuizReveal['weight'];
  loss: QuizReveal['loss'];
  isRight(answer: QuizAnswer): boolean;
}

function judge(question: QuizQuestion, outcome: StepOutcome): Judged {
  const { trace, layers } = outcome;
  switch (question.kind) {
    case 'direction': {
      const { layer, to, from } = question;
      const k = to * layers[layer]! + from;
      const before = trace.weightsBefore[layer]![k]!;
      const after = trace.weightsAfter[layer]![k]!;
      const value = after > before ? 'up' : after < before ? 'down' : 'same';
      return {
        truth: { kind: 'direction', value },
        weight: { layer, to, from, before, after },
        loss: null,
        isRight: (answer) => answer.kind === 'direction' && answer.value === value,
      };
    }
    case 'largest': {
      const { layer } = question;
      const before = trace.weightsBefore[layer]!;
      const after = trace.weightsAfter[layer]!;
      const cols = layers[layer]!;
      const change = (k: number) => Math.abs(after[k]! - before[k]!);
      let best = 0;
      for (let k = 1; k < before.length; k++) if (change(k) > change(best)) best = k;
      const to = Math.floor(best / cols);
      const from = best % cols;
      return {
        truth: { kind: 'largest', to, from },
        weight: { layer, to, from, before: before[best]!, after: after[best]! },
        loss: null,
        isRight: (answer) =>
          answer.kind === 'largest' &&
          answer.to < layers[layer + 1]! &&
          answer.from < cols &&
          change(answer.to * cols + answer.from) === change(best),
      };
    }
    case 'loss': {
      const value = outcome.lossAfter;
      return {
        truth: { kind: 'loss', value },
        weight: null,
        loss: { before: trace.loss, after: value },
        isRight: (answer) =>
          answer.kind === 'loss' && Math.abs(answer.value - value) <= LOSS_TOLERANCE * value,
      };
    }
  }
}

/** Every distinct answer with its count: directions up, down, same; weights by position; losses by value. */
function distributionOf(answers: ReadonlyMap<string, Answer>): QuizReveal['distribution'] {
  const counts = new Map<string, { answer: QuizAnswer; count: number }>();
  for (const { answer } of answers.values()) {
    const key = JSON.stringify(answer);
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { answer, count: 1 });
  }
  return [...counts.values()].sort((a, b) => order(a.answer) - order(b.answer));
}

function order(answer: QuizAnswer): number {
  switch (answer.kind) {
    case 'direction':
      return ['up', 'down', 'same'].indexOf(answer.value);
    case 'largest':
      return answer.to * 64 + answer.from;
    case 'loss':
      return answer.value;
  }
}
