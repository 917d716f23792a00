import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  createRecordingHeader,
  decodeRecording,
  encodeRecording,
  RECORDING_LIMITS,
  RecordingError,
  type RecordingHeader,
} from '../../src/recording';
import { applyEvents, type SessionEvent, type SessionEventType } from '../../src/session';
import { classSession, randomSession, type Session } from './helpers/sessions';

const APP = '0.1.0';
const EXPORTED_AT = Date.UTC(2025, 0, 16);

function headerOf(session: Session): RecordingHeader {
  return createRecordingHeader({ ...session, app: APP, exportedAt: EXPORTED_AT });
}

const lesson = classSession();
const lessonText = encodeRecording(headerOf(lesson), lesson.events);
/** The lesson's lines without the final newline: line n of the file is lines[n - 1]. */
const lessonLines = lessonText.trimEnd().split('\n');

/**
 * What every reader of the events sees: they travel as JSON (to live clients, to the
 * store, in the file), which writes −0 as 0. The kernel does produce −0 (a zero times a
 * negative), so "lossless" is measured against this, the form the class sees.
 */
function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Decodes `text`, expecting a RecordingError; returns it for closer checks. */
function refuse(text: string): RecordingError {
  try {
    decodeRecording(text);
  } catch (err) {
    expect(err).toBeInstanceOf(RecordingError);
    return err as RecordingError;
  }
  throw new Error(`expected a RecordingError for ${JSON.stringify(text.slice(0, 60))}`);
}

/** The lesson's file with line `n` (1-based) passed through `change` as parsed JSON. */
function withLine(n: number, change: (value: Record<string, unknown>) => unknown): string {
  const lines = [...lessonLines];
  lines[n - 1] = JSON.stringify(change(JSON.parse(lines[n - 1]!)));
  return `${lines.join('\n')}\n`;
}

/** The 1-based line of the first event of `type`. */
function lineOf(type: SessionEventType): number {
  const index = lesson.events.findIndex((event) => event.type === type);
  if (index < 0) throw new Error(`the lesson has no ${type} event`);
  return index + 2;
}

/** The header line with `count` events, so removing or adding event lines stays "valid". */
function withEvents(lines: string[], count: number): string {
  const header = JSON.parse(lines[0]!) as RecordingHeader;
  return `${[JSON.stringify({ ...header, events: count }), ...lines.slice(1)].join('\n')}\n`;
}

describe('round trip', () => {
  test('the lesson holds every kind of event (so the round trip covers every schema)', () => {
    // A Record, so a new event type fails tsc here until the lesson is taught to make it.
    const all: Record<SessionEventType, true> = {
      'participant-joined': true,
      'participant-connection': true,
      'participant-kicked': true,
      'host-connection': true,
      locked: true,
      ended: true,
      'title-set': true,
      'setup-changed': true,
      'hyper-changed': true,
      reset: true,
      'weight-edited': true,
      'staged-step-opened': true,
      'stage-ran': true,
      stepped: true,
      progressed: true,
      frame: true,
      marker: true,
      'play-changed': true,
      diverged: true,
      'participation-set': true,
      'proposals-set': true,
      'proposal-added': true,
      'proposal-supported': true,
      'proposal-withdrawn': true,
      'proposal-applied': true,
      'vote-opened': true,
      'vote-cast': true,
      'vote-closed': true,
      'class-steps-set': true,
      'class-ready': true,
      'class-stepped': true,
      'quiz-opened': true,
      'quiz-answered': true,
      'quiz-locked': true,
      'quiz-revealed': true,
      'quiz-cancelled': true,
      'leaderboard-set': true,
      'race-started': true,
      'race-progress': true,
      'race-ended': true,
      'network-set': true,
      'class-view-set': true,
    };
    expect(new Set(lesson.events.map((e) => e.type))).toEqual(new Set(Object.keys(all)));
  });

  test('encode then decode gives back exactly the header and the events', () => {
    const decoded = decodeRecording(lessonText);
    expect(decoded.header).toStrictEqual(wire(headerOf(lesson)));
    expect(decoded.events).toStrictEqual(wire(lesson.events));
  });

  test('the header summarizes the session as it ended, without the join code', () => {
    const header = headerOf(lesson);
    expect(header).toMatchObject({
      format: 'backprop-live-recording',
      version: 1,
      app: APP,
      title: 'Backprop, week 3',
      createdAt: lesson.initial.createdAt,
      network: { layers: [3, 4, 1], activations: ['tanh', 'linear'], trainBiases: true },
      dataset: { id: 'houses', title: 'House prices' },
      seed: 1,
      events: lesson.events.length,
      anonymized: false,
    });
    expect(header.initial.code).toBe('');
    expect(lessonLines).toHaveLength(lesson.events.length + 1);
    expect(lessonText.endsWith('}\n')).toBe(true);
  });

  test('random sessions round-trip losslessly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 60 }),
        (seed, length) => {
          const session = randomSession(seed, length);
          const decoded = decodeRecording(encodeRecording(headerOf(session), session.events));
          expect(decoded.events).toStrictEqual(wire(session.events));
          expect(decoded.header.initial).toStrictEqual(wire({ ...session.initial, code: '' }));
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  test('accepts a byte order mark, CRLF line ends and a missing final newline', () => {
    const text = `\uFEFF${lessonLines.join('\r\n')}`;
    expect(decodeRecording(text).events).toStrictEqual(wire(lesson.events));
  });

  test('a file from before host:class-view (no classView in its state) loads with nothing shown', () => {
    const session = randomSession(3, 40);
    const { classView: _, ...olderInitial } = wire(session.initial);
    const header = { ...headerOf(session), initial: olderInitial } as RecordingHeader;
    const text = encodeRecording(header, session.events);
    const decoded = decodeRecording(text);
    expect(decoded.header.initial.classView).toStrictEqual({ focus: null, cards: true });
    expect(decoded.events).toStrictEqual(wire(session.events));
    const replayed = applyEvents(decoded.header.initial, decoded.events);
    expect(replayed.classView).toStrictEqual({ focus: null, cards: true });
  });

  test('a recording with no events is valid', () => {
    const session = { ...lesson, events: [] };
    const decoded = decodeRecording(encodeRecording(headerOf(session), []));
    expect(decoded.events).toEqual([]);
  });
});

describe('encode refuses to write a file that import would refuse', () => {
  test('a NaN anywhere', () => {
    const events = structuredClone(lesson.events);
    const progressed = events.find((e) => e.type === 'progressed')!;
    progressed.progress.loss[0]!.train = NaN;
    expect(() => encodeRecording(headerOf(lesson), events)).toThrow(/NaN at "train"/);
  });

  test('an event count that does not match', () => {
    expect(() => encodeRecording(headerOf(lesson), lesson.events.slice(1))).toThrow(
      /header says \d+ events but \d+ were given/,
    );
  });
});

describe('decode refuses bad files, naming the line', () => {
  test('an empty file', () => {
    for (const text of ['', '\n', '\uFEFF']) {
      const err = refuse(text);
      expect(err.line).toBe(0);
      expect(err.message).toBe('the file is empty');
    }
  });

  test('a file over the size limit, before reading any of it', () => {
    const err = refuse('x'.repeat(RECORDING_LIMITS.maxBytes + 1));
    expect(err.line).toBe(0);
    expect(err.message).toMatch(/larger than 64 MiB/);
  });

  test('a file whose UTF-8 size is over the limit though its length is not', () => {
    // 'é' is one UTF-16 unit but two UTF-8 bytes.
    const err = refuse('é'.repeat(RECORDING_LIMITS.maxBytes / 2 + 1));
    expect(err.reason).toMatch(/larger than 64 MiB/);
  });

  test('a first line that is not JSON', () => {
    const err = refuse('hello\n');
    expect(err.line).toBe(1);
    expect(err.message).toMatch(/^line 1: not valid JSON/);
  });

  test('an event line that is not JSON', () => {
    const lines = [...lessonLines];
    lines[4] = '{"type": "locked",';
    const err = refuse(lines.join('\n'));
    expect(err.line).toBe(5);
    expect(err.reason).toMatch(/^not valid JSON/);
  });

  test('a blank line between events', () => {
    const lines = [...lessonLines];
    lines.splice(3, 0, '');
    expect(refuse(lines.join('\n'))).toMatchObject({ line: 4, reason: 'blank line' });
  });

  test('a file of another format', () => {
    const err = refuse(withLine(1, (header) => ({ ...header, format: 'some-other-app' })));
    expect(err.message).toBe(
      'line 1: this is not a Backprop Live recording (expected "format": "backprop-live-recording")',
    );
    expect(refuse('[1, 2, 3]\n').reason).toMatch(/must be the recording header/);
  });

  test('an unsupported version', () => {
    expect(refuse(withLine(1, (header) => ({ ...header, version: 2 }))).message).toBe(
      'line 1: recording version 2 is not supported (this app reads version 1; the file is from a newer app)',
    );
    expect(refuse(withLine(1, (header) => ({ ...header, version: '1' }))).reason).toMatch(
      /version "1" is not supported/,
    );
    const { version: _, ...noVersion } = JSON.parse(lessonLines[0]!) as RecordingHeader;
    expect(refuse(JSON.stringify(noVersion)).reason).toMatch(/version missing is not supported/);
  });

  test('a missing header (the file starts with an event)', () => {
    const err = refuse(lessonLines.slice(1).join('\n'));
    expect(err.message).toBe('line 1: the header is missing: the file starts with an event');
  });

  test('a bad header field', () => {
    const err = refuse(withLine(1, (header) => ({ ...header, seed: -1 })));
    expect(err.message).toBe('line 1: header: seed: expected at least 0');
  });

  test('a bad initial state', () => {
    const err = refuse(
      withLine(1, (header) => {
        const initial = header.initial as Record<string, unknown>;
        return {
          ...header,
          initial: { ...initial, hyper: { learningRate: 1, batchSize: 0, speed: 10 } },
        };
      }),
    );
    expect(err.message).toBe('line 1: header: initial.hyper.batchSize: expected at least 1');
  });

  test('an event of the wrong shape', () => {
    const line = lineOf('stepped');
    const err = refuse(
      withLine(line, (event) => ({
        ...event,
        progress: { ...(event.progress as object), step: 'two' },
      })),
    );
    expect(err.line).toBe(line);
    expect(err.reason).toBe('stepped event: progress.step: expected a whole number');
  });

  test('an unknown event type', () => {
    const err = refuse(withLine(3, (event) => ({ ...event, type: 'confetti' })));
    expect(err.message).toBe('line 3: event: unknown type "confetti"');
  });

  test('an extra key in an event', () => {
    const line = lineOf('participant-joined');
    const err = refuse(
      withLine(line, (event) => ({
        ...event,
        participant: { ...(event.participant as object), isAdmin: true },
      })),
    );
    expect(err.message).toBe(
      `line ${line}: participant-joined event: participant: unexpected key "isAdmin"`,
    );
  });

  test('an extra key at the top level, __proto__ included', () => {
    const line = lineOf('locked');
    expect(refuse(withLine(line, (event) => ({ ...event, extra: 1 }))).reason).toBe(
      'locked event: unexpected key "extra"',
    );
    const lines = [...lessonLines];
    lines[line - 1] = lines[line - 1]!.replace(/}$/, ',"__proto__":{"polluted":true}}');
    expect(refuse(lines.join('\n')).reason).toBe('locked event: unexpected key "__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('an extra key in the header', () => {
    expect(refuse(withLine(1, (header) => ({ ...header, code: 'ABCDEF' }))).reason).toBe(
      'header: unexpected key "code"',
    );
  });

  test('a non-finite number that JSON turned into null', () => {
    const events = structuredClone(lesson.events);
    const line = lineOf('progressed');
    const progressed = events[line - 2]!;
    if (progressed.type !== 'progressed') throw new Error('not the progressed event');
    progressed.progress.network.weights[0]![0]![0] = Infinity;
    // What a careless writer (plain JSON.stringify) would have produced.
    const lines = [...lessonLines];
    lines[line - 1] = JSON.stringify(progressed);
    expect(lines[line - 1]).toContain('[[null');
    const err = refuse(lines.join('\n'));
    expect(err.line).toBe(line);
    expect(err.reason).toBe(
      'progressed event: progress.network.weights.0.0.0: expected a number (NaN and Infinity cannot be saved: JSON writes them as null)',
    );
  });

  test('a string or list beyond its limit', () => {
    const line = lineOf('participant-joined');
    const long = 'x'.repeat(RECORDING_LIMITS.maxName + 1);
    expect(
      refuse(
        withLine(line, (event) => ({
          ...event,
          participant: { id: 'p1', name: long, connected: true },
        })),
      ).reason,
    ).toBe('participant-joined event: participant.name: expected 1 to 24 characters');
    // Counted in code points, as the server counts: 24 emoji are 48 UTF-16 units but fine.
    const emoji = '🚀'.repeat(RECORDING_LIMITS.maxName);
    const renamed = withLine(line, (event) => ({
      ...event,
      participant: { id: 'p1', name: emoji, connected: true },
    }));
    expect(() => decodeRecording(renamed)).not.toThrow();
  });

  test('a gap in the sequence', () => {
    // Event seq n is on line n + 1 (after the header).
    const lines = [...lessonLines];
    lines.splice(15, 1); // seq 15 removed: line 16 now holds seq 16
    const err = refuse(withEvents(lines, lesson.events.length - 1));
    expect(err.message).toBe('line 16: event seq 16 follows 14 (missing 15)');
    lines.splice(15, 2); // seq 16 and 17 removed too
    expect(refuse(withEvents(lines, lesson.events.length - 3)).message).toBe(
      'line 16: event seq 18 follows 14 (missing 15–17)',
    );
  });

  test('a duplicated event', () => {
    const lines = [...lessonLines];
    lines.splice(6, 0, lines[5]!);
    const err = refuse(withEvents(lines, lesson.events.length + 1));
    expect(err.message).toBe('line 7: event seq 5 follows 5 (a duplicate)');
  });

  test('events out of order', () => {
    const lines = [...lessonLines];
    [lines[5], lines[6]] = [lines[6]!, lines[5]!];
    expect(refuse(lines.join('\n')).message).toBe('line 6: event seq 6 follows 4 (missing 5)');
    const first = [...lessonLines];
    [first[1], first[2]] = [first[2]!, first[1]!];
    expect(refuse(first.join('\n')).message).toBe(
      "line 2: the first event must have seq 1 (one after the initial state's), got 2",
    );
    const back = withLine(8, (event) => ({ ...event, seq: 3 }));
    expect(refuse(back).message).toBe('line 8: event seq 3 follows 6 (out of order)');
  });

  test('time going backwards (equal times are fine)', () => {
    const previous = lesson.events[8]!.t;
    const err = refuse(withLine(11, (event) => ({ ...event, t: previous - 1 })));
    expect(err.message).toBe(
      `line 11: event time ${previous - 1} is earlier than the previous event's ${previous}`,
    );
    expect(() =>
      decodeRecording(withLine(11, (event) => ({ ...event, t: previous }))),
    ).not.toThrow();
  });

  test('an event count that does not match the header', () => {
    const count = lesson.events.length;
    expect(refuse(withEvents(lessonLines, count + 1)).message).toBe(
      `line 1: the header says ${count + 1} events but the file has ${count}`,
    );
    expect(refuse(withEvents(lessonLines, count - 1)).message).toBe(
      `line ${count + 1}: the header says ${count - 1} events, and this line would be one more`,
    );
  });

  test('a header summary that does not match the events', () => {
    const err = refuse(withLine(1, (header) => ({ ...header, title: 'Something else' })));
    expect(err.message).toBe(
      'line 1: the header\'s "title" ("Something else") does not match the recording ("Backprop, week 3")',
    );
    const swapped = withLine(1, (header) => ({
      ...header,
      dataset: { title: 'House prices', id: 'houses' },
    }));
    expect(() => decodeRecording(swapped)).not.toThrow();
  });

  test('a network that does not fit the setup', () => {
    const line = lineOf('progressed');
    const err = refuse(
      withLine(line, (event) => {
        const progress = event.progress as { network: { weights: number[][][] } };
        progress.network.weights[0]!.pop();
        return event;
      }),
    );
    expect(err.line).toBe(line);
    expect(err.reason).toMatch(
      /^progressed event: network does not fit the 2-3-1 setup: weights\[0\]/,
    );
  });

  test('a weight edit outside the network', () => {
    const line = lineOf('weight-edited');
    const err = refuse(withLine(line, (event) => ({ ...event, to: 5 })));
    expect(err.reason).toBe(
      'weight-edited event: there is no weight from unit 0 to unit 5 in matrix 0 of a 2-3-1 network',
    );
  });

  test('a setup whose layers contradict its columns', () => {
    const line = lineOf('setup-changed');
    const err = refuse(
      withLine(line, (event) => {
        const setup = event.setup as { layers: number[] };
        setup.layers = [2, 4, 1];
        return event;
      }),
    );
    expect(err.reason).toBe(
      'setup-changed event: setup: the input and output layers must have one unit per input and target column',
    );
  });
});

describe('the error', () => {
  test('names the line and the reason separately', () => {
    const err = new RecordingError(17, 'event seq 15 follows 13 (missing 14)');
    expect(err.message).toBe('line 17: event seq 15 follows 13 (missing 14)');
    expect(err.name).toBe('RecordingError');
    expect(new RecordingError(0, 'the file is empty').message).toBe('the file is empty');
  });
});

// Keeps the helper's events in the SessionEvent type (a compile-time check of the helper).
const _typed: SessionEvent[] = lesson.events;
