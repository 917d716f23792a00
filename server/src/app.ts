import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import express from 'express';
import { pino, type Logger } from 'pino';
import type { Config } from './config';

export interface AppDeps {
  config: Config;
  logger?: Logger;
}

export interface App {
  http: HttpServer;
  /** Starts listening; resolves with the bound port (useful with port 0 in tests). */
  listen(): Promise<number>;
  close(): Promise<void>;
}

/** Builds the whole server from injected dependencies, so tests can run it on port 0. */
export function createApp(deps: AppDeps): App {
  const { config } = deps;
  const logger = deps.logger ?? pino({ level: config.logLevel });
  const web = express();
  web.disable('x-powered-by');
  web.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  if (existsSync(config.clientDir)) {
    web.use(express.static(config.clientDir));
  } else {
    logger.warn({ clientDir: config.clientDir }, 'client build missing: run `npm run build`');
  }
  const http = createServer(web);

  return {
    http,
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
        http.close((err) => (err ? reject(err) : resolve()));
        http.closeAllConnections();
      }),
  };
}
