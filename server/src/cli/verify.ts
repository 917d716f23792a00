/**
 * `verify FILE.ndjson`: re-simulates a recording file's training from its seed and commands
 * with the server's own Training, and checks every value it recorded (recordings/verify.ts).
 */
import { readFileSync } from 'node:fs';
import type { RecordingVerifyReply } from '@backprop/shared/protocol';
import { decodeRecording, RecordingError } from '@backprop/shared/recording';
import { CannotSimulate } from '../recordings/simulator';
import { verifyRecordingNow } from '../recordings/verify';
import { UsageError } from './errors';

export const VERIFY_HELP = `Usage: npm run -s cli -- verify FILE.ndjson

Re-simulates the recording's training from its seed and the commands it recorded, with the
server's own training code, and compares every network, trace, loss, fit, divergence and
race fork the file holds. Prints one JSON object:
  {"ok":true,"checked":N}                       N values compared (initial state and events)
  {"ok":false,"firstDivergence":{seq,step,what,expected,actual}}
                                                the first event that differs: which value
                                                ("what"), the re-simulation's ("expected")
                                                and the file's ("actual")

Exit codes: 0 verified, 1 a divergence was found, 2 a usage error, a file that is not a
valid recording (the reason and line on stderr), or a recording that cannot be verified
(one that uses a CSV dataset the file does not include).`;

export function runVerify(argv: string[]): { result: RecordingVerifyReply; code: 0 | 1 } {
  const files = argv.filter((arg) => !arg.startsWith('-'));
  const flags = argv.filter((arg) => arg.startsWith('-'));
  if (flags.length > 0) throw new UsageError(`unknown option ${flags[0]} (try --help)`);
  if (files.length !== 1) throw new UsageError('give one recording file (try --help)');
  const path = files[0]!;
  let recording;
  try {
    recording = decodeRecording(readRecordingFile(path));
  } catch (err) {
    if (err instanceof RecordingError) throw new UsageError(`${path}: ${err.message}`);
    throw err;
  }
  const { header, events } = recording;
  try {
    const result = verifyRecordingNow({
      initial: header.initial,
      events: () => [events],
      csv: () => header.csv ?? [],
    });
    return { result, code: result.ok ? 0 : 1 };
  } catch (err) {
    if (err instanceof CannotSimulate) throw new UsageError(`${path}: ${err.message}`);
    throw err;
  }
}

function readRecordingFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err);
    throw new UsageError(`cannot read ${path}: ${reason}`);
  }
}
