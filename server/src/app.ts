import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import express from 'express';
import { pino, type Logger } from 'pino';
import { Server } from 'socket.io';
import type { SessionEvent } from '@backprop/shared/session';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { csvUploadRouter } from './http/csv-upload';
import { quizResultsRouter } from './http/quiz-results';
import { securityHeaders } from './http/security-headers';
import { recordingsRouter } from './http/recordings';
import type { EventLog } from './room/event-log';
import { JoinGuard } from './security/join-guard';
import { SessionRegistry } from './sessions/registry';
import { clientAddress } from './socket/client-address';
import { EventLimits } from './socket/event-limits';
import { registerHostHandlers } from './socket/host-handlers';
import { originCheck } from './socket/origin-check';
import { checkProtocolVersion } from './socket/protocol-check';
import { registerSessionHandlers } from './socket/session-handlers';
import { registerStudentHandlers } from './socket/student-handlers';
import { channelOf, type AppServer } from './socket/types';
import { refuseUnknownEvents } from './socket/unknown-events';
import { MEMORY, openSqliteStore, type Store } from './store';

export interface AppDeps {
  config: Config;
  logger?: Logger;
  /** Timestamps of events; the system clock by default. */
  clock?: Clock;
  /**
   * Where sessions are kept (main.ts: the SQLite store in DATA_DIR); a fresh in-memory
   * store by default, so every app records and serves replays, tests included.
   */
  store?: Store;
  /** The event log of each new room instead of the store's (tests of other concerns). */
  createLog?: () => EventLog;
  /**
   * The rooms to serve; a new, empty registry by default. Passing the registry of a closed
   * app serves the same rooms again (a restarted socket layer, in the fault tests).
   */
  sessions?: SessionRegistry;
}

export interface App {
  http: HttpServer;
  io: AppServer;
  sessions: SessionRegistry;
  /** Starts listening; resolves with the bound port (useful with port 0 in tests). */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** Builds the whole server from injected dependencies, so tests can run it on port 0. */
export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const { limits } = config;
  const logger = deps.logger ?? pino({ level: config.logLevel });
  const clock = deps.clock ?? systemClock;
  const store = deps.sessions?.store ?? deps.store ?? openSqliteStore(MEMORY);

  const web = express();
  web.disable('x-powered-by');
  web.use(securityHeaders());
  web.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  const http = createServer(web);
  const io: AppServer = new Server(http, {
    // Every command payload is far smaller (names, settings); CSV files go over HTTP.
    maxHttpBufferSize: limits.maxMessageBytes,
    serveClient: false,
    allowRequest: originCheck(config.allowedOrigins),
    // Explicit, because compressing one frame per socket would cost the fan-out dearly
    // (it is socket.io's default too): frames are encoded once and written as they are.
    perMessageDeflate: false,
  });
  const broadcast = (code: string, events: SessionEvent[]) =>
    io.to(channelOf(code)).emit('session:events', events);
  const sessions =
    deps.sessions ??
    new SessionRegistry({ clock, logger, store, createLog: deps.createLog, broadcast, limits });
  sessions.setBroadcast(broadcast);
  // A room whose store failed has stopped: its clients reconnect to it reloaded from the store.
  sessions.setDisconnect((code) => io.in(channelOf(code)).disconnectSockets(true));
  sessions.start();
  const eventLimits = new EventLimits(limits, config.trustProxy, logger);
  const joinGuard = new JoinGuard(limits);

  web.use('/api', csvUploadRouter(sessions, logger, limits.csvUploadsPerSession));
  web.use('/api', quizResultsRouter(sessions, logger));
  web.use(
    '/api',
    recordingsRouter({ store, sessions, logger, limits, trustProxy: config.trustProxy }),
  );
  if (existsSync(config.clientDir)) {
    web.use(express.static(config.clientDir));
  } else {
    logger.warn({ clientDir: config.clientDir }, 'client build missing: run `npm run build`');
  }

  io.use(checkProtocolVersion);
  io.on('connection', (socket) => {
    socket.data.membership = null;
    socket.on('error', (err) => logger.warn({ err, socket: socket.id }, 'socket error'));
    // Limits first (unknown events count too), then unknown events are answered and dropped.
    eventLimits.attach(socket);
    refuseUnknownEvents(socket, logger);
    const ip = clientAddress(socket, config.trustProxy);
    registerSessionHandlers(socket, sessions, logger, joinGuard, ip);
    registerHostHandlers(io, socket, sessions, logger, ip);
    registerStudentHandlers(socket, sessions, logger);
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
