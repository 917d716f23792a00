import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import express from 'express';
import { pino, type Logger } from 'pino';
import { Server } from 'socket.io';
import { schemas } from '@backprop/shared/protocol';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { csvUploadRouter } from './http/csv-upload';
import { MemoryEventLog, type EventLog } from './room/event-log';
import { SessionRegistry } from './sessions/registry';
import { registerHostHandlers } from './socket/host-handlers';
import { checkProtocolVersion } from './socket/protocol-check';
import { registerSessionHandlers } from './socket/session-handlers';
import { channelOf, type AppServer } from './socket/types';

export interface AppDeps {
  config: Config;
  logger?: Logger;
  /** Timestamps of events; the system clock by default. */
  clock?: Clock;
  /** The event log of each new room; in memory by default. */
  createLog?: () => EventLog;
}

export interface App {
  http: HttpServer;
  io: AppServer;
  sessions: SessionRegistry;
  /** Starts listening; resolves with the bound port (useful with port 0 in tests). */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** The largest socket.io message: every command payload is far smaller (names, settings). */
export const MAX_MESSAGE_BYTES = 16 * 1024;

/** Builds the whole server from injected dependencies, so tests can run it on port 0. */
export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const logger = deps.logger ?? pino({ level: config.logLevel });
  const clock = deps.clock ?? systemClock;
  const createLog = deps.createLog ?? (() => new MemoryEventLog());

  const web = express();
  web.disable('x-powered-by');
  web.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const http = createServer(web);
  const io: AppServer = new Server(http, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
  });
  const sessions = new SessionRegistry({
    clock,
    logger,
    createLog,
    broadcast: (code, event) => io.to(channelOf(code)).emit('session:event', event),
  });

  web.use('/api', csvUploadRouter(sessions, logger));
  if (existsSync(config.clientDir)) {
    web.use(express.static(config.clientDir));
  } else {
    logger.warn({ clientDir: config.clientDir }, 'client build missing: run `npm run build`');
  }

  io.use(checkProtocolVersion);
  io.on('connection', (socket) => {
    socket.data.membership = null;
    socket.on('error', (err) => logger.warn({ err, socket: socket.id }, 'socket error'));
    socket.onAny((event: unknown) => {
      if (typeof event !== 'string' || !Object.hasOwn(schemas, event)) {
        logger.debug(
          { event: String(event).slice(0, 64), socket: socket.id },
          'unknown event ignored',
        );
      }
    });
    registerSessionHandlers(socket, sessions, logger);
    registerHostHandlers(io, socket, sessions, logger);
  });

  return {
    http,
    io,
    sessions,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => {
          const address = http.address();
          const port = typeof address === 'object' && address ? address.port : config.port;
          logger.info({ port, host: config.host }, 'Backprop Live listening');
          resolve(port);
        });
      }),
    close: () =>
      new Promise((resolve, reject) => {
        sessions.stopAll();
        // io.close() disconnects every socket and closes the HTTP server.
        io.close((err) => (err && http.listening ? reject(err) : resolve()));
        http.closeAllConnections();
      }),
  };
}
