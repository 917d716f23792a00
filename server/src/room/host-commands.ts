/**
 * The host's commands other than stepping (stepping.ts) and kicking (which needs the
 * sockets: socket/host-handlers.ts). Each runs inside the room's queue, after the caller
 * has checked that the socket is the host's and that the session has not ended.
 */
import { DEFAULT_DATASET_SEED, generatedDataset, type Dataset } from '@backprop/shared/data';
import { fail, LIMITS, type Payload, type Result } from '@backprop/shared/protocol';
import { cleanDisplayText } from '@backprop/shared/session';
import { suggestedHyper } from '../training/defaults';
import { SetupError } from '../training/setup-error';
import { Training } from '../training/training';
import { settle } from './frames';
import type { PlayLoop } from './play-loop';
import { checkTrainingBudget } from './recording-budget';
import type { CsvChoice, RoomRecords } from './room-records';
import { finishStagedStep } from './stepping';
import { cleanSessionTitle } from './title';
import type { TrainingContext } from './training-context';

/**
 * What the host's commands need of a room: what recording training needs, the room's
 * training to replace on a new setup, its play loop, its last CSV and its records. A
 * narrow context, not the Room, so that this file does not import room.ts.
 */
export interface HostContext extends TrainingContext {
  training: TrainingContext['training'];
  readonly csv: CsvChoice | null;
  readonly play: Pick<PlayLoop, 'start' | 'stop'>;
  readonly records: Pick<RoomRecords, 'csvChosen'>;
}

/**
 * A new dataset, architecture, seed or data seed: training starts over. Switching to another dataset
 * also switches to its suggested learning rate and batch size (a rate tuned for house
 * prices is wrong for XOR); the speed stays.
 */
export function hostSetup(room: HostContext, payload: Payload<'host:setup'>): Result {
  // A new network is training too, and its setup event holds the whole network.
  const budget = checkTrainingBudget(room);
  if (!budget.ok) return budget;
  const choice = { ...payload, dataSeed: payload.dataSeed ?? DEFAULT_DATASET_SEED };
  const csv = choice.datasetId === 'csv' ? room.csv : null;
  let dataset: Dataset | undefined;
  try {
    dataset = csv ? csv.dataset : choice.datasetId === 'csv' ? undefined : generatedFor(choice);
  } catch (err) {
    if (err instanceof RangeError) return fail('bad-request', `${capitalize(err.message)}.`);
    throw err;
  }
  if (!dataset) return fail('bad-request', 'Upload a CSV file before choosing the CSV dataset.');
  let training: Training;
  try {
    training = new Training(choice, dataset);
  } catch (err) {
    if (err instanceof SetupError) return fail('bad-request', err.message);
    throw err;
  }
  const { state } = room;
  const hyper =
    payload.datasetId === state.setup.datasetId
      ? state.hyper
      : suggestedHyper(payload.datasetId, state.hyper.speed);
  room.play.stop();
  room.training = training;
  const event = room.record({
    type: 'setup-changed',
    setup: training.setup,
    hyper,
    network: training.network(),
    fit: training.fit(),
  });
  // The recording must say which file: a re-simulation (verify, a restart) needs it.
  if (csv) room.records.csvChosen(event.seq, csv.upload);
  return { ok: true };
}

function generatedFor(choice: Payload<'host:setup'> & { dataSeed: number }): Dataset {
  const outputActivation = choice.activations.at(-1);
  // The kernel's spec check says what is wrong with an empty list; any activation does here.
  return generatedDataset({ ...choice, outputActivation: outputActivation ?? 'linear' });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function hostHyper(room: TrainingContext, payload: Payload<'host:hyper'>): Result {
  const current = room.state.hyper;
  const hyper = {
    learningRate: payload.learningRate ?? current.learningRate,
    batchSize: payload.batchSize ?? current.batchSize,
    speed: payload.speed ?? current.speed,
  };
  const changed = (Object.keys(hyper) as (keyof typeof hyper)[]).some(
    (key) => hyper[key] !== current[key],
  );
  if (changed) room.record({ type: 'hyper-changed', hyper });
  return { ok: true };
}

/** `address`: the host's (one address may keep only so many rooms playing: play-cpu.ts). */
export function hostPlay(
  room: HostContext,
  playing: boolean,
  address: string | null = null,
): Result {
  if (playing === room.state.playing) return { ok: true };
  if (playing) {
    const budget = checkTrainingBudget(room);
    if (!budget.ok) return budget;
    const admitted = room.play.start(address);
    if (!admitted.ok) return admitted;
    const finished = finishStagedStep(room);
    if (!finished.ok) {
      room.play.stop();
      return finished;
    }
    room.record({ type: 'play-changed', playing: true });
  } else {
    room.play.stop();
    settle(room);
    room.record({ type: 'play-changed', playing: false });
  }
  return { ok: true };
}

export function hostReset(room: HostContext): Result {
  const budget = checkTrainingBudget(room);
  if (!budget.ok) return budget;
  room.play.stop();
  room.training.reset();
  room.record({ type: 'reset', network: room.training.network(), fit: room.training.fit() });
  return { ok: true };
}

export function hostEditWeight(room: HostContext, payload: Payload<'host:edit-weight'>): Result {
  const budget = checkTrainingBudget(room);
  if (!budget.ok) return budget;
  const { layer, to, from, value } = payload;
  if (!room.training.editWeight(layer, to, from, value)) {
    const layers = room.state.setup.layers.join('-');
    return fail(
      'bad-request',
      `There is no weight from unit ${from} to unit ${to} in weight matrix ${layer} of this ${layers} network.`,
    );
  }
  room.record({ type: 'weight-edited', layer, to, from, value, fit: room.training.fit() });
  return { ok: true };
}

export function hostLock(room: HostContext, locked: boolean): Result {
  if (locked !== room.state.locked) room.record({ type: 'locked', locked });
  return { ok: true };
}

export function hostTitle(room: HostContext, rawTitle: string): Result {
  const title = cleanSessionTitle(rawTitle);
  if (!title.ok) return title;
  if (title.title !== room.state.title) room.record({ type: 'title-set', title: title.title });
  return { ok: true };
}

/** A moment on the replay's timeline, with the host's label (cleaned like a name). */
export function hostMarker(room: HostContext, rawLabel: string): Result {
  const label = cleanDisplayText(rawLabel);
  const length = Array.from(label).length;
  if (length === 0) return fail('bad-request', 'A marker needs a label.');
  if (length > LIMITS.maxMarkerLabel) {
    return fail(
      'bad-request',
      `A marker label can have at most ${LIMITS.maxMarkerLabel} characters.`,
    );
  }
  room.record({ type: 'marker', label });
  return { ok: true };
}

export function hostEnd(room: HostContext): Result {
  room.play.stop();
  settle(room);
  room.record({ type: 'ended' });
  return { ok: true };
}
