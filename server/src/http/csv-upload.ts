/**
 * POST /api/sessions/:code/dataset?targets=a,b — the host uploads a CSV file (the body,
 * as text/csv) with `Authorization: Bearer <hostToken>`. The token travels in a header,
 * never in the URL, so it stays out of access logs. A valid file becomes the room's CSV
 * dataset; the setup changes only when the host then picks it (host:setup, 'csv').
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { CSV_LIMITS, CsvError, parseCsvDataset } from '@backprop/shared/data';
import type { CsvUploadReply, HttpErrorCode, HttpErrorReply } from '@backprop/shared/protocol';
import type { RateLimit } from '../limits';
import { rateLimitedAnswer, sendAnswer, type AskRoom, type HttpAnswer } from './host-request';
import { askedBy, sendError } from './http-replies';
import type { Room } from '../room/room';
import { windowLimiter } from '../security/limiter';
import { checkMagnitudes } from '../training/prepared-data';
import { SetupError } from '../training/setup-error';

export function csvUploadRouter(ask: AskRoom, logger: Logger, trustProxy: boolean): express.Router {
  const router = express.Router();
  router.post(
    '/sessions/:code/dataset',
    // Who is asking is checked before the body is read: strangers cannot make us parse 2 MB.
    async (req, res, next) => {
      const asked = askedBy(req, trustProxy);
      const refusal = await ask({ kind: 'csv-check', ...asked });
      if (refusal) return sendAnswer(res, refusal);
      next();
    },
    express.text({ type: ['text/*', 'application/csv'], limit: CSV_LIMITS.maxBytes }),
    async (req, res) => {
      if (typeof req.body !== 'string') {
        return sendError(
          res,
          415,
          'bad-request',
          'Send the file as the request body with Content-Type: text/csv.',
        );
      }
      const targets = targetNames(req.query.targets);
      if (targets.length === 0) {
        return sendError(
          res,
          400,
          'bad-request',
          'Name the target column(s): ?targets=price or ?targets=a,b.',
        );
      }
      const asked = askedBy(req, trustProxy);
      const answer = await ask({ kind: 'csv-store', ...asked, text: req.body, targets });
      sendAnswer(res, answer);
    },
  );
  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof URIError) return next(err); // the address, not the body: api-fallback.ts
    const status = (err as { status?: unknown }).status;
    if (status === 413) {
      return sendError(
        res,
        413,
        'too-large',
        `The file is larger than ${CSV_LIMITS.maxBytes / 1024 / 1024} MB.`,
      );
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(res, status, 'bad-request', 'The request body could not be read as text.');
    }
    logger.error({ err }, 'CSV upload failed');
    sendError(res, 500, 'internal', 'Something went wrong on the server.');
  });
  return router;
}

/**
 * The room's side of an upload (host-answers.ts), after the host's token: `check` before
 * the body is read (even the host may not make the server parse 2 MB nonstop), `store`
 * with the file.
 */
export function csvUploads(uploadLimit: RateLimit) {
  const uploads = windowLimiter(uploadLimit);
  return {
    check: async (code: string): Promise<HttpAnswer | null> => {
      const wait = await uploads.take(code);
      if (wait === null) return null;
      const most = `at most ${uploadLimit.points} in ${uploadLimit.seconds} s`;
      return rateLimitedAnswer(wait, `Too many uploads: ${most}.`);
    },
    store: async (room: Room, text: string, targets: string[]): Promise<HttpAnswer> => {
      const reply = await room.run(() => storeCsv(room, text, targets));
      if ('error' in reply)
        return { status: reply.error.code === 'ended' ? 409 : 400, json: reply };
      return { status: 200, json: reply };
    },
  };
}

function storeCsv(room: Room, text: string, wanted: string[]): CsvUploadReply | HttpErrorReply {
  if (room.state.ended) return errorReply('ended', 'This session has ended.');
  try {
    const dataset = parseCsvDataset(text, { targets: wanted });
    checkMagnitudes(dataset, 'the file');
    room.acceptCsv({ dataset, upload: { text, targets: wanted, uploadedAt: Date.now() } });
    const inputs = dataset.inputs.map((c) => c.name);
    const targets = dataset.targets.map((c) => c.name);
    return { ok: true, rows: dataset.rows, columns: [...inputs, ...targets], inputs, targets };
  } catch (err) {
    if (err instanceof CsvError) {
      return {
        error: { code: 'bad-csv', message: err.message, line: err.line, reason: err.reason },
      };
    }
    if (err instanceof SetupError) return errorReply('bad-csv', err.message);
    throw err;
  }
}

/** ?targets=a,b (or repeated ?targets=a&targets=b) as a list of names. */
function targetNames(query: unknown): string[] {
  const values = Array.isArray(query) ? query : [query];
  return values
    .filter((v): v is string => typeof v === 'string')
    .flatMap((v) => v.split(','))
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function errorReply(code: HttpErrorCode, message: string): HttpErrorReply {
  return { error: { code, message } };
}
