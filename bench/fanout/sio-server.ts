/**
 * The real server (createApp) in a process of its own, so that its CPU and memory are
 * measured alone. Production limits, but room for the benchmark's class size. Events are
 * stamped with a sub-millisecond clock so clients can measure delivery latency.
 */
import { pino } from 'pino';
import { createApp } from '../../server/src/app';
import { configFromEnv } from '../../server/src/config';
import { DEFAULT_LIMITS } from '../../server/src/limits';
import { preciseNow, type FromChild, type ToChild } from './messages';

const send = (message: FromChild) => process.send!(message);
const app = createApp({
  config: {
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    clientDir: '/nonexistent',
    limits: { ...DEFAULT_LIMITS, maxParticipantsPerRoom: 10_000 },
  },
  logger: pino({ level: 'error' }),
  clock: { now: preciseNow },
});
const port = await app.listen();
send({ type: 'listening', port });

process.on('message', (message: ToChild) => {
  if (message.type === 'usage') {
    send({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  } else if (message.type === 'stop') {
    void app.close().finally(() => process.exit(0));
  }
});
