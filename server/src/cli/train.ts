import { SampleOrder, Trainer, gatherBatch, networkToArrays } from '@backprop/shared/nn';
import { isClassification } from '@backprop/shared/data';
import { regularizationPenalty } from '@backprop/shared/nn';
import { accuracyOf } from '../training/accuracy';
import { DATA_HELP, DATA_OPTIONS, loadData } from './data-options';
import { parseNumber } from './errors';
import { parseOptions } from './options';
import { progressBar } from './progress';
import { TERMINAL, type Terminal } from './terminal';

export const TRAIN_HELP = `Usage: npm run -s cli -- train --network FILE (--dataset NAME | --data FILE.csv --target COL[,COL…] [--no-normalize])
                          [--lr 0.1] [--batch 1] [--steps 1000] [--seed 7] [--data-seed 1] [--test-fraction F]
                          [--reg l1|l2 --reg-rate λ]
       npm run -s cli -- train --dataset spiral --noise 0.2 --points 400 --features x1,x2,x1x2,sin1,sin2 --seed 3 …

Trains with plain SGD and prints one JSON object on stdout (on a terminal, a progress bar
with the step, the loss and the rate is drawn on stderr while it runs):
  losses            the batch loss of every step, before its update (the data loss, without a penalty)
  penalties         with --reg: λ·R(w) of the weights each step started from (its loss with the
                    penalty is losses[k] + penalties[k])
  weights, biases   the final network, laid out like the network file
  testLoss          mean loss on the held-out rows (only with --test-fraction)
  accuracy          classification plane data sets: {train, test} of the final network
  diverged          {step, reason} when a step was refused; training stops there (exit code 1)

Options:
${DATA_HELP}
  --lr RATE           learning rate (default 0.1)
  --batch N           samples per step (default 1); equal to the training rows for full-batch steps
  --steps N           number of steps (default 1000)

With normalization on (built-in data sets that suggest it, and --data by default), the
network and its losses are in normalized units. Plane data are never normalized.`;

export function runTrain(
  argv: string[],
  terminal: Terminal = TERMINAL,
): { result: unknown; diverged: boolean } {
  const { values } = parseOptions(argv, {
    ...DATA_OPTIONS,
    lr: { type: 'string' },
    batch: { type: 'string' },
    steps: { type: 'string' },
  });
  const data = loadData('train', values, 7);
  const { train, test, network, regularization } = data;
  const lr = parseNumber('lr', values.lr, 0.1, { min: 0 });
  const steps = parseNumber('steps', values.steps, 1000, { integer: true, min: 0, max: 1e8 });
  const batch = parseNumber('batch', values.batch, 1, { integer: true, min: 1, max: train.rows });

  const trainer = new Trainer(network, batch);
  trainer.regularization = regularization;
  const order = new SampleOrder(train.rows, data.seed);
  const [inUnits, outUnits] = [train.inputs.length, train.targets.length];
  const indices = new Uint32Array(batch);
  const xs = new Float64Array(batch * inUnits);
  const ys = new Float64Array(batch * outUnits);
  const losses: number[] = [];
  const penalties: number[] = [];
  let diverged: { step: number; reason: string } | undefined;
  const progress = progressBar(terminal.stderr, steps, terminal.now);
  for (let step = 0; step < steps; step++) {
    const count = order.nextBatch(batch, indices);
    gatherBatch(train.x, inUnits, indices, count, xs);
    gatherBatch(train.y, outUnits, indices, count, ys);
    const penalty =
      regularization && regularizationPenalty(regularization, trainer.network.weights);
    const outcome = trainer.step(xs, ys, count, lr);
    if (!outcome.ok) {
      diverged = { step, reason: outcome.reason };
      break;
    }
    losses.push(outcome.loss);
    if (penalty !== null) penalties.push(penalty);
    progress.update(step + 1, outcome.loss);
  }
  progress.done();

  const { weights, biases } = networkToArrays(trainer.network);
  const output = network.spec.activations.at(-1)!;
  const classifies = data.plane !== null && isClassification(data.dataset.id);
  const predict = (input: Float64Array, out: Float64Array) => trainer.predict(input, out);
  return {
    diverged: diverged !== undefined,
    result: {
      losses,
      ...(regularization ? { penalties } : {}),
      weights,
      biases,
      ...(test ? { testLoss: trainer.evaluateLoss(test.x, test.y, test.rows) } : {}),
      ...(classifies ? { accuracy: accuracyOf(predict, train, test, output) } : {}),
      ...(diverged ? { diverged } : {}),
    },
  };
}
