import { displayNameKey } from '@backprop/shared/session';
import { hashToken, newPublicId, newToken, tokenMatches } from '../security/tokens';

/** A student as the server knows them: the public part is in SessionState.participants. */
interface ParticipantRecord {
  id: string;
  name: string;
  /** displayNameKey(name): unique among the room's (not kicked) participants. */
  nameKey: string;
  tokenHash: Buffer;
  kicked: boolean;
  /** Open sockets of this student (a phone and a laptop, or two tabs). */
  sockets: Set<string>;
}

export type Identity = { role: 'host' } | { role: 'student'; participantId: string };

/**
 * Who belongs to a room and which sockets they have open: token hashes, names, kicks.
 * Bookkeeping only; the room turns changes into events.
 */
export class Members {
  private readonly hostTokenHash: Buffer;
  private readonly hostSockets = new Set<string>();
  private readonly participants = new Map<string, ParticipantRecord>();

  /** `host`: the host's token, or (a room restored from the store) its hash. */
  constructor(host: string | Buffer) {
    this.hostTokenHash = typeof host === 'string' ? hashToken(host) : host;
  }

  /**
   * The members of a restored room: the host and every student by their token hashes
   * (the tokens themselves were never kept). Nobody has a socket yet.
   */
  static restore(
    hostTokenHash: Buffer,
    participants: readonly { id: string; name: string; tokenHash: Buffer; kicked: boolean }[],
  ): Members {
    const members = new Members(hostTokenHash);
    for (const { id, name, tokenHash, kicked } of participants) {
      members.participants.set(id, {
        id,
        name,
        nameKey: displayNameKey(name),
        tokenHash,
        kicked,
        sockets: new Set(),
      });
    }
    return members;
  }

  isHostToken(token: string): boolean {
    return tokenMatches(token, this.hostTokenHash);
  }

  /**
   * Whose token this is. Every participant's hash is compared (in constant time each), so
   * the time taken does not depend on which one matched.
   */
  identify(token: string): Identity | { role: 'kicked' } | null {
    if (this.isHostToken(token)) return { role: 'host' };
    let found: ParticipantRecord | null = null;
    for (const record of this.participants.values()) {
      if (tokenMatches(token, record.tokenHash)) found = record;
    }
    if (!found) return null;
    return found.kicked ? { role: 'kicked' } : { role: 'student', participantId: found.id };
  }

  get participantCount(): number {
    let count = 0;
    for (const record of this.participants.values()) if (!record.kicked) count++;
    return count;
  }

  /** Open sockets of the host and of every student. */
  get socketCount(): number {
    let count = this.hostSockets.size;
    for (const record of this.participants.values()) count += record.sockets.size;
    return count;
  }

  isNameTaken(name: string): boolean {
    const key = displayNameKey(name);
    for (const record of this.participants.values()) {
      if (!record.kicked && record.nameKey === key) return true;
    }
    return false;
  }

  /** Adds a student; the caller has checked the name. Returns the id and the secret token. */
  addParticipant(name: string): { id: string; token: string } {
    const id = newPublicId();
    const token = newToken();
    this.participants.set(id, {
      id,
      name,
      nameKey: displayNameKey(name),
      tokenHash: hashToken(token),
      kicked: false,
      sockets: new Set(),
    });
    return { id, token };
  }

  hasParticipant(id: string): boolean {
    const record = this.participants.get(id);
    return record !== undefined && !record.kicked;
  }

  /**
   * Marks a student as kicked (their token is refused from now on; their name becomes
   * free) and returns the sockets they had open, to be disconnected.
   */
  kick(id: string): string[] {
    const record = this.participants.get(id);
    if (!record || record.kicked) return [];
    record.kicked = true;
    const sockets = [...record.sockets];
    record.sockets.clear();
    return sockets;
  }

  /** Adds an open socket; true when this makes the member connected (it was not before). */
  attach(identity: Identity, socketId: string): boolean {
    const sockets = this.socketsOf(identity);
    if (!sockets) return false;
    const wasConnected = sockets.size > 0;
    sockets.add(socketId);
    return !wasConnected;
  }

  /** Removes a socket; true when the member has no socket left (just went offline). */
  detach(identity: Identity, socketId: string): boolean {
    const sockets = this.socketsOf(identity);
    if (!sockets || !sockets.delete(socketId)) return false;
    return sockets.size === 0;
  }

  private socketsOf(identity: Identity): Set<string> | null {
    if (identity.role === 'host') return this.hostSockets;
    const record = this.participants.get(identity.participantId);
    return record && !record.kicked ? record.sockets : null;
  }
}
