/**
 * Bringing a live session back from the store (after a restart, or after its idle room
 * left memory): its public state from the events, its members from the stored token
 * hashes, and its Training at the exact point it had reached.
 *
 * Part of where training stands is in no event: the place in the sample order, the first
 * loss (the yardstick for "exploding"), an open staged step, the full-precision weights
 * behind compact play frames. So the Training is rebuilt at the room's latest training
 * checkpoint (kept every CHECKPOINT_EVERY events, room.ts) and the events after it are
 * re-simulated with the kernel (recordings/simulator.ts) — deterministic, so it lands
 * exactly where the room was. Without a usable checkpoint, every event is re-simulated
 * from the session's start: exact too, only slower (docs/recordings.md gives figures).
 * Either way the work is done in slices, so the other rooms keep going meanwhile.
 */
import type { Logger } from 'pino';
import { parseCsvDataset } from '@backprop/shared/data';
import { compactParams, type SessionState } from '@backprop/shared/session';
import { datasetSource } from '../recordings/datasets';
import { stateAt } from '../recordings/seek';
import { choiceOf, TrainingSimulator, type DatasetSource } from '../recordings/simulator';
import { Members } from '../room/members';
import type { CsvChoice } from '../room/room-records';
import type { AsyncStore, SessionRecord, StoredParticipant, TrainingCheckpoint } from '../store';
import { Training } from '../training/training';

/** Events read from the store at a time. */
const CHUNK = 2000;
/** Simulation between two yields to the event loop. */
const SLICE_MS = 20;

export interface RestoredSession {
  record: SessionRecord;
  state: SessionState;
  training: Training;
  /** The seq of the 'setup-changed' event (or the initial state) whose setup trains. */
  setupSeq: number;
  members: Members;
  lastEventAt: number;
  csv: CsvChoice | null;
  /** Where the re-simulation began: a checkpoint's seq, 0 for the start; null if it failed. */
  resimulatedFrom: number | null;
}

/** The session `code` as it was at its last committed event; null if none or ended. */
export async function restoreSession(
  store: AsyncStore,
  code: string,
  logger: Logger,
): Promise<RestoredSession | null> {
  const loaded = await store.loadSession(code);
  if (!loaded || loaded.state.ended) return null;
  const { session, state } = loaded;
  const csvSetups = await store.csvSetups(code);
  const datasets = datasetSource(() => csvSetups);
  let training: Training;
  let setupSeq: number;
  let lastEventAt = state.createdAt;
  let resimulatedFrom: number | null;
  try {
    const resimulated = await resimulate(store, session, datasets, logger);
    if (resimulated.state.seq !== state.seq) {
      throw new Error(`re-simulated to seq ${resimulated.state.seq}, stored ${state.seq}`);
    }
    ({ training, setupSeq, lastEventAt, from: resimulatedFrom } = resimulated);
  } catch (err) {
    // Better a room at the right weights with a new sample order than no room at all.
    logger.error({ err, code }, 'restore: re-simulation failed; weights taken from the state');
    setupSeq = csvSetups.at(-1)?.seq ?? state.seq;
    training = new Training(choiceOf(state.setup), datasets(state.setup, setupSeq));
    training.setNetwork(state.network);
    lastEventAt = (await store.eventsSince(code, state.seq - 1, 1))[0]?.t ?? lastEventAt;
    resimulatedFrom = null;
  }
  return {
    record: session,
    state,
    training,
    setupSeq,
    members: Members.restore(session.hostTokenHash, acknowledged(loaded.participants, state)),
    lastEventAt,
    csv: loaded.csv && csvChoice(loaded.csv),
    resimulatedFrom,
  };
}

interface Resimulated {
  training: Training;
  setupSeq: number;
  state: SessionState;
  lastEventAt: number;
  from: number;
}

/** From the latest checkpoint when there is a usable one, else from the start. */
async function resimulate(
  store: AsyncStore,
  record: SessionRecord,
  datasets: DatasetSource,
  logger: Logger,
): Promise<Resimulated> {
  const checkpoint = await store.trainingCheckpoint(record.code);
  if (checkpoint && checkpoint.seq <= record.lastSeq) {
    try {
      return await replay(store, record, await atCheckpoint(store, record, checkpoint, datasets));
    } catch (err) {
      logger.warn({ err, code: record.code }, 'restore: checkpoint unusable; from the start');
    }
  }
  const initial = await store.initialState(record.code);
  if (!initial) throw new Error(`session ${record.code} has no initial state`);
  return replay(store, record, new TrainingSimulator(initial, datasets, false));
}

async function atCheckpoint(
  store: AsyncStore,
  record: SessionRecord,
  checkpoint: TrainingCheckpoint,
  datasets: DatasetSource,
): Promise<TrainingSimulator> {
  const state = await stateAt(store, record, checkpoint.seq);
  const training = new Training(choiceOf(state.setup), datasets(state.setup, checkpoint.setupSeq));
  training.resumeAt(checkpoint);
  // It must describe its own state (compact: the state may hold a play frame's weights).
  const fits =
    training.stepCount === state.step &&
    training.epoch === state.epoch &&
    compactParams(training.network()).join() === compactParams(state.network).join();
  if (!fits) throw new Error(`the checkpoint at seq ${checkpoint.seq} does not fit its state`);
  return new TrainingSimulator(state, datasets, false, {
    training,
    setupSeq: checkpoint.setupSeq,
  });
}

/** Re-simulates every event after the simulator's state, in slices. */
async function replay(
  store: AsyncStore,
  record: SessionRecord,
  simulator: TrainingSimulator,
): Promise<Resimulated> {
  const from = simulator.state.seq;
  let lastEventAt = simulator.state.createdAt;
  let sliceEnd = performance.now() + SLICE_MS;
  for (;;) {
    const events = await store.eventsSince(record.code, simulator.state.seq, CHUNK);
    for (const event of events) {
      const problem = simulator.apply(event);
      if (problem) throw new Error(`re-simulation differs at seq ${problem.seq}: ${problem.what}`);
      lastEventAt = event.t;
      if (performance.now() > sliceEnd) {
        await nextTurn();
        sliceEnd = performance.now() + SLICE_MS;
      }
    }
    if (events.length < CHUNK) break;
  }
  if (from === simulator.state.seq && from > record.initialSeq) {
    lastEventAt = (await store.eventsSince(record.code, from - 1, 1))[0]?.t ?? lastEventAt;
  }
  const { training, setupSeq, state } = simulator;
  return { training, setupSeq, state, lastEventAt, from };
}

/**
 * The events are the truth: a student is in if the state lists them, kicked if it does
 * not and their kick was kept; a stored student in neither case joined in a batch that
 * never committed (they never got their token), and is left out so their name is free.
 */
function acknowledged(
  participants: readonly StoredParticipant[],
  state: SessionState,
): StoredParticipant[] {
  const present = new Set(state.participants.map((p) => p.id));
  return participants
    .filter((p) => present.has(p.id) || p.kicked)
    .map((p) => ({ ...p, kicked: !present.has(p.id) }));
}

function csvChoice(upload: {
  text: string;
  targets: string[];
  uploadedAt: number;
}): CsvChoice | null {
  try {
    return { dataset: parseCsvDataset(upload.text, { targets: upload.targets }), upload };
  } catch {
    return null;
  }
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
