/**
 * A setup to share: what the setup form sends (host:setup) and the learning rate and batch
 * size. A link and a file carry the same thing, and both are checked with the server's own
 * payload schemas, so what loads is exactly what the server accepts; starting a session from
 * it reproduces the same initial weights (the seed) and the same points (the data seed).
 */
import {
  PLANE_DATASET_TITLES,
  builtinDataset,
  featureLabel,
  isBuiltinDatasetId,
  isPlaneDatasetId,
} from '@backprop/shared/data';
import { parsePayload, type Payload } from '@backprop/shared/protocol';
import type { Hyperparameters, SessionState } from '@backprop/shared/session';
import { setupModelOf, type SetupModel } from '../host-controls';

export interface SharedSetup {
  setup: SetupModel;
  hyper: Pick<Hyperparameters, 'learningRate' | 'batchSize'>;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export function sharedSetupOf(state: Pick<SessionState, 'setup' | 'hyper'>): SharedSetup {
  return {
    setup: setupModelOf(state.setup),
    hyper: { learningRate: state.hyper.learningRate, batchSize: state.hyper.batchSize },
  };
}

/** Checks a setup and hyperparameters as the server will; the message names the field. */
export function checkSharedSetup(setup: unknown, hyper: unknown): Checked<SharedSetup> {
  const checkedSetup = parsePayload('host:setup', setup);
  if (!checkedSetup.ok) return { ok: false, message: withoutCommand(checkedSetup.message) };
  if (checkedSetup.value.datasetId === 'csv') {
    return { ok: false, message: 'an uploaded CSV file cannot be shared in a setup' };
  }
  const checkedHyper = parsePayload('host:hyper', hyper);
  if (!checkedHyper.ok) return { ok: false, message: withoutCommand(checkedHyper.message) };
  const { learningRate, batchSize } = checkedHyper.value;
  if (learningRate === undefined || batchSize === undefined) {
    return { ok: false, message: 'the learning rate and the batch size are both needed' };
  }
  return { ok: true, value: { setup: checkedSetup.value, hyper: { learningRate, batchSize } } };
}

/** 'host:setup: seed: …' → 'seed: …' (the person sharing a setup never typed a command). */
function withoutCommand(message: string): string {
  return message.replace(/^host:(setup|hyper): /, '');
}

/** Sends a shared setup to a session: the setup first (it starts over), then the rates. */
export async function applySharedSetup(
  send: <C extends 'host:setup' | 'host:hyper'>(
    command: C,
    payload: Payload<C>,
  ) => Promise<{ ok: true } | { ok: false; error: { message: string } }>,
  shared: SharedSetup,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const setup = await send('host:setup', shared.setup);
  if (!setup.ok) return { ok: false, message: setup.error.message };
  const hyper = await send('host:hyper', shared.hyper);
  if (!hyper.ok) return { ok: false, message: hyper.error.message };
  return { ok: true };
}

/** One line for people: what a shared setup will start with. */
export function describeSharedSetup({ setup, hyper }: SharedSetup): string {
  const parts = [datasetTitle(setup.datasetId)];
  if (setup.plane) {
    parts.push(
      `${setup.plane.points} points, noise ${Math.round(setup.plane.noise * 100)}%, features ${setup.plane.features.map(featureLabel).join(', ')}`,
    );
  }
  const hidden = setup.hidden.length === 0 ? 'no hidden layer' : `hidden ${setup.hidden.join('-')}`;
  parts.push(`${hidden} (${setup.activations.join(', ')})`);
  parts.push(`learning rate ${hyper.learningRate}, batch ${hyper.batchSize}`);
  if (setup.regularization) {
    parts.push(`${setup.regularization.kind.toUpperCase()} λ ${setup.regularization.rate}`);
  }
  parts.push(
    `seed ${setup.seed}${setup.dataSeed === undefined ? '' : `, data seed ${setup.dataSeed}`}`,
  );
  return parts.join('; ');
}

function datasetTitle(id: string): string {
  if (isPlaneDatasetId(id)) return PLANE_DATASET_TITLES[id];
  return isBuiltinDatasetId(id) ? builtinDataset(id).title : id;
}
