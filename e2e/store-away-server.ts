/**
 * The real server on a SQLite store whose disk fills on demand, for e2e/store-away.spec.ts:
 * listens on PORT (0: any), prints `{"port": N}` on stdout once listening, then takes
 * `full` and `free` lines on stdin and answers each with `ok`.
 */
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { createApp } from '../server/src/app';
import { configFromEnv } from '../server/src/config';
import { asyncSqliteStore } from '../server/src/store';
import { fillableStore } from '../server/test/helpers/fillable-store';

const config = configFromEnv();
const disk = fillableStore(config.dataDir);
const app = createApp({
  config,
  logger: pino({ level: config.logLevel }, process.stderr),
  store: asyncSqliteStore(disk.store),
});
const port = await app.listen();
process.stdout.write(`${JSON.stringify({ port })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'full' || line === 'free') {
    disk.setFull(line === 'full');
    process.stdout.write('ok\n');
  }
}
// stdin closed: the test is over.
await app.close();
disk.store.close();
process.exit(0);
