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
import express, { type Response } from 'express';
import type { Logger } from 'pino';
import type { HttpErrorCode, HttpErrorReply } from '@backprop/shared/protocol';
import type { QuizResultRow } from '../room/participation/quiz-results';
import type { SessionRegistry } from '../sessions/registry';

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/;

export const QUIZ_RESULTS_COLUMNS = ['name', 'question', 'answer', 'correct', 'time'] as const;

export function quizResultsRouter(registry: SessionRegistry, logger: Logger): express.Router {
  const router = express.Router();
  router.get('/sessions/:code/quiz-results.csv', (req, res) => {
    const room = registry.get(String(req.params.code).toUpperCase());
    if (!room) return sendError(res, 404, 'not-found', 'There is no session with this code.');
    const header = BEARER.exec(req.get('authorization') ?? '');
    if (!header) {
      return sendError(
        res,
        401,
        'unauthorized',
        'Send the host token as "Authorization: Bearer <token>".',
      );
    }
    if (!room.members.isHostToken(header[1]!)) {
      return sendError(res, 403, 'forbidden', 'Only the instructor can download the quiz results.');
    }
    const rows = room.participation.quizResults.flat();
    logger.info({ code: room.code, rows: rows.length }, 'quiz results exported');
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Cache-Control', 'no-store')
      .attachment(`quiz-results-${room.code}.csv`)
      .send(quizResultsCsv(rows));
  });
  return router;
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

function sendError(res: Response, status: number, code: HttpErrorCode, message: string): void {
  const reply: HttpErrorReply = { error: { code, message } };
  res.status(status).json(reply);
}
