import { pino } from 'pino';
import { createApp } from './app';
import { configFromEnv } from './config';
import { openSqliteStore } from './store';

const config = configFromEnv();
const logger = pino({ level: config.logLevel });
// Every session lives here; live ones come back from it on demand after a restart.
const store = openSqliteStore(config.dataDir);
const app = createApp({ config, logger, store });
await app.listen();

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
