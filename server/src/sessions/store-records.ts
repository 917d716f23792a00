/** A room's RoomRecords kept in the store (see room/room-records.ts for the ordering rule). */
import type { RoomRecords } from '../room/room-records';
import type { StoreEventLog } from '../store';

/** Each record is staged on the room's log: it commits with the room's next batch. */
export function storeRecords(log: StoreEventLog, code: string): RoomRecords {
  return {
    participantAdded: (participant) => log.stage((tx) => tx.putParticipant(code, participant)),
    participantKicked: (id) => log.stage((tx) => tx.setParticipantKicked(code, id, true)),
    csvUploaded: (upload) => log.stage((tx) => tx.putCsvUpload(code, upload)),
    csvChosen: (seq, upload) => log.stage((tx) => tx.putCsvSetup(code, seq, upload)),
    trainingCheckpoint: (checkpoint) =>
      log.stage((tx) => tx.putTrainingCheckpoint(code, checkpoint)),
  };
}
