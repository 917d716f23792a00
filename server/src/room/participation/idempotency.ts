/**
 * Idempotency keys: a student's phone that lost its connection resends a proposal, a vote
 * or an answer with the same client-made key, and must not count twice. The room keeps
 * each student's last keys with the answer they got; a repeat gets that answer again and
 * changes nothing. Only successes are kept: a refused command changed nothing, so trying
 * it again (say, after the 5-second proposal interval) is safe and is judged afresh.
 */
import { fail, type Result } from '@backprop/shared/protocol';

interface Remembered {
  command: string;
  result: Result<object>;
}

export class IdempotencyLedger {
  private readonly byParticipant = new Map<string, Map<string, Remembered>>();

  constructor(private readonly perParticipant: number) {}

  /**
   * Runs `action` once per (participant, key): a repeat of the same command returns the
   * first success; the key reused for another command is refused.
   */
  once<T extends object>(
    participantId: string,
    command: string,
    key: string,
    action: () => Result<T>,
  ): Result<T> {
    const keys = this.byParticipant.get(participantId);
    const seen = keys?.get(key);
    if (seen) {
      if (seen.command !== command) {
        return fail('bad-request', `${command}: this key was already used for ${seen.command}.`);
      }
      return seen.result as Result<T>;
    }
    const result = action();
    if (result.ok) this.remember(participantId, key, { command, result });
    return result;
  }

  /** A removed student's keys are of no more use. */
  forget(participantId: string): void {
    this.byParticipant.delete(participantId);
  }

  private remember(participantId: string, key: string, entry: Remembered): void {
    let keys = this.byParticipant.get(participantId);
    if (!keys) {
      keys = new Map();
      this.byParticipant.set(participantId, keys);
    }
    keys.set(key, entry);
    // A Map iterates in insertion order: the first key is the oldest.
    if (keys.size > this.perParticipant) keys.delete(keys.keys().next().value!);
  }
}
