/** A room's RoomRecords kept in the store (see room/room-records.ts for the ordering rule). */
import type { RoomRecords } from '../room/room-records';
import type { Store } from '../store';

export function storeRecords(store: Store, code: string): RoomRecords {
  return {
    participantAdded: (participant) => store.putParticipant(code, participant),
    participantKicked: (id) => store.setParticipantKicked(code, id, true),
    csvUploaded: (upload) => store.putCsvUpload(code, upload),
    csvChosen: (seq, upload) => store.putCsvSetup(code, seq, upload),
    trainingCheckpoint: (checkpoint) => store.putTrainingCheckpoint(code, checkpoint),
  };
}
