import { pino } from 'pino';
import { createApp, type App } from './app';
import { startClusterNode } from './cluster/node';
import { configFromEnv, type Config } from './config';
import { startupLines } from './network/join-addresses';
import { asyncSqliteStore, openSqliteStore } from './store';

let config: Config;
try {
  config = configFromEnv();
} catch (err) {
  // A mistyped variable is the user's to fix: one line saying which, not a stack trace.
  console.error(`Backprop Live cannot start: ${(err as Error).message}`);
  process.exit(2);
}
const logger = pino({ level: config.logLevel });

/** The server of this process and how to stop it: one node on SQLite, or a cluster node. */
async function start(): Promise<{ app: App; close: () => Promise<void> }> {
  if (config.cluster) {
    // REDIS_URL and DATABASE_URL: one node of a cluster (docs/scaling.md).
    const node = await startClusterNode({ config, logger, ...config.cluster });
    logger.info({ nodeId: node.nodeId }, 'running as a cluster node');
    return { app: node.app, close: () => node.close() };
  }
  // Every session lives here; live ones come back from it on demand after a restart.
  const store = openSqliteStore(config.dataDir);
  const app = createApp({ config, logger, store: asyncSqliteStore(store) });
  return {
    app,
    close: async () => {
      await app.close();
      store.close();
    },
  };
}

let server: Awaited<ReturnType<typeof start>>;
try {
  server = await start();
} catch (err) {
  // Redis or Postgres unreachable at start (cluster mode): say so in one line, not a stack.
  console.error(`Backprop Live cannot start: ${(err as Error).message}`);
  process.exit(1);
}
const { app } = server;
await app.listen();
// Where students join, for the person at a terminal. Not when stdout is piped or collected:
// there it is JSON lines only, and the "listening" log line has the addresses as fields.
if (process.stdout.isTTY) {
  process.stdout.write(
    ['', '  Backprop Live', ...startupLines(app.joinAddresses(), config.host), '', ''].join('\n'),
  );
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
