import { describe, expect, test } from 'vitest';
import {
  ANONYMIZED_EVENT_TYPES,
  anonymize,
  createRecordingHeader,
  decodeRecording,
  encodeRecording,
  RecordingIndex,
} from '../../src/recording';
import { applyEvents } from '../../src/session';
import { classSession } from './helpers/sessions';

/** The lesson cut after its first two joins: the initial state already has participants. */
function lessonStartingMidway() {
  const lesson = classSession();
  const cut = 2;
  const initial = applyEvents(lesson.initial, lesson.events.slice(0, cut));
  const events = lesson.events.slice(cut);
  const header = createRecordingHeader({ initial, events, app: '0.1.0', exportedAt: 0 });
  return { header, events };
}

describe('anonymize', () => {
  const original = lessonStartingMidway();
  const anonymous = anonymize(original.header, original.events);
  const index = new RecordingIndex(anonymous.header.initial, anonymous.events);

  test('numbers students in order of appearance: initial state first, then joins', () => {
    expect(anonymous.header.initial.participants.map((p) => p.name)).toEqual([
      'Student 1',
      'Student 2',
    ]);
    const joined = anonymous.events.flatMap((e) =>
      e.type === 'participant-joined' ? [e.participant.name] : [],
    );
    expect(joined).toEqual(['Student 3']);
    expect(anonymous.header.anonymized).toBe(true);
  });

  test('a student keeps one name (by id) in every state of the replay', () => {
    const names = new Map<string, string>();
    for (let seq = index.firstSeq; seq <= index.lastSeq; seq++) {
      for (const p of index.stateAt(seq).participants) {
        expect(names.get(p.id) ?? p.name).toBe(p.name);
        names.set(p.id, p.name);
      }
    }
    expect([...names.values()].sort()).toEqual(['Student 1', 'Student 2', 'Student 3']);
  });

  test('no original name is left anywhere in the file, and the file is valid', () => {
    const text = encodeRecording(anonymous.header, anonymous.events);
    for (const name of ['Ada', 'Bob', 'Chloé']) expect(text).not.toContain(name);
    expect(decodeRecording(text).header.anonymized).toBe(true);
  });

  test('markers show the new names', () => {
    const joins = index.markers().filter((m) => m.kind === 'join');
    expect(joins.map((m) => m.label)).toEqual(['Student 3 joined']);
  });

  test('removes the free-text notes of proposals and vote options, keeping their rates', () => {
    const text = encodeRecording(anonymous.header, anonymous.events);
    expect(encodeRecording(original.header, original.events)).toContain('smaller steps?');
    expect(text).not.toContain('smaller steps?');
    const notes = anonymous.events.flatMap((e) =>
      e.type === 'proposal-added'
        ? [e.proposal.note]
        : e.type === 'vote-opened'
          ? e.options.map((o) => o.note)
          : [],
    );
    expect(notes.length).toBeGreaterThan(0);
    expect(new Set(notes)).toEqual(new Set(['']));
    const state = index.stateAt(index.lastSeq).participation;
    expect(state.proposals.items.map((p) => p.note).every((note) => note === '')).toBe(true);
  });

  test('changes nothing but names, notes and the flag (the inputs are not mutated)', () => {
    const before = JSON.stringify(original);
    anonymize(original.header, original.events);
    expect(JSON.stringify(original)).toBe(before);
    expect(anonymous.events).toHaveLength(original.events.length);
    anonymous.events.forEach((event, k) => {
      if (!ANONYMIZED_EVENT_TYPES.has(event.type)) expect(event).toBe(original.events[k]);
    });
    const { participation, ...rest } = anonymous.header.initial;
    const { participation: originalParticipation, ...originalRest } = original.header.initial;
    expect({ ...rest, participants: [] }).toEqual({ ...originalRest, participants: [] });
    expect(participation.proposals.items.map((p) => p.rate)).toEqual(
      originalParticipation.proposals.items.map((p) => p.rate),
    );
  });
});
