/**
 * One cluster node in a process of its own, for the multi-node tests and bench:cluster:
 * `node --import tsx node-child.ts NODE_ID REDIS_URL DATABASE_URL LEASE_TTL_MS`. Prints
 * "listening <port>" once it serves; on SIGTERM it closes (leases released) and exits 0.
 */
import { pino } from 'pino';
import { startClusterNode } from '../../src/cluster/node';
import { configFromEnv } from '../../src/config';
import { TEST_LIMITS } from '../helpers/server';

const [nodeId, redisUrl, databaseUrl, ttl] = process.argv.slice(2);
if (!nodeId || !redisUrl || !databaseUrl) {
  throw new Error('usage: node-child NODE_ID REDIS_URL DATABASE_URL [LEASE_TTL_MS]');
}
const node = await startClusterNode({
  config: {
    ...configFromEnv({}),
    port: 0,
    host: '127.0.0.1',
    clientDir: '/nonexistent',
    // bench:cluster's rooms are larger than the default cap (and MAX_PARTICIPANTS's
    // ceiling, which is for operators); the tests leave it unset.
    limits: {
      ...TEST_LIMITS,
      maxParticipantsPerRoom: Number(
        process.env.MAX_PARTICIPANTS ?? TEST_LIMITS.maxParticipantsPerRoom,
      ),
      // The shared limits' test sets small ones (two-nodes.test.ts).
      ...(process.env.SESSIONS_PER_IP && {
        commands: {
          'session:create': {
            points: Number(process.env.SESSIONS_PER_IP),
            seconds: 600,
            key: 'ip' as const,
            what: 'new sessions',
          },
        },
      }),
      ...(process.env.JOIN_FAILURES_PER_IP && {
        joinFailuresPerIp: {
          points: Number(process.env.JOIN_FAILURES_PER_IP),
          seconds: 600,
          blockSeconds: 300,
        },
      }),
    },
  },
  // Logs on stderr: stdout carries only the port line.
  logger: pino({ level: 'warn' }, pino.destination(2)),
  redisUrl,
  databaseUrl,
  nodeId,
  leaseTtlMs: ttl ? Number(ttl) : undefined,
});
const port = await node.app.listen();
process.stdout.write(`listening ${port}\n`);
process.once('SIGTERM', () => {
  node.close().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`close failed: ${String(err)}\n`);
      process.exit(1);
    },
  );
});
