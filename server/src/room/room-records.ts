import type { TrainingCheckpoint } from '../store/store';

/**
 * What a room keeps beside its events: who may come back (participants' token hashes and
 * kicks), the CSV files its setups trained on, and checkpoints of its training. The store
 * implements it (sessions/store-records.ts); a room without a store keeps nothing.
 *
 * Each call commits on its own. Participants and CSV files are kept before the event they
 * go with: a restart trusts the events and ignores a record whose event never committed
 * (sessions/restore.ts). A checkpoint is kept after the events it follows have committed,
 * so it never describes a state the store does not have.
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

export const NO_RECORDS: RoomRecords = {
  participantAdded: () => undefined,
  participantKicked: () => undefined,
  csvUploaded: () => undefined,
  csvChosen: () => undefined,
  trainingCheckpoint: () => undefined,
};
