import type { Dataset } from '@backprop/shared/data';
import type { TrainingCheckpoint } from '../store/store';

/**
 * What a room keeps beside its events: who may come back (participants' token hashes and
 * kicks), the CSV files its setups trained on, and checkpoints of its training. The store
 * implements it (sessions/store-records.ts); a room without a store keeps nothing.
 *
 * Each call is staged, not written: it commits with the room's next commit, in the same
 * transaction as that commit's events (StoreEventLog.stage). So a student's token hash is
 * stored exactly when their join is, a CSV upload before its reply, and a checkpoint
 * together with the events it follows: it never describes a state the store does not
 * have. A restart still trusts the events over a record (sessions/restore.ts).
 */
export interface RoomRecords {
  participantAdded(participant: { id: string; name: string; token: string }): void;
  participantKicked(id: string): void;
  csvUploaded(upload: CsvUploadRecord): void;
  /** The 'setup-changed' event `seq` chose the CSV dataset made from `upload`. */
  csvChosen(seq: number, upload: CsvUploadRecord): void;
  trainingCheckpoint(checkpoint: TrainingCheckpoint): void;
}

export interface CsvUploadRecord {
  text: string;
  targets: string[];
  uploadedAt: number;
}

/** A CSV upload as received, with the dataset parsed from it. */
export interface CsvChoice {
  dataset: Dataset;
  upload: CsvUploadRecord;
}

export const NO_RECORDS: RoomRecords = {
  participantAdded: () => undefined,
  participantKicked: () => undefined,
  csvUploaded: () => undefined,
  csvChosen: () => undefined,
  trainingCheckpoint: () => undefined,
};
