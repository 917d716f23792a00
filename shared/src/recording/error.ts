/**
 * Why a recording file was refused, and where. The message is ready to show to a person:
 * "line 17: event seq 15 follows 13 (missing 14)".
 */
export class RecordingError extends Error {
  override name = 'RecordingError';
  /** 1-based line of the file (1 is the header); 0 when the problem is the file as a whole. */
  readonly line: number;
  /** The message without the "line N: " prefix. */
  readonly reason: string;

  constructor(line: number, reason: string) {
    super(line > 0 ? `line ${line}: ${reason}` : reason);
    this.line = line;
    this.reason = reason;
  }
}
