import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { SampleOrder, Trainer, gatherBatch, initNetwork } from '@backprop/shared/nn';
import { fitNormalizer, normalizeDataset, parseCsvDataset } from '@backprop/shared/data';
import { cli as runCli } from '../helpers/cli';

const WORKED = 'examples/worked-example.network.json';
const run = promisify(execFile);

const cli = (...argv: string[]) => runCli(argv);

function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bpl-cli-')), name);
  writeFileSync(path, text);
  return path;
}

/** Equal to `digits` significant digits, as a published figure is. */
function expectSignificant(actual: number, published: number, digits = 8) {
  const scale = 10 ** (Math.floor(Math.log10(Math.abs(published))) - digits + 1);
  expect(Math.abs(actual - published)).toBeLessThanOrEqual(scale / 2);
}

afterEach(() => vi.restoreAllMocks());

describe('trace', () => {
  test('reproduces the published worked example through the real command line', async () => {
    const { stdout } = await run('npx', [
      'tsx',
      'server/src/cli/bin.ts',
      'trace',
      '--network',
      WORKED,
      '--input',
      '0.05,0.10',
      '--target',
      '0.01,0.99',
      '--lr',
      '0.5',
    ]);
    const out = JSON.parse(stdout) as {
      a: number[][];
      loss: number;
      weightsAfter: number[][][];
      biasesAfter: number[][];
      z: number[][];
      deltas: number[][];
      gradients: { weights: number[][][]; biases: number[][] };
    };
    expect(Object.keys(out).sort()).toEqual(
      ['a', 'biasesAfter', 'deltas', 'gradients', 'loss', 'weightsAfter', 'z'].sort(),
    );
    // Mazur (2015): out_h1, out_h2, out_o1, out_o2 and E_total.
    expectSignificant(out.a[1]![0]!, 0.593269992, 9);
    expectSignificant(out.a[1]![1]!, 0.596884378, 9);
    expectSignificant(out.a[2]![0]!, 0.75136507, 8);
    expectSignificant(out.a[2]![1]!, 0.772928465, 9);
    expectSignificant(out.loss, 0.298371109, 9);
    // w1..w4 (input → hidden) and w5..w8 (hidden → output) after one update.
    const [[w1, w2], [w3, w4]] = out.weightsAfter[0] as [[number, number], [number, number]];
    const [[w5, w6], [w7, w8]] = out.weightsAfter[1] as [[number, number], [number, number]];
    expectSignificant(w1, 0.149780716, 9);
    expectSignificant(w2, 0.19956143, 8);
    expectSignificant(w3, 0.24975114, 8);
    expectSignificant(w4, 0.29950229, 8);
    expectSignificant(w5, 0.35891648, 8);
    expectSignificant(w6, 0.408666186, 9);
    expectSignificant(w7, 0.51130127, 8);
    expectSignificant(w8, 0.561370121, 9);
    // ∂E/∂w5 as published, and the frozen biases unchanged.
    expectSignificant(out.gradients.weights[1]![0]![0]!, 0.082167041, 8);
    expect(out.biasesAfter).toEqual([
      [0.35, 0.35],
      [0.6, 0.6],
    ]);
  });

  test('refuses inputs that do not fit the network, with exit code 2', () => {
    const result = cli('trace', '--network', WORKED, '--input', '1,2,3', '--target', '0,1');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --input: the network has 2 inputs, got 3 values\n');
  });
});

describe('train', () => {
  test('trains the same as the kernel driven by hand (full-batch CSV, normalized)', () => {
    const csv = 'x1,x2,y\n1,2,3\n2,1,1\n0,0,0.5\n3,3,4\n-1,2,2\n';
    const network = tempFile(
      'net.json',
      JSON.stringify({ layers: [2, 3, 1], activations: ['tanh', 'linear'] }),
    );
    const result = cli(
      'train',
      '--network',
      network,
      '--data',
      tempFile('d.csv', csv),
      '--target',
      'y',
      '--lr',
      '0.05',
      '--batch',
      '5',
      '--steps',
      '20',
      '--seed',
      '3',
    );
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { losses: number[]; weights: number[][][] };

    const data = parseCsvDataset(csv, { targets: ['y'] });
    const normalized = normalizeDataset(data, fitNormalizer(data));
    const trainer = new Trainer(
      initNetwork({ layers: [2, 3, 1], activations: ['tanh', 'linear'], trainBiases: true }, 3),
      5,
    );
    const order = new SampleOrder(5, 3);
    const idx = new Uint32Array(5);
    const [xs, ys] = [new Float64Array(10), new Float64Array(5)];
    const losses: number[] = [];
    for (let s = 0; s < 20; s++) {
      const n = order.nextBatch(5, idx);
      gatherBatch(normalized.x, 2, idx, n, xs);
      gatherBatch(normalized.y, 1, idx, n, ys);
      const outcome = trainer.step(xs, ys, n, 0.05);
      losses.push(outcome.loss);
    }
    expect(out.losses).toEqual(losses);
    expect(out.losses[19]!).toBeLessThan(out.losses[0]!);
    expect(out.weights[0]![0]).toEqual(Array.from(trainer.network.weights[0]!.subarray(0, 2)));
  });

  test('is deterministic for a seed, and the seed matters', () => {
    const args = [
      'train',
      '--network',
      'examples/houses.network.json',
      '--dataset',
      'houses',
      '--steps',
      '50',
      '--lr',
      '0.05',
    ];
    const a = cli(...args, '--seed', '7').stdout;
    expect(cli(...args, '--seed', '7').stdout).toBe(a);
    expect(cli(...args, '--seed', '8').stdout).not.toBe(a);
  });

  test('--data-seed draws the houses (as a session setup does); --seed draws weights, order and split only', () => {
    const network = tempFile(
      'fixed.network.json',
      JSON.stringify({
        layers: [3, 1],
        activations: ['linear'],
        weights: [[[0.1, -0.2, 0.3]]],
        biases: [[0.05]],
      }),
    );
    // One full-batch step: its loss is the mean over every house, whatever the order.
    const firstLoss = (...extra: string[]) => {
      const args = ['train', '--network', network, '--dataset', 'houses', '--batch', '200'];
      const run = cli(...args, '--steps', '1', ...extra);
      expect(run.code).toBe(0);
      return (JSON.parse(run.stdout) as { losses: number[] }).losses[0]!;
    };
    const dataSeed1 = firstLoss('--seed', '7');
    expect(firstLoss('--seed', '8', '--data-seed', '1')).toBeCloseTo(dataSeed1, 12);
    expect(firstLoss('--seed', '7', '--data-seed', '2')).not.toBeCloseTo(dataSeed1, 3);
    expect(cli('train', '--network', network, '--dataset', 'houses', '--data-seed', 'x').code).toBe(
      2,
    );
  });

  test('reports the held-out loss with --test-fraction', () => {
    const out = JSON.parse(
      cli(
        'train',
        '--network',
        'examples/houses.network.json',
        '--dataset',
        'houses',
        '--steps',
        '10',
        '--test-fraction',
        '0.2',
      ).stdout,
    ) as { testLoss?: number };
    expect(out.testLoss).toBeGreaterThan(0);
  });

  test('stops at a refused step and exits 1', () => {
    const result = cli(
      'train',
      '--network',
      WORKED,
      '--dataset',
      'worked-example',
      '--lr',
      '1e9',
      '--steps',
      '5',
    );
    expect(result.code).toBe(1);
    const out = JSON.parse(result.stdout) as { diverged?: { step: number }; losses: number[] };
    expect(out.diverged?.step).toBeLessThan(5);
    expect(out.losses).toHaveLength(out.diverged!.step);
  });

  test('names the line of a bad CSV file, with exit code 2', () => {
    const bad = tempFile('bad.csv', 'a,b\n1,2\n3,x\n');
    const result = cli('train', '--network', WORKED, '--data', bad, '--target', 'b');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: --data: .*line 3: .*"b".*\n$/);
  });
});

describe('usage', () => {
  test.each([
    [['trace', '--bogus']],
    [['train', '--network']],
    [['train', '--network', 'missing.json', '--dataset', 'xor']],
    [['train', '--network', WORKED, '--dataset', 'xor', '--steps', '1.5']],
    [['train', '--network', WORKED, '--dataset', 'nope']],
    [['train', '--network', WORKED]],
    [['frobnicate']],
  ])('%j: one line on stderr and exit code 2', (argv) => {
    const result = cli(...argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(result.stdout).toBe('');
  });

  test.each([['trace'], ['train']])('%s --help prints its options', (command) => {
    const result = cli(command, '--help');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`cli -- ${command} --network FILE`);
  });
});
