/**
 * The child process of crash.test.ts: records a session into the store in DATA_DIR one
 * committed event at a time and prints "acked <seq>" after each commit, as a room would
 * ack a command. It never stops by itself: the test kills it with SIGKILL.
 */
import { openSqliteStore, StoreEventLog } from '../../src/store';
import { createFrom, randomSession } from './fixtures';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-child <data dir>');
const session = randomSession(17, 3000);
const store = openSqliteStore(dataDir);
createFrom(store, session.initial);
const log = new StoreEventLog(store, session.initial.code, { keyframeInterval: 100 });
let next = 0;
function tick(): void {
  // A few events per tick, committed together, then acknowledged.
  for (let k = 0; k < 3 && next < session.events.length; k++) log.append(session.events[next++]!);
  log.flush();
  process.stdout.write(`acked ${log.committedSeq}\n`);
  setImmediate(next < session.events.length ? tick : () => setInterval(() => {}, 1000));
}
tick();
