/**
 * npm run bench:cluster [-- --n 1000] [-- --seconds 10] [-- --durable] [-- --json]
 *
 * One room of N students, the host playing at full speed (1000 steps/s, at most 20 frames/s),
 * measured twice in one run on the same Redis and Postgres: every socket on ONE cluster node,
 * then the host on node A (the room's owner) and the students spread evenly over THREE node
 * processes, so that two thirds of them get each event through the hop over Redis (the
 * owner's relay, cluster/forwarding.ts). Both layouts are cluster nodes on the same store,
 * so the difference between them is the hop and the extra nodes, not Postgres.
 *
 * Per layout: delivery latency p50/p99 (receive time − the owner's stamp on the event, ±1 ms:
 * the nodes stamp with Date.now()), frames/s each student received, seq gaps, dropped
 * sockets; the CPU of each node process over the window (/proc/PID/stat) and of Redis
 * (INFO cpu), and from them the CPU each student costs its node. Students run in three
 * client processes (bench/fanout/clients.ts) in both layouts, so the client side weighs
 * the same. Redis (6394) and Postgres (5442) are started here on loopback like the tests'
 * (server/test/helpers/services.ts), and the nodes are the tests' node processes.
 * On a 2-core machine every process shares the cores: read the per-student CPU and the
 * added latency, not the totals.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createClient, type RedisClientType } from 'redis';
import { fromWire, type WireEvent } from '../../shared/src/protocol';
import type { SessionEvent } from '../../shared/src/session';
import { NodeProcesses, type NodeProcess } from '../../server/test/cluster/node-processes';
import { startPostgres, startRedis } from '../../server/test/helpers/services';
import { ok } from '../../server/test/helpers/sockets';
import { next, reports, runToEnd, spawnChild, stop } from '../fanout/children';
import { preciseNow, type ClientsReport, type ServerUsage } from '../fanout/messages';
import { deliveryColumns, summarize, type Summary } from '../fanout/summary';

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    seconds: { type: 'string' },
    durable: { type: 'boolean' },
    json: { type: 'boolean' },
  },
});
const N = Number(values.n ?? 200);
const SECONDS = Number(values.seconds ?? 10);
const WARMUP_SECONDS = 2;
const SPEED = 1000;
/** The production lease (RoomLeases' default): nothing in this run should fail over. */
const LEASE_TTL_MS = 3000;
/** The target for the latency the cluster adds, at N = 1000. */
const TARGET_ADDED_P99_MS = 20;
const REDIS_PORT = 6394;
const POSTGRES_PORT = 5442;
/** Client processes in both layouts: one per node in the cluster. */
const CLIENT_PROCESSES = 3;

const CLIENTS = fileURLToPath(new URL('../fanout/clients.ts', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TICK_US = 1e6 / 100; // USER_HZ: /proc's CPU times are in 1/100 s on Linux

/** A process's CPU and RSS from /proc (the node children are not ours to ask over IPC). */
function procUsage(pid: number): ServerUsage {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces: state is field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    type: 'usage',
    cpu: { user: Number(fields[11]) * TICK_US, system: Number(fields[12]) * TICK_US },
    rss: Number(fields[21]) * 4096,
  };
}

/** Redis's own CPU seconds so far (INFO cpu), as microseconds. */
async function redisCpuUs(redis: RedisClientType): Promise<number> {
  const info = await redis.info('cpu');
  const seconds = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}

interface NodeFigures {
  id: string;
  students: number;
  /** % of one core over the window. */
  cpuPercent: number;
  /** CPU ms per second per student on this node (cpuPercent × 10 / students). */
  cpuMsPerStudent: number;
  rssMb: number;
}

interface LayoutResult {
  layout: 'one node' | 'three nodes';
  all: Summary;
  /** Three nodes only: the students on the owner, and those reached through Redis. */
  onOwner?: Summary;
  viaRedis?: Summary;
  nodes: NodeFigures[];
  redisCpuPercent: number;
  /** From starting the clients to every student joined, and the joins retried after `busy`. */
  joins: { ms: number; retries: number };
}

async function measure(pool: NodeProcesses, redis: RedisClientType, nodeCount: 1 | 3) {
  const ids = nodeCount === 1 ? ['solo'] : ['node-a', 'node-b', 'node-c'];
  // One after another: the first migrates the database (the others would wait on its lock).
  const nodes: NodeProcess[] = [];
  for (const id of ids) nodes.push(await pool.start(id));
  const owner = nodes[0]!;
  const host = await pool.connect(owner);
  const { code } = await ok(host, 'session:create', { title: `Cluster bench ${nodeCount}` });

  // Client process p's students connect to node p (mod the nodes): evenly spread.
  const counts = Array.from(
    { length: CLIENT_PROCESSES },
    (_, p) => Math.floor(N / CLIENT_PROCESSES) + (p < N % CLIENT_PROCESSES ? 1 : 0),
  );
  // Every client process at once: a class joining together, 150 joins in flight (three
  // processes' waves of 50), two thirds of them forwarded to the owner. Before joins were
  // grouped and retried (docs/scaling.md, "Join storms"), this was answered `busy` at
  // N = 1000; the clients now retry a `busy` as the browser does, and the time it took
  // and the retries are reported.
  const joinStart = Date.now();
  const clients: ChildProcess[] = counts.map((count, p) =>
    spawnChild(CLIENTS, [
      'sio',
      nodes[p % nodes.length]!.url,
      String(count),
      code,
      String(counts.slice(0, p).reduce((a, b) => a + b, 0)),
    ]),
  );
  const ready = await Promise.all(clients.map((child) => next(child, 'ready')));
  const joins = {
    ms: Date.now() - joinStart,
    retries: ready.reduce((sum, r) => sum + r.joinRetries, 0),
  };
  const connected = ready.reduce((sum, r) => sum + r.connected, 0);
  if (connected !== N) throw new Error(`only ${connected} of ${N} students connected`);

  const frames: SessionEvent[] = [];
  host.on('session:events', (wire: WireEvent[], _skipped: unknown, ack?: () => void) => {
    ack?.();
    for (const event of wire.map(fromWire)) {
      if (event.type === 'progressed' || event.type === 'frame') frames.push(event);
    }
  });
  await ok(host, 'host:hyper', { speed: SPEED });
  await ok(host, 'host:play', { playing: true });
  await sleep(WARMUP_SECONDS * 1000);
  const from = preciseNow();
  const before = nodes.map((node) => procUsage(node.child.pid!));
  const redisBefore = await redisCpuUs(redis);
  await sleep(SECONDS * 1000);
  const to = preciseNow();
  const after = nodes.map((node) => procUsage(node.child.pid!));
  const redisAfter = await redisCpuUs(redis);
  await ok(host, 'host:play', { playing: false });
  await sleep(1000); // the last frames of the window arrive
  const received: ClientsReport[] = await reports(clients, from, to);
  const sent = frames.filter((f) => f.t >= from && f.t < to).length;
  host.disconnect();
  await stop(clients);
  await pool.cleanup();
  await redis.flushAll(); // leases and adapter streams: the next layout starts clean

  const studentsOn = (k: number) =>
    counts.reduce((sum, count, p) => sum + (p % nodes.length === k ? count : 0), 0);
  const nodeFigures: NodeFigures[] = nodes.map((node, k) => {
    const { cpuPercent, rssMb } = summarize(0, SECONDS, 0, [], before[k]!, after[k]!);
    const students = studentsOn(k);
    return {
      id: node.id,
      students,
      cpuPercent,
      cpuMsPerStudent: (cpuPercent * 10) / students,
      rssMb,
    };
  });
  // The latency figures with the owner's CPU (the node that runs the room).
  const summary = (part: ClientsReport[]) =>
    summarize(N, SECONDS, sent, part, before[0]!, after[0]!);
  const result: LayoutResult = {
    layout: nodeCount === 1 ? 'one node' : 'three nodes',
    all: summary(received),
    nodes: nodeFigures,
    redisCpuPercent: (redisAfter - redisBefore) / 1e4 / SECONDS,
    joins,
  };
  if (nodeCount === 3) {
    result.onOwner = summary(received.filter((_, p) => p % nodes.length === 0));
    result.viaRedis = summary(received.filter((_, p) => p % nodes.length !== 0));
  }
  return result;
}

function latencyRow(name: string, s: Summary): string {
  return [name.padEnd(26), ...deliveryColumns(s)].join(' ');
}

function print(one: LayoutResult, three: LayoutResult): void {
  const load = os.loadavg().map((x) => x.toFixed(2));
  console.log(
    `cluster: one room, N = ${N} students, play at ${SPEED} steps/s (≤ 20 frames/s), ` +
      `${SECONDS} s window; ${os.cpus().length} cores, load ${load.join(' ')}, Node ${process.version}`,
  );
  console.log(
    'latency: receive − owner stamp     srv f/s  cli f/s  p50 ms  p99 ms  max ms  lost  drop',
  );
  console.log(latencyRow('one node, all students', one.all));
  console.log(latencyRow('three nodes, all students', three.all));
  console.log(latencyRow('  on the owner (A)', three.onOwner!));
  console.log(latencyRow('  on B and C (via Redis)', three.viaRedis!));
  for (const r of [one, three]) {
    console.log(
      `joins, ${r.layout}: ${N} students (150 in flight) in ${(r.joins.ms / 1000).toFixed(1)} s, ` +
        `${r.joins.retries} retried after busy`,
    );
  }
  console.log('CPU over the window (% of one core; ms of CPU per second per student):');
  for (const [layout, r] of [
    ['one node', one],
    ['three nodes', three],
  ] as const) {
    for (const n of r.nodes) {
      console.log(
        `  ${layout.padEnd(11)} ${n.id.padEnd(7)} ${String(n.students).padStart(5)} students ` +
          `${n.cpuPercent.toFixed(0).padStart(4)}%  ${n.cpuMsPerStudent.toFixed(3)} ms/s/student  ` +
          `RSS ${n.rssMb.toFixed(0)} MB`,
      );
    }
    console.log(`  ${layout.padEnd(11)} redis   ${r.redisCpuPercent.toFixed(1).padStart(17)}%`);
  }
  const added = three.viaRedis!.p99 - one.all.p99;
  const nodesCpu = (r: LayoutResult) => r.nodes.reduce((sum, n) => sum + n.cpuPercent, 0);
  const perStudentOther = three.nodes.slice(1).reduce((sum, n) => sum + n.cpuMsPerStudent, 0) / 2;
  console.log('ratios, three nodes / one node:');
  console.log(
    `  p99 via Redis / one node ${(three.viaRedis!.p99 / one.all.p99).toFixed(2)}×; ` +
      `p99 added by the hop ${added.toFixed(1)} ms (target ≤ ${TARGET_ADDED_P99_MS} ms at N = 1000: ` +
      `${added <= TARGET_ADDED_P99_MS ? 'met' : 'MISSED'} at N = ${N})`,
  );
  // The hop alone, inside one run: the same frames to students of the owner and of the
  // other nodes (each node fanning out to a third of the class).
  console.log(
    `  within three nodes, p99 on B and C − on the owner: ` +
      `${(three.viaRedis!.p99 - three.onOwner!.p99).toFixed(1)} ms`,
  );
  console.log(
    `  all nodes' CPU ${(nodesCpu(three) / nodesCpu(one)).toFixed(2)}×; per student on a ` +
      `non-owner node / on the single node ${(perStudentOther / one.nodes[0]!.cpuMsPerStudent).toFixed(2)}×`,
  );
}

async function main(): Promise<void> {
  // node-child.ts reads it: the room must hold N students and the host.
  process.env.MAX_PARTICIPANTS = String(N + 10);
  const [redisService, postgres] = await Promise.all([
    startRedis(REDIS_PORT),
    startPostgres(POSTGRES_PORT, { durable: values.durable === true }),
  ]);
  const redis: RedisClientType = createClient({ url: redisService.url });
  await redis.connect();
  const pool = new NodeProcesses(
    () => ({ redisUrl: redisService.url, databaseUrl: postgres.url }),
    LEASE_TTL_MS,
  );
  try {
    const one = await measure(pool, redis, 1);
    const three = await measure(pool, redis, 3);
    if (values.json) console.log(JSON.stringify({ n: N, seconds: SECONDS, one, three }, null, 2));
    else print(one, three);
  } finally {
    await pool.cleanup();
    redis.destroy();
    await Promise.all([redisService.remove(), postgres.remove()]);
  }
}

runToEnd('cluster benchmark', main, 15 * 60_000);
