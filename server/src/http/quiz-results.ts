/**
 * GET /api/sessions/:code/quiz-results.csv — the host downloads every answer of every
 * revealed quiz, with `Authorization: Bearer <hostToken>` (a header, never the URL, so the
 * token stays out of access logs). Columns: name, question, answer, correct, time (seconds
 * from the quiz's opening to the answer).
 *
 * Names and notes are typed by students, and a spreadsheet runs a cell that starts with
 * = + - @ as a formula (CSV injection): such cells get a leading apostrophe, which
 * spreadsheets show as text.
 */
import express from 'express';
import type { Logger } from 'pino';
import type { QuizResultRow } from '../room/participation/quiz-results';
import type { Room } from '../room/room';
import { sendAnswer, type AskRoom, type HttpAnswer } from './host-request';
import { askedBy } from './http-replies';

export const QUIZ_RESULTS_COLUMNS = ['name', 'question', 'answer', 'correct', 'time'] as const;

export function quizResultsRouter(ask: AskRoom, trustProxy: boolean): express.Router {
  const router = express.Router();
  router.get('/sessions/:code/quiz-results.csv', async (req, res) => {
    const answer = await ask({ kind: 'quiz-results', ...askedBy(req, trustProxy) });
    sendAnswer(res, answer);
  });
  return router;
}

/** The room's side (host-answers.ts), once the host's token has been checked. */
export function quizResultsAnswer(room: Room, logger: Logger): HttpAnswer {
  const rows = room.participation.quizResults.flat();
  logger.info({ code: room.code, rows: rows.length }, 'quiz results exported');
  return {
    status: 200,
    headers: { 'Cache-Control': 'no-store' },
    csv: quizResultsCsv(rows),
    filename: `quiz-results-${room.code}.csv`,
  };
}

export function quizResultsCsv(rows: readonly QuizResultRow[]): string {
  const lines = [QUIZ_RESULTS_COLUMNS.join(',')];
  for (const row of rows) {
    lines.push(
      [row.name, row.question, row.answer, row.correct ? 'yes' : 'no', row.seconds.toFixed(1)]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

/** One cell: formula-looking text defused, then quoted when it holds , " or a line break. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
