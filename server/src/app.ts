import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import express from 'express';
import { pino, type Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import { Forwarding, FORWARD_TIMEOUT_MS } from './cluster/forwarding';
import { HttpForwarding } from './cluster/http-forwarding';
import { RelayFeed } from './cluster/relay-feed';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { apiErrors, apiFallback } from './http/api-fallback';
import { csvUploadRouter } from './http/csv-upload';
import { hostAnswers } from './http/host-answers';
import type { AskRoom } from './http/host-request';
import { joinAddressesRouter } from './http/join-addresses';
import { quizResultsRouter } from './http/quiz-results';
import { securityHeaders } from './http/security-headers';
import { recordingsRouter } from './http/recordings';
import { observeCommandOutcomes } from './metrics/command-outcomes';
import { appMetrics, timedBroadcast } from './metrics/app-metrics';
import { metricsHandler, metricsServer } from './metrics/metrics-http';
import type { EventLog } from './room/event-log';
import { joinAddresses, type InterfaceList, type JoinAddresses } from './network/join-addresses';
import { JoinGuard } from './security/join-guard';
import type { SharedCounters } from './security/limiter';
import { SessionRegistry, type RoomOwnership } from './sessions/registry';
import { clientAddress } from './socket/client-address';
import { EventLimits } from './socket/event-limits';
import { fanOut, type FrameEncoding } from './socket/fan-out';
import { registerHostHandlers } from './socket/host-handlers';
import { originCheck } from './socket/origin-check';
import { checkProtocolVersion } from './socket/protocol-check';
import { registerSessionHandlers } from './socket/session-handlers';
import { socketErrorLog } from './socket/socket-errors';
import { registerStudentHandlers } from './socket/student-handlers';
import { channelOf, type AppServer, type AppSocket } from './socket/types';
import { refuseUnknownEvents } from './socket/unknown-events';
import { asyncSqliteStore, MEMORY, openSqliteStore, type AsyncStore } from './store';

export interface AppDeps {
  config: Config;
  logger?: Logger;
  /** Timestamps of events; the system clock by default. */
  clock?: Clock;
  /**
   * Where sessions are kept (main.ts: the SQLite store in DATA_DIR, behind asyncSqliteStore;
   * or Postgres); a fresh in-memory SQLite store by default, so every app records and serves
   * replays, tests included.
   */
  store?: AsyncStore;
  /** The event log of each new room instead of the store's (tests of other concerns). */
  createLog?: () => EventLog;
  /**
   * The rooms to serve; a new, empty registry by default. Passing the registry of a closed
   * app serves the same rooms again (a restarted socket layer, in the fault tests).
   */
  sessions?: SessionRegistry;
  /**
   * This machine's network interfaces, for the join addresses: os.networkInterfaces by
   * default; tests pass a fixed list so they do not depend on the machine.
   */
  networkInterfaces?: () => InterfaceList;
  /**
   * Room leases, when this app is one of several nodes on one store (cluster/room-leases.ts,
   * given by whoever runs the node): see RegistryDeps.ownership.
   */
  ownership?: RoomOwnership;
  /** How frames travel: binary by default; 'json' only for `npm run bench:wire` (fan-out.ts). */
  frameEncoding?: FrameEncoding;
  /** Cluster mode (cluster/node.ts): how this node reaches the others. */
  cluster?: ClusterLink;
}

/** What a cluster node adds to the app: see cluster/forwarding.ts. */
export interface ClusterLink {
  /** The socket.io adapter between the nodes (the Redis Streams adapter). */
  adapter: ServerOptions['adapter'];
  nodeId: string;
  /** The node holding the room's lease, or null. */
  owner(code: string): Promise<string | null>;
  /** Whether the adapter's connection to Redis is up now (relay-feed.ts); always if left out. */
  connected?(): boolean;
  /** Of these node ids, those that are gone (node-heartbeats.ts). */
  deadNodes?(ids: string[]): Promise<string[]>;
  /** How often the nodes say what they relayed and look for dead nodes (1 s by default). */
  everyMs?: number;
  /**
   * The Redis client that the limits of an address, a session or a member are counted on
   * (failed joins, new sessions, proposals, imports…), so that nobody gains by spreading
   * attempts over the nodes (security/limiter.ts).
   */
  counters?: SharedCounters['redis'];
}

/** ClusterLink.everyMs when left out. */
const CLUSTER_EVERY_MS = 1000;

export interface App {
  http: HttpServer;
  /** The server of METRICS_PORT, when set (its own port; see metrics/metrics-http.ts). */
  metricsHttp: HttpServer | null;
  io: AppServer;
  sessions: SessionRegistry;
  /** Starts listening; resolves with the bound port (useful with port 0 in tests). */
  listen(): Promise<number>;
  /** Where students can reach the server now (read afresh: networks come and go). */
  joinAddresses(): JoinAddresses;
  close(): Promise<void>;
}

/** Builds the whole server from injected dependencies, so tests can run it on port 0. */
export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const { limits } = config;
  const logger = deps.logger ?? pino({ level: config.logLevel });
  const clock = deps.clock ?? systemClock;
  const store = deps.sessions?.store ?? deps.store ?? asyncSqliteStore(openSqliteStore(MEMORY));
  const interfaces = deps.networkInterfaces ?? networkInterfaces;
  /** The bound port once listening (config.port may be 0). */
  let port = config.port;
  const addresses = (): JoinAddresses =>
    joinAddresses({
      host: config.host,
      port,
      publicUrl: config.publicUrl,
      interfaces: interfaces(),
    });
  const publicOrigin = config.publicUrl === null ? [] : [new URL(config.publicUrl).origin];

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
    allowRequest: originCheck(
      [...config.allowedOrigins, ...publicOrigin],
      () => addresses().network,
    ),
    // Explicit, because compressing one frame per socket would cost the fan-out dearly
    // (it is socket.io's default too): frames are encoded once and written as they are.
    perMessageDeflate: false,
    ...(deps.cluster ? { adapter: deps.cluster.adapter } : {}),
  });
  // The rooms gauge reads `sessions` when scraped, which is after it exists.
  const metrics = appMetrics(config.metrics, io, {
    live: () => sessions.size,
    onHold: () => sessions.heldCount,
  });
  const send = fanOut(io, deps.frameEncoding);
  const deliver = metrics ? timedBroadcast(send, metrics) : send;
  // Cluster mode: the other nodes' sockets get the events through their own fan-out.
  let forwarding: Forwarding | null = null;
  let relays: RelayFeed | null = null;
  const broadcast: typeof deliver = (code, events) => {
    relays?.relay(code, events);
    deliver(code, events);
  };
  const sessions =
    deps.sessions ??
    new SessionRegistry({
      clock,
      logger,
      store,
      createLog: deps.createLog,
      broadcast,
      limits,
      ownership: deps.ownership,
    });
  sessions.setBroadcast(broadcast);
  if (metrics) sessions.setCommitObserver(metrics.committed);
  // A room whose store failed has stopped: its clients reconnect to it reloaded from the store.
  sessions.setDisconnect((code, where) =>
    (where === 'everywhere' ? io : io.local).in(channelOf(code)).disconnectSockets(true),
  );
  // A room on hold (its store is away): its clients are told, and keep their last state.
  sessions.setHoldNotice((code) => io.in(channelOf(code)).emit('session:store-unavailable'));
  sessions.start();
  const eventLimits = new EventLimits(limits, config.trustProxy, logger, deps.cluster?.counters);
  const joinGuard = new JoinGuard(limits, deps.cluster?.counters);
  const logSocketError = socketErrorLog(logger);
  // A kicked student's socket may be another node's (cluster mode: the owner's stand-in).
  const findSocket = (id: string): AppSocket | undefined =>
    io.sockets.sockets.get(id) ?? forwarding?.remoteSocket(id);
  const registerCommands = (socket: AppSocket, ip: string): void => {
    registerSessionHandlers(socket, sessions, logger, joinGuard, ip);
    registerHostHandlers(findSocket, socket, sessions, logger, ip);
    registerStudentHandlers(socket, sessions, logger);
  };
  if (deps.cluster) {
    const { nodeId, owner, deadNodes, everyMs = CLUSTER_EVERY_MS } = deps.cluster;
    const connected = deps.cluster.connected ?? (() => true);
    const isLocal = (code: string) => sessions.get(code) !== undefined;
    forwarding = new Forwarding({
      io,
      nodeId,
      isLocal,
      owner,
      registerCommands,
      deadNodes,
      everyMs,
      logger,
    });
    relays = new RelayFeed({
      io,
      nodeId,
      isLocal,
      deliver: (code, events, whole) => (whole ? send(code, events, true) : deliver(code, events)),
      // The room's window of recent events, read in its queue: what it has committed.
      eventsAfter: async (code, seq) => {
        const room = sessions.get(code);
        if (!room) return null;
        const sync = await room.run(() => room.sync(seq));
        return sync.kind === 'events' ? sync.events : null;
      },
      connected,
      logger,
      everyMs,
      timeoutMs: FORWARD_TIMEOUT_MS,
    });
  }

  // Routes that take a join code count failures as failed joins (http/host-access.ts).
  const access = { guard: joinGuard, trustProxy: config.trustProxy };
  // The host's requests on a live room are answered where the room runs (http/host-request.ts).
  const answer = hostAnswers({
    registry: sessions,
    logger,
    access,
    uploadLimit: limits.csvUploadsPerSession,
    addresses,
  });
  const { cluster } = deps;
  let ask: AskRoom = answer;
  if (cluster) {
    const httpForwarding = new HttpForwarding({
      io,
      nodeId: cluster.nodeId,
      isLocal: (code) => sessions.get(code) !== undefined,
      owner: cluster.owner,
      answer,
      logger,
    });
    ask = (request) => httpForwarding.ask(request);
  }
  const api = [
    csvUploadRouter(ask, logger, config.trustProxy),
    quizResultsRouter(ask, config.trustProxy),
    joinAddressesRouter(ask, config.trustProxy),
    recordingsRouter({
      store,
      sessions,
      logger,
      limits,
      trustProxy: config.trustProxy,
      access,
      runsElsewhere: cluster
        ? async (code) => ((await cluster.owner(code)) ?? cluster.nodeId) !== cluster.nodeId
        : undefined,
      counters: cluster?.counters,
    }),
  ];
  const metricsHttp =
    metrics && config.metrics.port !== null ? metricsServer(metrics, config.metrics.token) : null;
  if (metrics && !metricsHttp) web.get('/metrics', metricsHandler(metrics, config.metrics.token));
  web.use('/api', ...api, apiFallback(api), apiErrors(logger));
  if (existsSync(config.clientDir)) {
    web.use(express.static(config.clientDir));
  } else {
    logger.warn({ clientDir: config.clientDir }, 'client build missing: run `npm run build`');
  }

  io.use(checkProtocolVersion);
  io.on('connection', (socket) => {
    socket.data.membership = null;
    const ip = clientAddress(socket, config.trustProxy);
    socket.on('error', (err) => logSocketError(ip, socket.id, err));
    // Outcomes first (so rate-limit refusals count), then limits (unknown events count too),
    // then unknown events are answered and dropped.
    if (metrics) observeCommandOutcomes(socket, metrics);
    eventLimits.attach(socket);
    refuseUnknownEvents(socket, logger);
    forwarding?.attach(socket, ip);
    registerCommands(socket, ip);
  });

  return {
    http,
    io,
    metricsHttp,
    sessions,
    listen: async () => {
      if (metricsHttp) {
        const metricsPort = await listenOn(metricsHttp, config.metrics.port!, config.host);
        logger.info({ port: metricsPort, host: config.host }, 'metrics on their own port');
      }
      port = await listenOn(http, config.port, config.host);
      const { publicUrl, local, network } = addresses();
      logger.info(
        { port, host: config.host, publicUrl, local, network },
        'Backprop Live listening',
      );
      return port;
    },
    joinAddresses: addresses,
    close: async () => {
      forwarding?.stop();
      relays?.stop();
      sessions.stopAll();
      if (metricsHttp?.listening) {
        metricsHttp.closeAllConnections();
        await new Promise((resolve) => metricsHttp.close(resolve));
      }
      await new Promise<void>((resolve, reject) => {
        // io.close() disconnects every socket and closes the HTTP server.
        io.close((err) => (err && http.listening ? reject(err) : resolve()));
        http.closeAllConnections();
      });
    },
  };
}

/** Listens on `port` (0: any free one); resolves with the bound port. */
function listenOn(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
