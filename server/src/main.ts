import { pino } from 'pino';
import { createApp } from './app';
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
if (config.cluster) {
  // Refused rather than half-run: the Postgres store, shared limits and leases exist
  // (src/cluster/, store/postgres/) and rooms run on either store, but the nodes are not
  // yet wired together (docs/scaling.md).
  console.error(
    'Backprop Live cannot start: cluster mode (REDIS_URL and DATABASE_URL) is not finished ' +
      'in this version (docs/scaling.md); unset both to run one node on SQLite',
  );
  process.exit(2);
}
const logger = pino({ level: config.logLevel });
// Every session lives here; live ones come back from it on demand after a restart.
const store = openSqliteStore(config.dataDir);
const app = createApp({ config, logger, store: asyncSqliteStore(store) });
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
    app.close().then(
      () => {
        store.close();
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
