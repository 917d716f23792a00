/**
 * Starts the real app on port 0 with a logger that keeps its lines in memory (so tests can
 * check what is logged), and makes typed socket.io clients for it.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { io as connectClient, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@backprop/shared/protocol';
import { createApp, type App, type AppDeps } from '../../src/app';
import { configFromEnv } from '../../src/config';
import { DEFAULT_LIMITS, type Limits } from '../../src/limits';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  app: App;
  url: string;
  /** Every log line so far, parsed. */
  logs: Record<string, unknown>[];
  /** A connected client (protocol version right unless given). */
  connect(options?: { protocol?: unknown }): Promise<Client>;
  close(): Promise<void>;
}

/**
 * Limits for tests that are not about limits: tests send commands far faster than people
 * do (a hundred bad payloads in a row). The limits tests (test/limits/) pass their own.
 */
export const TEST_LIMITS: Limits = {
  ...DEFAULT_LIMITS,
  events: { perSecond: 100_000, burst: 100_000, abuseFactor: 5 },
  commands: {},
  joinFailuresPerIp: { points: 100_000, seconds: 60 },
  joinFailuresPerCode: { points: 100_000, seconds: 60 },
};

export interface ServerOptions extends Partial<Omit<AppDeps, 'config'>> {
  /** Replaces TEST_LIMITS entry by entry. */
  limits?: Partial<Limits>;
  /** Other config fields (port, allowedOrigins, …). */
  config?: Partial<AppDeps['config']>;
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const { limits, config, ...deps } = options;
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const app = createApp({
    config: {
      ...configFromEnv({}),
      port: 0,
      host: '127.0.0.1',
      clientDir: '/nonexistent',
      ...config,
      limits: { ...TEST_LIMITS, ...limits },
    },
    logger: pino({ level: 'debug' }, sink),
    ...deps,
  });
  const port = await app.listen();
  const url = `http://127.0.0.1:${port}`;
  const clients: Client[] = [];
  return {
    app,
    url,
    logs,
    connect: async (options = {}) => {
      const client: Client = connectClient(url, {
        auth: { protocol: 'protocol' in options ? options.protocol : PROTOCOL_VERSION },
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
      });
      clients.push(client);
      await new Promise<void>((resolve, reject) => {
        client.once('connect', resolve);
        client.once('connect_error', reject);
      });
      return client;
    },
    close: async () => {
      for (const client of clients) client.disconnect();
      await app.close();
    },
  };
}

/** Connects with an Origin header, as a browser page on that origin would; then hangs up. */
export function connectWithOrigin(url: string, origin: string): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connectClient(url, {
      auth: { protocol: PROTOCOL_VERSION },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: { Origin: origin },
    });
    socket.once('connect', () => {
      socket.disconnect();
      resolve('connected');
    });
    socket.once('connect_error', (err) => {
      socket.disconnect();
      resolve(err.message);
    });
  });
}
