import type { SessionEvent } from '../session/events';
import type { SessionState } from '../session/state';
import type { SkippedSeqs, WireEvent } from './wire';
import type { Ack } from './results';
import type { CommandName, Payload } from './schemas';
import type { ParticipationReplies } from './participation';

/** How a client catches up: the events it missed, or a fresh snapshot when they are gone. */
export type Sync =
  { kind: 'events'; events: SessionEvent[] } | { kind: 'snapshot'; state: SessionState };

export interface CommandReplies extends ParticipationReplies {
  /**
   * `sync` is the new session's snapshot, so the host needs no extra round trip.
   * `replayId` is the address of the session's recording (GET /api/recordings/:replayId,
   * docs/recordings.md): everyone in the session may watch it; null when the server keeps
   * no recordings.
   */
  'session:create': { code: string; hostToken: string; replayId: string | null; sync: Sync };
  'session:join': { participantId: string; token: string; replayId: string | null; sync: Sync };
  'session:resume': {
    role: 'host' | 'student';
    participantId: string | null;
    replayId: string | null;
    sync: Sync;
  };
  'session:sync': { sync: Sync };
  'host:setup': object;
  'host:hyper': object;
  'host:step': object;
  'host:play': object;
  'host:reset': object;
  'host:edit-weight': object;
  'host:kick': object;
  'host:lock': object;
  'host:title': object;
  'host:end': object;
  'host:marker': object;
  'host:class-view': object;
}

export type ClientToServerEvents = {
  [C in CommandName]: (payload: Payload<C>, ack: Ack<CommandReplies[C]>) => void;
};

export interface ServerToClientEvents {
  /**
   * The events of one commit, in seq order (one or more), as the wire carries them
   * (wire.ts: a frame's numbers may be binary). `skipped`: the frames the server dropped
   * for this socket since its previous message (none: empty). A message of frames asks
   * for `ack`, called when the client has taken it: the next frame waits for it
   * (server/src/socket/outbox.ts); other messages have no ack.
   */
  'session:events': (events: WireEvent[], skipped: SkippedSeqs, ack?: () => void) => void;
  /** Sent to a kicked participant's sockets just before they are disconnected. */
  'session:kicked': () => void;
  /**
   * Sent to every socket of a room when a commit of it failed because the recordings store
   * is unavailable: the session is on hold (its commands are answered 'unavailable') until
   * the store is back; then the room's sockets are disconnected and resume.
   */
  'session:store-unavailable': () => void;
}

/** Sent in the Socket.IO handshake (`auth`); a mismatch refuses the connection. */
export interface HandshakeAuth {
  protocol: number;
}
