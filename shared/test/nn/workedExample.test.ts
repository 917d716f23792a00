/**
 * Matt Mazur, "A Step by Step Backpropagation Example" (2015): one step of a 2-2-2 sigmoid
 * network with frozen biases, checked against every published figure to the digits given.
 */
import { describe, expect, test } from 'vitest';
import { networkFromArrays } from '../../src/nn/network';
import { Trainer } from '../../src/nn/trainer';

function mazurTrainer() {
  const net = networkFromArrays(
    { layers: [2, 2, 2], activations: ['sigmoid', 'sigmoid'], trainBiases: false },
    [
      [
        [0.15, 0.2], // w1, w2 into h1
        [0.25, 0.3], // w3, w4 into h2
      ],
      [
        [0.4, 0.45], // w5, w6 into o1
        [0.5, 0.55], // w7, w8 into o2
      ],
    ],
    [
      [0.35, 0.35],
      [0.6, 0.6],
    ],
  );
  const trainer = new Trainer(net, 1);
  const outcome = trainer.step([0.05, 0.1], [0.01, 0.99], 1, 0.5);
  return { trainer, outcome };
}

/**
 * Asserts `actual` rounds to the published decimal string: within half a unit of its last
 * digit (plus a hair for binary representation).
 */
function expectPublished(actual: number | undefined, published: string) {
  const decimals = published.split('.')[1]!.length;
  const halfUnit = 0.5 * 10 ** -decimals;
  expect(
    Math.abs(actual! - Number(published)),
    `${actual} vs published ${published}`,
  ).toBeLessThanOrEqual(halfUnit * (1 + 1e-9));
}

describe('Mazur 2015 worked example', () => {
  const { trainer, outcome } = mazurTrainer();
  const { trace, network } = trainer;

  test('forward pass', () => {
    expectPublished(trace.a[1]![0], '0.593269992'); // out_h1
    expectPublished(trace.a[1]![1], '0.596884378'); // out_h2
    expectPublished(trace.a[2]![0], '0.75136507'); // out_o1
    expectPublished(trace.a[2]![1], '0.772928465'); // out_o2
  });

  test('total error', () => {
    // Mazur's E_total sums ½(target − out)² over the outputs: our per-sample loss.
    expectPublished(trace.sampleLoss[0], '0.298371109');
    expectPublished(trace.loss, '0.298371109');
    expect(outcome).toEqual({ ok: true, loss: trace.loss });
  });

  test('published partial derivatives', () => {
    expectPublished(trace.gradWeights[1]![0], '0.082167041'); // ∂E_total/∂w5
    expectPublished(trace.gradWeights[0]![0], '0.000438568'); // ∂E_total/∂w1
  });

  test('updated hidden → output weights', () => {
    const [w5, w6, w7, w8] = network.weights[1]!;
    expectPublished(w5, '0.35891648');
    expectPublished(w6, '0.408666186');
    expectPublished(w7, '0.511301270');
    expectPublished(w8, '0.561370121');
  });

  test('updated input → hidden weights use the old hidden → output weights', () => {
    const [w1, w2, w3, w4] = network.weights[0]!;
    expectPublished(w1, '0.149780716');
    expectPublished(w2, '0.19956143');
    expectPublished(w3, '0.24975114');
    expectPublished(w4, '0.29950229');
  });

  test('frozen biases stay, though their gradients are computed', () => {
    expect(Array.from(network.biases[0]!)).toEqual([0.35, 0.35]);
    expect(Array.from(network.biases[1]!)).toEqual([0.6, 0.6]);
    expect(trace.gradBiases[1]![0]).not.toBe(0);
  });
});
