/**
 * npm run bench:participation [-- --students N] [-- --runs N]
 *
 * The participation storm (server/test/helpers/storm.ts): N students (real socket.io
 * clients over loopback, in this same process) propose and vote at once, each ballot sent
 * twice with one key and a quarter changed, while the host sends a command every 50 ms
 * and times its ack. Reports the host's ack latency (p50, p99, max) and the storm's length
 * per run, the students' own ack latency, and checks that every ballot was counted once.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS } from '../server/src/limits';
import { percentile, TestClock } from '../server/test/helpers/participation';
import { startServer } from '../server/test/helpers/server';
import { runStorm } from '../server/test/helpers/storm';

const { values } = parseArgs({
  options: { students: { type: 'string' }, runs: { type: 'string' } },
});
const students = Number(values.students ?? 200);
const runs = Number(values.runs ?? 3);

const round = (ms: number) => Math.round(ms * 10) / 10;
console.log(`participation storm: ${students} students, ${runs} runs, node ${process.version}`);
for (let run = 1; run <= runs; run++) {
  const clock = new TestClock();
  const server = await startServer({ clock, limits: { commands: DEFAULT_LIMITS.commands } });
  try {
    const r = await runStorm(server, clock, students);
    const counted =
      r.refused.length === 0 &&
      r.mirrorsAgree &&
      JSON.stringify(r.tallies) === JSON.stringify(r.expectedTallies) &&
      r.supporters === r.expectedSupporters;
    console.log(
      `run ${run}: host acks n=${r.hostAcks.length} p50=${round(r.p50)} ms p99=${round(r.p99)} ms ` +
        `max=${round(r.max)} ms; storm ${Math.round(r.stormMs)} ms; ` +
        `students' acks p50=${round(percentile(r.studentAcks, 50))} ms ` +
        `p99=${round(percentile(r.studentAcks, 99))} ms; ` +
        `every ballot counted once: ${counted ? 'yes' : 'NO'}`,
    );
  } finally {
    await server.close();
  }
}
