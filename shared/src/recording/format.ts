/**
 * The export format: NDJSON. Line 1 is the header (header.ts), then one SessionEvent per
 * line in seq order. Decoding validates everything and stops at the first problem with a
 * RecordingError naming the line, because an imported file is untrusted input that the
 * replay will feed straight to the reducer and the views.
 */
import * as v from 'valibot';
import type { SessionEvent } from '../session/events';
import { RecordingError } from './error';
import { sessionEventSchema } from './eventSchema';
import {
  RECORDING_FORMAT,
  RECORDING_VERSION,
  SUMMARY_EVENT_TYPES,
  recordingHeaderSchema,
  recordingSummary,
  type RecordingHeader,
} from './header';
import { stringifyFinite } from './json';
import { RECORDING_LIMITS } from './limits';
import { ShapeChecker, findStateShapeProblem } from './shapes';

export interface Recording {
  header: RecordingHeader;
  events: SessionEvent[];
}

/**
 * The file's text. Throws (rather than write a file that import would refuse) when the
 * header's event count is wrong, a number is not finite, or the text is too large.
 */
export function encodeRecording(header: RecordingHeader, events: readonly SessionEvent[]): string {
  if (header.events !== events.length) {
    throw new RecordingError(
      0,
      `the header says ${header.events} events but ${events.length} were given`,
    );
  }
  const lines = [stringifyFinite(header)];
  for (const event of events) lines.push(stringifyFinite(event));
  const text = `${lines.join('\n')}\n`;
  checkSize(text, 'the recording');
  return text;
}

/** Parses and fully validates a recording file; throws RecordingError on the first problem. */
export function decodeRecording(text: string): Recording {
  checkRecordingSize(text);
  const decoder = new RecordingDecoder();
  const events: SessionEvent[] = [];
  for (const line of recordingLines(text)) {
    const event = decoder.push(line);
    if (event) events.push(event);
  }
  return { header: decoder.finish(), events };
}

/**
 * decodeRecording one line at a time, so a caller can pause between lines (the server
 * yields to its event loop while it imports a large file) and keep only what it needs.
 * Feed every line of the file to push(), which returns each valid event, then call
 * finish() for the header; each throws RecordingError on the first problem, exactly as
 * decodeRecording does. Only the events that decide the header's summary are kept.
 */
export class RecordingDecoder {
  private line = 0;
  private blankFirstLine = false;
  private header: RecordingHeader | null = null;
  private shapes: ShapeChecker | null = null;
  private previous: { seq: number; t: number } | null = null;
  private count = 0;
  private readonly summaryEvents: SessionEvent[] = [];

  /** The header, once line 1 has been pushed (null before, or for a blank line 1). */
  get headerSoFar(): RecordingHeader | null {
    return this.header;
  }

  /** The event on this line (null for the header line); throws RecordingError if invalid. */
  push(text: string): SessionEvent | null {
    const line = ++this.line;
    if (line === 1) {
      // A blank first line is an empty file if nothing follows it, else a blank line.
      if (text.trim() === '') this.blankFirstLine = true;
      else this.acceptHeader(text);
      return null;
    }
    if (this.blankFirstLine) throw new RecordingError(1, 'blank line');
    const header = this.header!;
    if (this.count === header.events) {
      throw new RecordingError(
        line,
        `the header says ${header.events} events, and this line would be one more`,
      );
    }
    const event = parseEvent(text, line);
    const disorder = findDisorder(event, this.previous, header.initial.seq);
    if (disorder) throw new RecordingError(line, disorder);
    const misfit = this.shapes!.check(event);
    if (misfit) throw new RecordingError(line, `${event.type} event: ${misfit}`);
    this.count++;
    if (SUMMARY_EVENT_TYPES.has(event.type)) this.summaryEvents.push(event);
    this.previous = event;
    return event;
  }

  /** The header, once every line has been pushed. */
  finish(): RecordingHeader {
    const header = this.header;
    if (!header) throw new RecordingError(0, 'the file is empty');
    if (this.count < header.events) {
      throw new RecordingError(
        1,
        `the header says ${header.events} events but the file has ${this.count}`,
      );
    }
    checkSummary(header, this.summaryEvents);
    return header;
  }

  private acceptHeader(text: string): void {
    this.header = parseHeader(text);
    this.shapes = new ShapeChecker(this.header.initial);
  }
}

/** The file's lines without their terminators; a BOM, CRLF endings and one final newline are allowed. */
export function* recordingLines(text: string): Generator<string> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end);
    yield line.endsWith('\r') ? line.slice(0, -1) : line;
    start = end + 1;
  }
}

/** Throws RecordingError when `text` is larger than a recording may be. */
export function checkRecordingSize(text: string): void {
  checkSize(text, 'the file');
}

/** Each UTF-16 unit is one to three UTF-8 bytes: most texts are decided by length alone. */
function checkSize(text: string, what: string): void {
  const max = RECORDING_LIMITS.maxBytes;
  if (text.length * 3 <= max) return;
  refuseOversize(text.length > max ? text.length : new TextEncoder().encode(text).length, what);
}

/** Throws RecordingError when `bytes` (UTF-8) are more than a recording may be. */
export function refuseOversize(bytes: number, what: string): void {
  const max = RECORDING_LIMITS.maxBytes;
  if (bytes > max) {
    throw new RecordingError(
      0,
      `${what} is larger than ${mebibytes(max)} (at least ${mebibytes(bytes)})`,
    );
  }
}

function mebibytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

function parseJson(text: string, line: number): unknown {
  if (text.trim() === '') throw new RecordingError(line, 'blank line');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new RecordingError(line, `not valid JSON (${(err as Error).message})`);
  }
}

function parseHeader(text: string): RecordingHeader {
  const value = parseJson(text, 1);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RecordingError(1, 'the first line must be the recording header (a JSON object)');
  }
  const fields = value as Record<string, unknown>;
  if (!('format' in fields) && 'seq' in fields && 'type' in fields) {
    throw new RecordingError(1, 'the header is missing: the file starts with an event');
  }
  if (fields.format !== RECORDING_FORMAT) {
    throw new RecordingError(
      1,
      `this is not a Backprop Live recording (expected "format": "${RECORDING_FORMAT}")`,
    );
  }
  if (fields.version !== RECORDING_VERSION) {
    const newer = typeof fields.version === 'number' && fields.version > RECORDING_VERSION;
    throw new RecordingError(
      1,
      `recording version ${JSON.stringify(fields.version) ?? 'missing'} is not supported ` +
        `(this app reads version ${RECORDING_VERSION}${newer ? '; the file is from a newer app' : ''})`,
    );
  }
  const result = v.safeParse(recordingHeaderSchema, value);
  if (!result.success) throw new RecordingError(1, `header: ${describeIssue(result.issues[0])}`);
  const misfit = findStateShapeProblem(result.output.initial);
  if (misfit) throw new RecordingError(1, `header: initial state: ${misfit}`);
  return result.output;
}

function parseEvent(text: string, line: number): SessionEvent {
  const value = parseJson(text, line);
  const result = v.safeParse(sessionEventSchema, value);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const type = (value as { type?: unknown } | null)?.type;
  const known = issue.type !== 'variant' && typeof type === 'string';
  throw new RecordingError(line, `${known ? `${type} event` : 'event'}: ${describeIssue(issue)}`);
}

/** "progress.loss.3.train: expected a number …", with plainer words for the common cases. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const keys = issue.path?.map((item) => String(item.key)) ?? [];
  const at = (path: string[]) => (path.length > 0 ? `${path.join('.')}: ` : '');
  if (issue.type === 'strict_object' && keys.length > 0) {
    return `${at(keys.slice(0, -1))}unexpected key "${keys.at(-1)}"`;
  }
  if (issue.type === 'variant' && keys.length > 0) {
    return `${at(keys.slice(0, -1))}unknown ${keys.at(-1)} ${issue.received}`;
  }
  if (issue.type === 'variant' || issue.type === 'strict_object') {
    return `${at(keys)}expected an object, got ${issue.received}`;
  }
  return `${at(keys)}${issue.message}`;
}

/** seq must count up by one from the initial state's, and time must not go backwards. */
function findDisorder(
  event: SessionEvent,
  previous: { seq: number; t: number } | null,
  initialSeq: number,
): string | null {
  const expected = (previous?.seq ?? initialSeq) + 1;
  if (event.seq !== expected) {
    if (!previous) {
      return `the first event must have seq ${expected} (one after the initial state's), got ${event.seq}`;
    }
    const gap = expected === event.seq - 1 ? `${expected}` : `${expected}–${event.seq - 1}`;
    const why =
      event.seq > expected
        ? `missing ${gap}`
        : event.seq === previous.seq
          ? 'a duplicate'
          : 'out of order';
    return `event seq ${event.seq} follows ${previous.seq} (${why})`;
  }
  if (previous && event.t < previous.t) {
    return `event time ${event.t} is earlier than the previous event's ${previous.t}`;
  }
  return null;
}

/**
 * The header's summary must be what the events say, so a list never shows a false one
 * (`events`: all of them, or only those of SUMMARY_EVENT_TYPES, which alone decide it).
 */
function checkSummary(header: RecordingHeader, events: readonly SessionEvent[]): void {
  const actual = recordingSummary(header.initial, events);
  for (const key of Object.keys(actual) as (keyof typeof actual)[]) {
    if (!sameJson(header[key], actual[key])) {
      throw new RecordingError(
        1,
        `the header's "${key}" (${JSON.stringify(header[key])}) does not match the recording (${JSON.stringify(actual[key])})`,
      );
    }
  }
}

/** Deep equality of JSON values, ignoring key order. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  return keysA.every((key) => Object.hasOwn(recordB, key) && sameJson(recordA[key], recordB[key]));
}
