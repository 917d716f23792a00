/**
 * Predict, then reveal. The host asks about the step that is open (before its backward or
 * update stage) or, with no step open, about the next whole batch step. Students answer
 * within the time limit (server clock), changing their answer until it is locked. The
 * reveal locks the answers, then takes that very step through the room's ordinary stepping
 * code (the rest of the open staged step, or one batch step), so the truth is the kernel's
 * real outcome and the class sees the step happen; the answers are scored against it.
 *
 * A quiz whose step happens without a reveal (the host steps or plays on, the class steps,
 * a weight is edited, a reset) is cancelled by the reducer: it was about that step.
 */
import { fail, type Payload, type Result } from '@backprop/shared/protocol';
import type { QuizQuestion } from '@backprop/shared/session';
import type { ParticipationContext } from './context';
import { finishStagedStep, hostStep } from '../stepping';
import { nextId } from './ids';
import { answerText, questionText, type QuizResultRow } from './quiz-results';
import { revealOf, type StepOutcome } from './quiz-truth';

export function hostQuizOpen(
  room: ParticipationContext,
  payload: Payload<'host:quiz-open'>,
): Result<{ quizId: string }> {
  const { state, training } = room;
  if (state.playing) return fail('busy', 'Pause training before opening a quiz.');
  const current = state.participation.quiz.current;
  if (current?.status === 'open') return fail('busy', 'A quiz is open: reveal or cancel it first.');
  const next = training.nextStage;
  if (next && next.kind !== 'backward' && next.kind !== 'update') {
    return fail(
      'bad-request',
      'A quiz opens before a backward or update stage: run the forward pass and the error first (or finish the step).',
    );
  }
  const question = questionOf(payload);
  const problem = questionProblem(question, state.setup.layers);
  if (problem) return fail('bad-request', problem);
  const quizId = nextId(room, 'q');
  // The event carries openedAt as its time: both come from one clock read.
  const openedAt = room.now();
  const closesAt = openedAt + payload.timeLimitSeconds * 1000;
  room.participation.answers = { quizId, byStudent: new Map() };
  room.record({ type: 'quiz-opened', quizId, question, step: state.step + 1, closesAt }, openedAt);
  return { ok: true, quizId };
}

export function studentAnswer(
  room: ParticipationContext,
  participantId: string,
  payload: Payload<'student:answer'>,
): Result {
  return room.participation.keys.once(participantId, 'student:answer', payload.key, () =>
    answer(room, participantId, payload),
  );
}

function answer(
  room: ParticipationContext,
  participantId: string,
  { quizId, answer }: Payload<'student:answer'>,
): Result {
  const quiz = room.state.participation.quiz.current;
  if (quiz?.id !== quizId || quiz.status !== 'open') {
    return fail('closed', 'This quiz is over (answers are locked).');
  }
  const now = room.participation.clock.now();
  if (now > quiz.closesAt) return fail('closed', 'Time is up for this quiz.');
  if (answer.kind !== quiz.question.kind) {
    return fail('bad-request', `This quiz asks for a ${quiz.question.kind} answer.`);
  }
  if (answer.kind === 'largest' && quiz.question.kind === 'largest') {
    const problem = questionProblem(
      { kind: 'direction', layer: quiz.question.layer, to: answer.to, from: answer.from },
      room.state.setup.layers,
    );
    if (problem) return fail('bad-request', problem);
  }
  const answers = answersOf(room, quizId);
  const first = !answers.has(participantId);
  answers.set(participantId, { answer, at: now });
  // A changed answer changes nothing public: the answers stay secret until the reveal.
  if (first) room.record({ type: 'quiz-answered', quizId, answers: answers.size });
  return { ok: true };
}

/** A removed student's answer no longer counts. */
export function dropAnswer(room: ParticipationContext, participantId: string): void {
  const quiz = room.state.participation.quiz.current;
  if (quiz?.status !== 'open') return;
  const answers = answersOf(room, quiz.id);
  if (answers.delete(participantId)) {
    room.record({ type: 'quiz-answered', quizId: quiz.id, answers: answers.size });
  }
}

export async function hostQuizReveal(room: ParticipationContext): Promise<Result> {
  const quiz = room.state.participation.quiz.current;
  if (quiz?.status !== 'open') return fail('closed', 'There is no open quiz.');
  if (room.state.playing) return fail('busy', 'Pause training before revealing.');
  room.record({ type: 'quiz-locked', quizId: quiz.id });
  const stepped = room.training.stagedStepOpen
    ? finishStagedStep(room)
    : await hostStep(room, 'batch');
  // A refused step (diverged) changed no weight: there is nothing to score against.
  const outcome: StepOutcome | null = stepped.ok
    ? {
        trace: room.training.lastTrace,
        layers: room.state.setup.layers,
        lossAfter: room.training.lossOnLastBatch(),
      }
    : null;
  const answers = answersOf(room, quiz.id);
  const { reveal, correct } = revealOf(quiz.question, outcome, answers);
  room.record({ type: 'quiz-revealed', quizId: quiz.id, reveal });
  room.participation.keepQuizResults(
    resultRows(room, quiz.number, quiz.question, quiz.openedAt, correct),
  );
  return { ok: true };
}

export function hostQuizCancel(room: ParticipationContext): Result {
  const quiz = room.state.participation.quiz.current;
  if (quiz?.status !== 'open') return fail('closed', 'There is no open quiz.');
  room.record({ type: 'quiz-cancelled', quizId: quiz.id });
  return { ok: true };
}

export function hostLeaderboard(
  room: ParticipationContext,
  { visible }: Payload<'host:leaderboard'>,
): Result {
  if (visible !== room.state.participation.quiz.leaderboardVisible) {
    room.record({ type: 'leaderboard-set', visible });
  }
  return { ok: true };
}

function questionOf(payload: Payload<'host:quiz-open'>): QuizQuestion {
  switch (payload.kind) {
    case 'direction':
      return { kind: 'direction', layer: payload.layer, to: payload.to, from: payload.from };
    case 'largest':
      return { kind: 'largest', layer: payload.layer };
    case 'loss':
      return { kind: 'loss' };
  }
}

/** Why the weight or matrix a question names is not in this network, or null. */
function questionProblem(question: QuizQuestion, layers: readonly number[]): string | null {
  if (question.kind === 'loss') return null;
  const { layer } = question;
  const shape = layers.join('-');
  if (layer >= layers.length - 1) {
    return `This ${shape} network has ${layers.length - 1} weight matrices (0 to ${layers.length - 2}).`;
  }
  if (question.kind === 'largest') return null;
  if (question.to >= layers[layer + 1]! || question.from >= layers[layer]!) {
    return `There is no weight from unit ${question.from} to unit ${question.to} in weight matrix ${layer} of this ${shape} network.`;
  }
  return null;
}

function answersOf(room: ParticipationContext, quizId: string) {
  const { participation } = room;
  if (participation.answers.quizId !== quizId) {
    participation.answers = { quizId, byStudent: new Map() };
  }
  return participation.answers.byStudent;
}

function resultRows(
  room: ParticipationContext,
  number: number,
  question: QuizQuestion,
  openedAt: number,
  correct: ReadonlyMap<string, boolean>,
): QuizResultRow[] {
  const names = new Map(room.state.participants.map((p) => [p.id, p.name]));
  const text = questionText(number, question);
  return [...answersOf(room, room.state.participation.quiz.current!.id)].map(([id, given]) => ({
    name: names.get(id) ?? '(left)',
    question: text,
    answer: answerText(given.answer),
    correct: correct.get(id) ?? false,
    seconds: Math.max(0, (given.at - openedAt) / 1000),
  }));
}
