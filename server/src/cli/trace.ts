import { Trainer, initNetwork, networkToArrays, type Network } from '@backprop/shared/nn';
import { UsageError, parseNumber, parseNumberList } from './errors';
import { parseOptions } from './options';
import { readNetworkFile } from './files';
import { matrices } from '@backprop/shared/session';

export const TRACE_HELP = `Usage: npm run -s cli -- trace --network FILE --input X1,X2,… --target Y1,Y2,… [--lr 0.5] [--seed N]

Runs one SGD step on one sample and prints every intermediate value as one JSON object:
  z, a          per layer (a[0] is the input), in the network file's unit order
  loss          ½·Σ(ŷ−y)² for the sample, before the update
  deltas        δ of every non-input layer
  gradients     {weights, biases}: ∂E/∂W and ∂E/∂b, laid out like the network file
  weightsAfter, biasesAfter   the network after w ← w − lr·∂E/∂w
  diverged      present only when the step was refused (non-finite or exploding values)

Options:
  --network FILE   network file (docs/network-file.md); without weights, --seed initializes it
  --input LIST     comma-separated inputs, one per input unit
  --target LIST    comma-separated targets, one per output unit
  --lr RATE        learning rate (default 0.5)
  --seed N         seed for the initial weights when the file has none (default 1)`;

export function runTrace(argv: string[]): unknown {
  const { values } = parseOptions(argv, {
    network: { type: 'string' },
    input: { type: 'string' },
    target: { type: 'string' },
    lr: { type: 'string' },
    seed: { type: 'string' },
  });
  if (!values.network) throw new UsageError('trace: --network FILE is required');
  if (!values.input) throw new UsageError('trace: --input is required');
  if (!values.target) throw new UsageError('trace: --target is required');
  const file = readNetworkFile(values.network);
  const seed = parseNumber('seed', values.seed, 1, { integer: true, min: 0, max: 2 ** 32 - 1 });
  const network: Network = file.network ?? initNetwork(file.spec, seed);
  const layers = file.spec.layers;
  const input = parseNumberList('input', values.input);
  const target = parseNumberList('target', values.target);
  const lr = parseNumber('lr', values.lr, 0.5, { min: 0 });
  if (input.length !== layers[0]) {
    throw new UsageError(
      `--input: the network has ${layers[0]} inputs, got ${input.length} values`,
    );
  }
  if (target.length !== layers[layers.length - 1]) {
    throw new UsageError(
      `--target: the network has ${layers[layers.length - 1]} outputs, got ${target.length} values`,
    );
  }

  const trainer = new Trainer(network, 1);
  const outcome = trainer.step(input, target, 1, lr);
  const trace = trainer.trace;
  const after = networkToArrays(trainer.network);
  return {
    z: trace.z.map((z) => Array.from(z)),
    a: trace.a.map((a) => Array.from(a)),
    loss: trace.loss,
    deltas: trace.delta.map((d) => Array.from(d)),
    gradients: {
      weights: matrices(trace.gradWeights, layers),
      biases: trace.gradBiases.map((b) => Array.from(b)),
    },
    weightsAfter: after.weights,
    biasesAfter: after.biases,
    ...(outcome.ok ? {} : { diverged: { reason: outcome.reason } }),
  };
}
