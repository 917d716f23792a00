/**
 * `train` draws a progress bar on stderr when stderr is a terminal, never on stdout and
 * never when stderr is piped.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { progressLine } from '../../src/cli/progress';
import type { Terminal } from '../../src/cli/terminal';
import { cli } from '../helpers/cli';

const TRAIN = [
  'train',
  '--network',
  'examples/houses.network.json',
  '--dataset',
  'houses',
  '--steps',
  '1000',
];

/** A stand-in stderr and a clock that advances 1 ms each time it is read. */
function fakeTerminal(isTTY: boolean, columns = 100): Terminal & { written: string[] } {
  let ms = 0;
  const written: string[] = [];
  return {
    stderr: { isTTY, columns, write: (text: string) => written.push(text) },
    now: () => ms++,
    written,
  };
}

test('on a terminal: redrawn in place on stderr, ending at the last step and its loss', () => {
  const terminal = fakeTerminal(true);
  const result = cli(TRAIN, terminal);
  expect(result.code).toBe(0);
  expect(result.stderr).toBe('');
  const { losses } = JSON.parse(result.stdout) as { losses: number[] };

  const draws = terminal.written.slice(0, -1);
  expect(terminal.written.at(-1)).toBe('\n');
  // About one draw per 100 ms of the fake clock (one read per step): never once per step.
  expect(draws.length).toBeGreaterThanOrEqual(9);
  expect(draws.length).toBeLessThanOrEqual(12);
  // Each draw: back to the line's start, the line, then erase what a longer line left.
  for (const draw of draws) {
    expect(draw.startsWith('\r[')).toBe(true);
    expect(draw.endsWith('\x1b[K')).toBe(true);
    expect(draw).toMatch(/\] +\d+% +\d+\/1000 steps {2}loss /);
  }
  const last = draws.at(-1)!;
  expect(last).toMatch(/^\r\[#+\] 100% {2}1000\/1000 steps/);
  expect(last).toContain(`loss ${losses.at(-1)!.toExponential(3)}`);
  expect(last.length - '\r\x1b[K'.length).toBeLessThanOrEqual(100);
});

test('a terminal that reports 0 columns (an unsized pty) gets an 80-column line', () => {
  const terminal = fakeTerminal(true, 0);
  expect(cli(TRAIN, terminal).code).toBe(0);
  const last = terminal.written.at(-2)!;
  expect(last.startsWith('\r[#')).toBe(true);
  expect(last).toContain('] 100%  1000/1000 steps  loss ');
  expect(last.length - '\r\x1b[K'.length).toBeLessThan(80);
});

test('not a terminal: nothing on stderr, the same JSON on stdout', () => {
  const terminal = fakeTerminal(false);
  const result = cli(TRAIN, terminal);
  expect(terminal.written).toEqual([]);
  expect(result.stdout).toBe(cli(TRAIN, fakeTerminal(true)).stdout);
});

test('piped through the real command line: stderr stays empty', { timeout: 60_000 }, async () => {
  const run = promisify(execFile);
  const { stdout, stderr } = await run(
    'npx',
    ['tsx', 'server/src/cli/bin.ts', ...TRAIN.slice(0, -1), '5000'],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  expect(stderr).toBe('');
  expect((JSON.parse(stdout) as { losses: number[] }).losses).toHaveLength(5000);
});

test('the line: bar, percent, steps, loss and rate, always narrower than the terminal', () => {
  expect(progressLine(250, 1000, 0.123456, 0.5, 80)).toBe(
    '[######-----------------]  25%   250/1000 steps  loss 1.235e-1      500 steps/s',
  );
  // Too narrow for a bar of 10: the numbers alone, cut to fit.
  expect(progressLine(250, 1000, 0.123456, 0.5, 60)).toBe(
    '25%   250/1000 steps  loss 1.235e-1      500 steps/s',
  );
  expect(progressLine(250, 1000, 0.123456, 0.5, 40)).toBe(
    '25%   250/1000 steps  loss 1.235e-1    ',
  );
  for (const columns of [20, 40, 59, 60, 80, 200]) {
    expect(progressLine(999_999, 1_000_000, 1e-12, 3, columns).length).toBeLessThan(columns);
  }
  // The same length at every step and loss: the bar does not jump about.
  const lengths = [0, 7, 250, 1000].map(
    (step) => progressLine(step, 1000, 1 / (step + 1), 1).length,
  );
  expect(new Set(lengths).size).toBe(1);
});
