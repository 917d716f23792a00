/**
 * tfjs-core on its CPU backend, set up to do the same SGD step as our kernel.
 * tfjs-core's Node entry registers no gradients, and its ESM gradient files cannot be
 * imported by Node directly (extensionless imports), so esbuild bundles them once here.
 * The registries they fill are global, so the bundle registers into the same engine.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export async function loadTfjs(): Promise<typeof tf> {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const file = join(mkdtempSync(join(tmpdir(), 'tfjs-gradients-')), 'gradients.mjs');
  writeFileSync(file, bundle.outputFiles[0]!.text);
  await import(file);
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
  return tf;
}

export interface TfjsNetwork {
  step(batch: number): void;
  /** Waits for pending work (the CPU backend is synchronous; this reads one value back). */
  sync(): void;
}

/**
 * An MLP with sigmoid hidden layers and a linear output, trained on `batches` with
 * loss = mean over the batch of ½Σ(ŷ−y)², like the kernel.
 */
export function tfjsNetwork(
  t: typeof tf,
  layers: number[],
  weights: readonly Float64Array[],
  batches: { x: Float64Array; y: Float64Array; size: number }[],
  learningRate: number,
): TfjsNetwork {
  // Our weights are (out × in); tfjs multiplies x(batch × in) · W(in × out).
  const ws = weights.map((w, l) =>
    t.variable(t.transpose(t.tensor2d(Array.from(w), [layers[l + 1]!, layers[l]!]))),
  );
  const bs = layers.slice(1).map((n) => t.variable(t.zeros([n])));
  const xs = batches.map((b) => t.tensor2d(Array.from(b.x), [b.size, layers[0]!]));
  const ys = batches.map((b) => t.tensor2d(Array.from(b.y), [b.size, layers[layers.length - 1]!]));
  const optimizer = t.train.sgd(learningRate);
  const last = ws.length - 1;
  return {
    step(k) {
      const x = xs[k % xs.length]!;
      const y = ys[k % ys.length]!;
      optimizer.minimize(() => {
        let a: tf.Tensor = x;
        for (let l = 0; l <= last; l++) {
          const z = t.add(t.matMul(a, ws[l]!), bs[l]!);
          a = l === last ? z : t.sigmoid(z);
        }
        return t.mean(t.mul(0.5, t.sum(t.square(t.sub(a, y)), 1)));
      });
    },
    sync() {
      ws[0]!.dataSync();
    },
  };
}
