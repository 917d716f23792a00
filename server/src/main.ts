import { pino } from 'pino';
import { createApp } from './app';
import { configFromEnv } from './config';

const config = configFromEnv();
const logger = pino({ level: config.logLevel });
const app = createApp({ config, logger });
await app.listen();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
