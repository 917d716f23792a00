/**
 * The HTTP API of recordings (shared/src/protocol/recordings.ts, docs/recordings.md): the
 * summary, the state at any point, the events for playback, export, import, delete,
 * verify, and the host's way to its session's replay id. A replay id is the only key to a
 * recording, so a wrong one is a plain 404, and there is no list of them.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import {
  MAX_EVENTS_PER_PAGE,
  MAX_IDLE_GAPS,
  MAX_STEP_INDEX,
  type RecordingEventsReply,
  type RecordingStateReply,
  type RecordingSummaryReply,
  type SessionReplayReply,
} from '@backprop/shared/protocol';
import { RECORDING_LIMITS, RecordingError } from '@backprop/shared/recording';
import type { Limits, RateLimit } from '../limits';
import { planExport } from '../recordings/export';
import { importRecording } from '../recordings/import';
import { requestLines } from '../recordings/request-lines';
import { stateAt, seqAtTime } from '../recordings/seek';
import { CannotSimulate } from '../recordings/simulator';
import { longestIdle, seqAtStep, thinStepIndex, Timelines } from '../recordings/timeline';
import { Verifications } from '../recordings/verifications';
import { tokenMatches } from '../security/tokens';
import { windowLimiter, type SharedCounters } from '../security/limiter';
import { STORE_KEYFRAME_INTERVAL, type SessionRegistry } from '../sessions/registry';
import type { AsyncStore, SessionRecord } from '../store';
import { hostAccess, type HostAccess } from './host-access';
import { authorized, requestAddress, sendError, sendRateLimited } from './http-replies';

export interface RecordingsDeps {
  store: AsyncStore;
  sessions: SessionRegistry;
  logger: Logger;
  limits: Pick<
    Limits,
    'recordingImportsPerIp' | 'recordingExportsPerIp' | 'recordingExportsPerRecording'
  >;
  trustProxy?: boolean;
  access: HostAccess;
  /**
   * Cluster mode: whether another node runs session `code` now (its lease). Such a room is
   * not in this node's memory, and its recording must not be deleted under it.
   */
  runsElsewhere?: (code: string) => Promise<boolean>;
  /** Cluster mode: the Redis client that the per-address limits are counted on (limiter.ts). */
  counters?: SharedCounters['redis'];
}

/** 128 bits in base64url (store/sqlite-store.ts newReplayId). */
const REPLAY_ID = /^[A-Za-z0-9_-]{22}$/;
const WHOLE = /^\d{1,15}$/;

export function recordingsRouter(deps: RecordingsDeps): express.Router {
  const { store, sessions, logger } = deps;
  const router = express.Router();
  const timelines = new Timelines();
  const verifications = new Verifications(STORE_KEYFRAME_INTERVAL);
  const shared = (name: string) => deps.counters && { redis: deps.counters, name };
  const imports = windowLimiter(deps.limits.recordingImportsPerIp, shared('imports-ip'));
  const ipLimit = deps.limits.recordingExportsPerIp;
  const recordingLimit = deps.limits.recordingExportsPerRecording;
  const exportsPerIp = windowLimiter(ipLimit, shared('exports-ip'));
  const exportsPerRecording = windowLimiter(recordingLimit, shared('exports-recording'));

  /** The recording of `:replayId`, or a 404 sent. */
  const recordOf = async (req: Request, res: Response): Promise<SessionRecord | null> => {
    const replayId = String(req.params.replayId);
    const record = REPLAY_ID.test(replayId) ? await store.sessionByReplayId(replayId) : null;
    if (!record) sendError(res, 404, 'not-found', 'There is no recording with this id.');
    return record;
  };

  router.get('/recordings/:replayId', async (req, res) => {
    const record = await recordOf(req, res);
    if (!record) return;
    const timeline = await timelines.get(store, record);
    const { state } = timeline;
    const row = (await store.session(record.code)) ?? record;
    const reply: RecordingSummaryReply = {
      replayId: record.replayId,
      title: state.title,
      createdAt: record.createdAt,
      endedAt: row.endedAt,
      durationMs: timeline.lastT - record.createdAt,
      steps: timeline.steps.at(-1)!,
      participants: participantsEver(timeline.markers, state),
      dataset: { id: state.setup.datasetId, title: state.setup.datasetTitle },
      network: { layers: state.setup.layers, activations: state.setup.activations },
      firstSeq: record.initialSeq,
      lastSeq: state.seq,
      firstT: record.createdAt,
      lastT: timeline.lastT,
      markers: timeline.markers,
      stepIndex: thinStepIndex(timeline, MAX_STEP_INDEX),
      idle: longestIdle(timeline, MAX_IDLE_GAPS),
    };
    res.set('Cache-Control', 'no-cache').json(reply);
  });

  router.get('/recordings/:replayId/state', async (req, res) => {
    const record = await recordOf(req, res);
    if (!record) return;
    const { seq: seqText, t: timeText, step: stepText } = req.query;
    const given = [seqText, timeText, stepText].filter((value) => value !== undefined);
    if (given.length !== 1) {
      return sendError(res, 400, 'bad-request', 'Give exactly one of ?seq=N, ?t=MS or ?step=S.');
    }
    let seq: number;
    if (seqText !== undefined) {
      seq = WHOLE.test(String(seqText)) ? Number(seqText) : NaN;
      if (!(seq >= record.initialSeq && seq <= record.lastSeq)) {
        return sendError(
          res,
          400,
          'bad-request',
          `seq must be a whole number from ${record.initialSeq} to ${record.lastSeq}.`,
        );
      }
    } else if (timeText !== undefined) {
      const t = Number(timeText);
      if (String(timeText).trim() === '' || !Number.isFinite(t)) {
        return sendError(res, 400, 'bad-request', 't must be a time in milliseconds since 1970.');
      }
      seq = await seqAtTime(store, record, t);
    } else {
      const step = WHOLE.test(String(stepText)) ? Number(stepText) : NaN;
      if (Number.isNaN(step))
        return sendError(res, 400, 'bad-request', 'step must be a whole number.');
      const found = seqAtStep(await timelines.get(store, record), step);
      if (found === null) {
        return sendError(res, 404, 'not-found', `The recording never reaches step ${step}.`);
      }
      seq = found;
    }
    // A join code is not history (as in an exported file): replays show none.
    const state = await stateAt(store, record, seq);
    const reply: RecordingStateReply = { seq, state: { ...state, code: '' } };
    res.set('Cache-Control', 'no-cache').json(reply);
  });

  router.get('/recordings/:replayId/events', async (req, res) => {
    const record = await recordOf(req, res);
    if (!record) return;
    const after = WHOLE.test(String(req.query.after)) ? Number(req.query.after) : NaN;
    const limitText = req.query.limit ?? String(MAX_EVENTS_PER_PAGE);
    const limit = WHOLE.test(String(limitText)) ? Number(limitText) : NaN;
    if (!(after >= record.initialSeq) || !(limit >= 1 && limit <= MAX_EVENTS_PER_PAGE)) {
      return sendError(
        res,
        400,
        'bad-request',
        `Give ?after=N (from ${record.initialSeq}) and ?limit=M (1 to ${MAX_EVENTS_PER_PAGE}).`,
      );
    }
    const events = await store.eventsSince(record.code, after, limit);
    const reply: RecordingEventsReply = { events };
    res.set('Cache-Control', 'no-cache').json(reply);
  });

  router.get('/recordings/:replayId/export', async (req, res) => {
    const record = await recordOf(req, res);
    if (!record) return;
    const ip = requestAddress(req, deps.trustProxy ?? false);
    const ipWait = await exportsPerIp.take(ip);
    if (ipWait !== null) {
      return sendRateLimited(res, ipWait, `Too many exports from this network: ${most(ipLimit)}.`);
    }
    const recordingWait = await exportsPerRecording.take(record.replayId);
    if (recordingWait !== null) {
      const message = `Too many exports of this recording: ${most(recordingLimit)}.`;
      return sendRateLimited(res, recordingWait, message);
    }
    const anonymize = req.query.anonymize === '1' || req.query.anonymize === 'true';
    const file = await planExport(store, record, { anonymize, exportedAt: Date.now() });
    // attachment() sets a type from the file name's extension: the real one goes after it.
    res
      .status(200)
      .attachment(file.filename)
      .type('application/x-ndjson; charset=utf-8')
      .set('Cache-Control', 'no-store')
      .set('Content-Length', String(file.bytes));
    try {
      await file.write(res);
      res.end();
    } catch (err) {
      // Headers are sent: all we can do is cut the download short, which the client sees.
      logger.warn({ err, replayId: record.replayId }, 'export cut short');
      res.destroy();
    }
  });

  router.post(
    '/recordings/import',
    (req, res, next) => {
      const ip = requestAddress(req, deps.trustProxy ?? false);
      imports.take(ip).then((wait) => {
        if (wait === null) return next();
        sendRateLimited(res, wait, 'Too many imports from this network.');
      }, next);
    },
    async (req, res) => {
      const { maxBytes } = RECORDING_LIMITS;
      if (Number(req.get('content-length') ?? 0) > maxBytes) {
        return sendError(
          res,
          413,
          'too-large',
          `A recording can be at most ${mebibytes(maxBytes)}.`,
        );
      }
      try {
        const reply = await importRecording(store, requestLines(req, maxBytes));
        logger.info({ replayId: reply.replayId }, 'recording imported');
        res.status(201).json(reply);
      } catch (err) {
        // Read the rest before answering: a client still sending would see a reset, not why.
        if (!req.complete) await drain(req);
        throw err;
      }
    },
  );

  router.delete('/recordings/:replayId', async (req, res) => {
    const record = await recordOf(req, res);
    if (!record) return;
    const canDelete = (token: string) => tokenMatches(token, record.hostTokenHash);
    const forbidden = 'Only the instructor (or the importer) can delete this recording.';
    if (!authorized(req, res, canDelete, forbidden)) return;
    const room = sessions.get(record.code);
    const live = room
      ? !room.state.ended
      : record.endedAt === null && ((await deps.runsElsewhere?.(record.code)) ?? false);
    if (live) {
      return sendError(res, 409, 'live', 'End the session before deleting its recording.');
    }
    if (room) sessions.dispose(record.code, 'deleted');
    await store.deleteRecording(record.code);
    timelines.forget(record.replayId);
    verifications.forget(record.replayId);
    logger.info({ replayId: record.replayId }, 'recording deleted');
    res.status(204).end();
  });

  router.post('/recordings/:replayId/verify', async (req, res) => {
    const record = await recordOf(req, res);
    if (!record) return;
    try {
      res.json(await verifications.verify(store, record));
    } catch (err) {
      if (!(err instanceof CannotSimulate)) throw err;
      sendError(res, 422, 'cannot-verify', err.message);
    }
  });

  router.get('/sessions/:code/replay', async (req, res) => {
    const code = String(req.params.code).toUpperCase();
    const record = /^[A-Z0-9]{6}$/.test(code) ? await store.session(code) : null;
    const isHost = record ? (token: string) => tokenMatches(token, record.hostTokenHash) : null;
    if (!(await hostAccess(req, res, deps.access, code, isHost)) || !record) return;
    const reply: SessionReplayReply = { replayId: record.replayId };
    res.set('Cache-Control', 'no-store').json(reply);
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (err instanceof RecordingError) {
      const status = err.line === 0 && /larger than/.test(err.reason) ? 413 : 400;
      return sendError(res, status, status === 413 ? 'too-large' : 'bad-recording', err.message, {
        line: err.line,
      });
    }
    next(err);
  });
  return router;
}

function mebibytes(bytes: number): string {
  return `${bytes / 1024 / 1024} MiB`;
}

/** Reads and drops what is left of a request (bounded: the upload limit applies). */
async function drain(req: Request): Promise<void> {
  let bytes = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > RECORDING_LIMITS.maxBytes) break;
    }
  } catch {
    // The client went away: there is nobody to answer.
  }
}

/** "at most 60 in 10 minutes" */
function most(limit: RateLimit): string {
  const minutes = limit.seconds / 60;
  const window = Number.isInteger(minutes) ? `${minutes} minutes` : `${limit.seconds} s`;
  return `at most ${limit.points} in ${window}`;
}

/** Students who ever joined: the join markers (the state lists only those not kicked). */
function participantsEver(
  markers: readonly { kind: string }[],
  state: { participants: unknown[] },
): number {
  let joins = 0;
  for (const marker of markers) if (marker.kind === 'join') joins++;
  return Math.max(joins, state.participants.length);
}
