/**
 * The recordings list's columns, derived from the events as they are appended, so no one
 * has to remember to update them and they commit in the same transaction as the events.
 */
import type { SessionEvent, TrainingSetup } from '@backprop/shared/session';

/** What a batch of events changes in the summary; null fields leave the column as it is. */
export interface SummaryChange {
  lastSeq: number;
  lastEventAt: number;
  /** The highest step reached in the batch, or null if no step was taken. */
  maxStep: number | null;
  joined: number;
  title: string | null;
  dataset: string | null;
  network: string | null;
  endedAt: number | null;
}

export function datasetLabel(setup: TrainingSetup): string {
  return setup.datasetTitle;
}

export function networkLabel(setup: TrainingSetup): string {
  return setup.layers.join('-');
}

/** The summary change of a non-empty batch. */
export function summarize(events: readonly SessionEvent[]): SummaryChange {
  const last = events.at(-1);
  if (!last) throw new Error('summarize: no events');
  const change: SummaryChange = {
    lastSeq: last.seq,
    lastEventAt: last.t,
    maxStep: null,
    joined: 0,
    title: null,
    dataset: null,
    network: null,
    endedAt: null,
  };
  const stepTo = (step: number) => (change.maxStep = Math.max(change.maxStep ?? 0, step));
  for (const event of events) {
    switch (event.type) {
      case 'participant-joined':
        change.joined++;
        break;
      case 'title-set':
        change.title = event.title;
        break;
      case 'setup-changed':
        change.dataset = datasetLabel(event.setup);
        change.network = networkLabel(event.setup);
        break;
      case 'stepped':
      case 'progressed':
        stepTo(event.progress.step);
        break;
      case 'stage-ran':
        if (event.patch.kind === 'update') stepTo(event.patch.progress.step);
        break;
      case 'ended':
        change.endedAt = event.t;
        break;
      default:
        break;
    }
  }
  return change;
}
