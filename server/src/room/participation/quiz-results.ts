/**
 * The rows of the host's quiz results export (GET …/quiz-results.csv): one per answer of
 * every revealed quiz, kept by the room when the quiz is revealed, with the student's name
 * as it was then (a student who leaves later still has their row).
 */
import type { QuizAnswer, QuizQuestion } from '@backprop/shared/session';

export interface QuizResultRow {
  name: string;
  question: string;
  answer: string;
  correct: boolean;
  /** Seconds from the quiz's opening to the student's (last) answer. */
  seconds: number;
}

export function questionText(number: number, question: QuizQuestion): string {
  switch (question.kind) {
    case 'direction':
      return `Q${number}: will weight matrix ${question.layer + 1}, unit ${question.from} → unit ${question.to}, go up or down?`;
    case 'largest':
      return `Q${number}: which weight of matrix ${question.layer + 1} will change most?`;
    case 'loss':
      return `Q${number}: what will the loss be after the step?`;
  }
}

export function answerText(answer: QuizAnswer): string {
  switch (answer.kind) {
    case 'direction':
      return answer.value;
    case 'largest':
      return `unit ${answer.from} → unit ${answer.to}`;
    case 'loss':
      return String(answer.value);
  }
}
