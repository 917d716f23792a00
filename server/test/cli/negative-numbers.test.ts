/**
 * Values that start with a minus sign, typed the way users type them: `--target -0.5,0.99`,
 * not only `--target=-0.5,0.99`. Every numeric option of every command.
 */
import { describe, expect, test } from 'vitest';
import { cli } from '../helpers/cli';

const WORKED = 'examples/worked-example.network.json';
const TRACE = ['trace', '--network', WORKED];
const TRAIN = ['train', '--network', WORKED, '--dataset', 'worked-example', '--steps', '3'];

function traced(argv: string[]): { a: number[][]; weightsAfter: number[][][] } {
  const result = cli(argv);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { a: number[][]; weightsAfter: number[][][] };
}

describe('trace', () => {
  test('--input and --target take negative values, spaced or with =', () => {
    const spaced = traced([...TRACE, '--input', '-0.05,0.1', '--target', '-0.5,0.99']);
    expect(spaced.a[0]).toEqual([-0.05, 0.1]);
    const joined = traced([...TRACE, '--input=-0.05,0.1', '--target=-0.5,0.99']);
    expect(joined).toEqual(spaced);
    // The target's sign reaches the math: a different target, a different update.
    const positive = traced([...TRACE, '--input', '-0.05,0.1', '--target', '0.5,0.99']);
    expect(positive.weightsAfter).not.toEqual(spaced.weightsAfter);
  });

  test('every number form: -.5, -1e-3, a leading negative in a list', () => {
    expect(traced([...TRACE, '--input', '-.5,-1e-3', '--target', '-1,-2']).a[0]).toEqual([
      -0.5, -0.001,
    ]);
  });

  test.each([
    ['--lr', '-0.5', 'error: --lr: must be between 0 and Infinity, got -0.5\n'],
    ['--seed', '-1', 'error: --seed: must be between 0 and 4294967295, got -1\n'],
  ])('%s %s is read as a value and refused by its own rule', (flag, value, message) => {
    const result = cli([...TRACE, '--input', '0,0', '--target', '0,0', flag, value]);
    expect(result).toEqual({ code: 2, stdout: '', stderr: message });
  });
});

describe('train', () => {
  test.each([
    ['--lr', '-0.1', 'error: --lr: must be between 0 and Infinity, got -0.1\n'],
    ['--batch', '-2', 'error: --batch: must be between 1 and 1, got -2\n'],
    ['--steps', '-5', 'error: --steps: must be between 0 and 100000000, got -5\n'],
    ['--seed', '-3', 'error: --seed: must be between 0 and 4294967295, got -3\n'],
    ['--test-fraction', '-0.2', 'error: --test-fraction: must be between 0 and 0.9, got -0.2\n'],
  ])('%s %s is read as a value and refused by its own rule', (flag, value, message) => {
    const spaced = cli([...TRAIN, flag, value]);
    expect(spaced).toEqual({ code: 2, stdout: '', stderr: message });
    expect(cli([...TRAIN, `${flag}=${value}`])).toEqual(spaced);
  });
});

describe('real mistakes still get one line and exit code 2', () => {
  test.each([
    [[...TRACE, '--input', '--target', '0,0']],
    [[...TRACE, '--input', '-x', '--target', '0,0']],
    [[...TRACE, '--input', '-0.1,x', '--target', '0,0']],
    [[...TRACE, '--input', '0,0', '--target', '0,0', '--lr']],
    [[...TRAIN, '--steps', '-1.5']],
    [[...TRAIN, '-5']],
    [[...TRAIN, '--bogus', '-5']],
  ])('%j', (argv) => {
    const result = cli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stdout).toBe('');
  });
});
