import { describe, expect, test } from 'vitest';
import { applyEvent, type SessionEvent, type SessionState } from '@backprop/shared/session';
import { sameApartFromPlay } from '../src/lib/view/calm.svelte';
import { stateAt } from './fixture';

/** A frame of play as the server sends them (shared/src/session/events.ts). */
function frame(seq: number, extra: Partial<Extract<SessionEvent, { type: 'frame' }>> = {}) {
  return {
    type: 'frame',
    seq,
    t: seq,
    step: seq * 50,
    epoch: seq,
    loss: 0.5 / seq,
    test: null,
    ...extra,
  } as SessionEvent;
}

const PARAMS = [0.1, 0.2, 0.3, 0.4, 0, 0, 0.5, 0.6, 0];

describe('a calm view of the session', () => {
  test('is the same through every kind of frame of play (the reducer is the oracle)', () => {
    let state: SessionState = stateAt(1, { playing: true });
    const frames = [
      frame(2, { params: PARAMS }), // a new network
      frame(3), // no weights: the network's step is said apart (networkStep)
      frame(4, { fit: [0.1, 0.2, 0.3, 0.4] }),
      frame(5, { penalty: 0.01, accuracy: { train: 0.5, test: null } }),
      frame(6, { params: PARAMS.map((w) => w / 2) }),
    ];
    for (const event of frames) {
      const next = applyEvent(state, event);
      expect(next).not.toBe(state);
      expect(sameApartFromPlay(state, next), `after frame ${event.seq}`).toBe(true);
      state = next;
    }
  });

  test('changes with anything else: pausing, the class focus, someone joining', () => {
    const playing = stateAt(1, { playing: true });
    const paused = applyEvent(playing, { type: 'play-changed', playing: false, seq: 2, t: 2 });
    expect(sameApartFromPlay(playing, paused)).toBe(false);
    const focused = applyEvent(playing, {
      type: 'class-view-set',
      classView: { ...playing.classView, focus: { kind: 'unit', layer: 1, unit: 0 } },
      seq: 2,
      t: 2,
    });
    expect(sameApartFromPlay(playing, focused)).toBe(false);
    const joined = applyEvent(playing, {
      type: 'participant-joined',
      participant: { id: 'p1', name: 'Ada', connected: true },
      seq: 2,
      t: 2,
    });
    expect(sameApartFromPlay(playing, joined)).toBe(false);
  });
});
