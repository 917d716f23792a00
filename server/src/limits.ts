/**
 * Every limit the server enforces, in one place (docs/limits.md explains each one and why
 * it has its value). A few can be changed with environment variables (README.md lists
 * them); the rest are code, because changing them needs thought, not configuration.
 */
import type { CommandName } from '@backprop/shared/protocol';

/** At most `points` in `seconds`; over that, refused (for `blockSeconds` more, if set). */
export interface RateLimit {
  points: number;
  seconds: number;
  /** Once over the limit, every attempt is refused for this long (a backoff). */
  blockSeconds?: number;
}

/**
 * Whom a per-command limit counts: each socket, each member of a room (a student's two
 * tabs share one allowance, so opening tabs does not multiply it; a socket that has not
 * joined counts as itself), or each client address (for what strangers can do).
 */
export type LimitKey = 'socket' | 'member' | 'ip';

export interface CommandLimit extends RateLimit {
  key: LimitKey;
  /** Said in the 'rate-limited' error, e.g. "proposals". */
  what: string;
}

export interface Limits {
  /** The largest socket.io message (socket.io's maxHttpBufferSize); over it, disconnected. */
  maxMessageBytes: number;
  /** The per-socket token bucket every incoming event goes through. */
  events: {
    perSecond: number;
    /** Events allowed at once on top of the rate (a client catching up after a blip). */
    burst: number;
    /** A socket sending this many times what the bucket allows is cut off. */
    abuseFactor: number;
  };
  /**
   * Extra limits for single commands, on top of the bucket. The participation commands
   * (proposals, votes, answers) add their rows here as they are added to the schemas.
   */
  commands: Partial<Record<CommandName, CommandLimit>>;
  /** Failed joins and resumes (unknown code, refused name, bad token) from one address. */
  joinFailuresPerIp: RateLimit;
  /** Failed joins and resumes against one existing session, from anyone. */
  joinFailuresPerCode: RateLimit;
  /** CSV uploads into one session. */
  csvUploadsPerSession: RateLimit;
  /** Recording imports (up to 64 MiB each, kept on disk) from one client address. */
  recordingImportsPerIp: RateLimit;
  /** Recording exports (each reads the whole recording) from one client address… */
  recordingExportsPerIp: RateLimit;
  /** …and of one recording, from anyone (its replay id is shared with a whole class). */
  recordingExportsPerRecording: RateLimit;
  maxParticipantsPerRoom: number;
  maxRooms: number;
  /**
   * Rooms playing at once whose host is at one address (play-cpu.ts). A school's classes
   * may share one NAT address, so it is well above one class.
   */
  maxPlayingRoomsPerIp: number;
  /** A room with no connected socket for this long is disposed from memory. */
  roomIdleMs: number;
  /** How often rooms are checked for idleness. */
  idleSweepMs: number;
}

/**
 * Recordings must stay importable: shared/src/recording/limits.ts accepts up to 1000
 * participants, so the environment cannot raise the cap past it.
 */
export const MAX_PARTICIPANTS_CEILING = 1000;

export const DEFAULT_LIMITS: Limits = {
  maxMessageBytes: 16 * 1024,
  events: { perSecond: 10, burst: 20, abuseFactor: 5 },
  commands: {
    // Creating rooms is what a stranger can do to use memory: a few per address.
    'session:create': { points: 20, seconds: 600, key: 'ip', what: 'new sessions' },
    // A sync may answer with a full snapshot (tens of KB): a client needs one per gap.
    'session:sync': { points: 20, seconds: 10, key: 'member', what: 'sync requests' },
    // Each join records an event that every member receives.
    'session:join': { points: 10, seconds: 60, key: 'socket', what: 'joins' },
    // Participation: what a bored student can spam at the class (the room's own rules,
    // like one proposal per few seconds, come on top of these).
    'student:propose': { points: 10, seconds: 60, key: 'member', what: 'proposals' },
    'student:vote': { points: 20, seconds: 60, key: 'member', what: 'votes' },
    'student:answer': { points: 20, seconds: 60, key: 'member', what: 'answers' },
    'student:ready': { points: 30, seconds: 60, key: 'member', what: 'ready toggles' },
    'student:withdraw': { points: 20, seconds: 60, key: 'member', what: 'withdrawals' },
    // A race trains up to 4 × 5000 steps beside the room (one at a time per room).
    'host:race': { points: 10, seconds: 60, key: 'member', what: 'races' },
  },
  // Generous: a class of 200 behind one NAT mistypes codes and names, and only failures
  // count. A guesser gets 120 tries per 10 minutes against ~887 million codes.
  joinFailuresPerIp: { points: 120, seconds: 600, blockSeconds: 300 },
  // Stops token guessing and name spam against one session without locking out a class.
  joinFailuresPerCode: { points: 300, seconds: 300, blockSeconds: 60 },
  csvUploadsPerSession: { points: 20, seconds: 60 },
  // A class imports a few files; a stranger filling the disk is stopped at 20 an hour.
  recordingImportsPerIp: { points: 20, seconds: 3600 },
  // Exports are streamed without holding up anyone, but each reads up to 64 MiB: a class
  // behind one address exporting a lesson each is fine, a loop is stopped within a minute.
  recordingExportsPerIp: { points: 60, seconds: 600 },
  recordingExportsPerRecording: { points: 30, seconds: 600 },
  maxParticipantsPerRoom: 500,
  maxRooms: 200,
  maxPlayingRoomsPerIp: 10,
  roomIdleMs: 2 * 60 * 60 * 1000,
  idleSweepMs: 60 * 1000,
};

/** The limits with the environment's overrides (documented in README.md). */
export function limitsFromEnv(env: NodeJS.ProcessEnv): Limits {
  const limits = structuredClone(DEFAULT_LIMITS);
  limits.maxParticipantsPerRoom = integer(
    env,
    'MAX_PARTICIPANTS',
    limits.maxParticipantsPerRoom,
    1,
    MAX_PARTICIPANTS_CEILING,
  );
  limits.maxRooms = integer(env, 'MAX_ROOMS', limits.maxRooms, 1, 100_000);
  limits.maxPlayingRoomsPerIp = integer(
    env,
    'MAX_PLAYING_PER_IP',
    limits.maxPlayingRoomsPerIp,
    1,
    100_000,
  );
  limits.roomIdleMs =
    integer(env, 'ROOM_IDLE_MINUTES', limits.roomIdleMs / 60_000, 1, 7 * 24 * 60) * 60_000;
  limits.events.perSecond = integer(env, 'EVENTS_PER_SECOND', limits.events.perSecond, 1, 1000);
  limits.events.burst = integer(
    env,
    'EVENT_BURST',
    Math.max(limits.events.burst, limits.events.perSecond),
    limits.events.perSecond,
    10_000,
  );
  // A school's teachers may start their classes from one NAT address at the same hour.
  const creates = limits.commands['session:create']!;
  creates.points = integer(env, 'SESSIONS_PER_IP', creates.points, 1, 1_000_000);
  limits.joinFailuresPerIp.points = integer(
    env,
    'JOIN_FAILURES_PER_IP',
    limits.joinFailuresPerIp.points,
    1,
    1_000_000,
  );
  return limits;
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
