import { BACKUP_HELP, runBackup } from './backup';
import { UsageError } from './errors';
import { TERMINAL, type Terminal } from './terminal';
import { TRACE_HELP, runTrace } from './trace';
import { TRAIN_HELP, runTrain } from './train';
import { VERIFY_HELP, runVerify } from './verify';

const HELP = `Usage: npm run -s cli -- <command> [options]

Commands:
  trace   one SGD step on one sample, every intermediate value as JSON
  train   train a network on a data set, losses and final weights as JSON
  verify  re-simulate a recording file and check every value it recorded
  backup  copy the server's database while it runs (SQLite's online backup), checked

Run a command with --help for its options. Negative numbers are written as they are
(--target -0.5,0.99).`;

const HELPS: Record<string, string> = {
  trace: TRACE_HELP,
  train: TRAIN_HELP,
  verify: VERIFY_HELP,
  backup: BACKUP_HELP,
};

/**
 * Runs the command line; returns the exit code (0 ok, 1 failed, 2 usage error), a promise
 * of it for `backup` (SQLite's backup API is asynchronous; the rest stays synchronous).
 */
export function main(argv: string[], terminal: Terminal = TERMINAL): number | Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      print(HELP);
      return command === undefined ? 2 : 0;
    }
    const help = HELPS[command];
    if (help === undefined) throw new UsageError(`unknown command "${command}" (try --help)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      print(help);
      return 0;
    }
    if (command === 'trace') {
      print(JSON.stringify(runTrace(rest)));
      return 0;
    }
    if (command === 'backup') {
      return runBackup(rest).then(
        (result) => (print(JSON.stringify(result)), 0),
        (err: unknown) => usageFailure(err, terminal),
      );
    }
    if (command === 'verify') {
      const { result, code } = runVerify(rest);
      print(JSON.stringify(result));
      return code;
    }
    const { result, diverged } = runTrain(rest, terminal);
    print(JSON.stringify(result));
    return diverged ? 1 : 0;
  } catch (err) {
    return usageFailure(err, terminal);
  }
}

/** A usage error as one line on stderr and exit code 2; anything else is a bug: thrown. */
function usageFailure(err: unknown, terminal: Terminal): number {
  if (err instanceof UsageError || isParseArgsError(err)) {
    terminal.stderr.write(`error: ${(err as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  throw err;
}

/** node:util parseArgs reports unknown or malformed flags with these codes. */
function isParseArgsError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return code.startsWith('ERR_PARSE_ARGS');
}

/** The command line's output is its product: plain stdout, not the server's logger. */
function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
