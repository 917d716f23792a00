import { describe, expect, it } from 'vitest';
import { divergedState, housesState, workedExampleState } from '../src/components/fixtures';
import { currentAndNext, stageItems } from '../src/lib/view/stage-progress';

const statuses = (n: number) => stageItems(workedExampleState(n)).map((item) => item.status);

describe('stageItems', () => {
  it('walks a staged step: done, current (ran last), next, pending', () => {
    expect(statuses(0)).toEqual(['next', 'pending', 'pending', 'pending', 'pending', 'pending']);
    expect(statuses(4)).toEqual(['done', 'done', 'done', 'current', 'next', 'pending']);
    expect(statuses(6)).toEqual(['done', 'done', 'done', 'done', 'done', 'current']);
  });

  it('labels the stages with the kernel labels', () => {
    const items = stageItems(workedExampleState(4));
    expect(items[3]!.label).toBe('Backward through w²: output → hidden');
    expect(currentAndNext(workedExampleState(4))).toEqual({
      current: { kind: 'backward', layer: 1 },
      next: { kind: 'backward', layer: 0 },
    });
  });

  it('highlights the stages stageItems marks current and next, whatever the state', () => {
    const states = [0, 1, 2, 3, 4, 5, 6].map((n) => workedExampleState(n));
    for (const state of [...states, housesState(), divergedState()]) {
      const items = stageItems(state);
      expect(currentAndNext(state)).toEqual({
        current: items.find((item) => item.status === 'current')?.stage ?? null,
        next: items.find((item) => item.status === 'next')?.stage ?? null,
      });
    }
  });

  it('gives the same highlight object for every state with nothing to highlight', () => {
    // In play (no trace) the diagram's derived of it then stays unchanged.
    const playing = { ...housesState(), trace: null };
    expect(currentAndNext(playing)).toEqual({ current: null, next: null });
    expect(currentAndNext({ ...playing, step: playing.step + 1 })).toBe(currentAndNext(playing));
  });

  it('gives one list per setup for states without a step open, and a new one for a new setup', () => {
    // In play (no trace) the stage track's derived of it then stays unchanged.
    const playing = { ...housesState(), trace: null };
    const items = stageItems(playing);
    expect(items.map((item) => item.status).every((status) => status === 'pending')).toBe(true);
    expect(items.map((item) => item.label)).toEqual(
      stageItems(housesState()).map((item) => item.label),
    );
    expect(stageItems({ ...playing, step: playing.step + 1, loss: [] })).toBe(items);
    const setup = { ...playing.setup };
    expect(stageItems({ ...playing, setup })).not.toBe(items);
    expect(stageItems({ ...playing, setup })).toEqual(items);
    expect(Object.isFrozen(items)).toBe(true);
  });

  it('shows a whole step as done and a refused one as refused', () => {
    expect(stageItems(housesState()).every((item) => item.status === 'done')).toBe(true);
    // divergedState's refused step is the houses step whose trace is still shown.
    const refused = stageItems(divergedState()).map((item) => item.status);
    expect(refused.at(-1)).toBe('refused');
  });
});
