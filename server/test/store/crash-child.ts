/**
 * The child process of crash.test.ts: records a session into the store in DATA_DIR one
 * committed batch at a time and prints "acked <seq>" after each commit, as a room would
 * ack a command (through the async contract, as the room commits). It never stops by
 * itself: the test kills it with SIGKILL.
 */
import { asyncSqliteStore, openSqliteStore, StoreEventLog } from '../../src/store';
import { createFrom, randomSession } from './fixtures';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-child <data dir>');
const session = randomSession(17, 3000);
const sqlite = openSqliteStore(dataDir);
createFrom(sqlite, session.initial);
const log = await StoreEventLog.open(asyncSqliteStore(sqlite), session.initial.code, {
  keyframeInterval: 100,
});
let next = 0;
async function tick(): Promise<void> {
  // A few events per tick, committed together, then acknowledged.
  for (let k = 0; k < 3 && next < session.events.length; k++) log.append(session.events[next++]!);
  await log.flush();
  process.stdout.write(`acked ${log.committedSeq}\n`);
  setImmediate(
    next < session.events.length ? () => void tick() : () => setInterval(() => {}, 1000),
  );
}
void tick();
