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
    expect(currentAndNext(items)).toEqual({
      current: { kind: 'backward', layer: 1 },
      next: { kind: 'backward', layer: 0 },
    });
  });

  it('shows a whole step as done and a refused one as refused', () => {
    expect(stageItems(housesState()).every((item) => item.status === 'done')).toBe(true);
    // divergedState's refused step is the houses step whose trace is still shown.
    const refused = stageItems(divergedState()).map((item) => item.status);
    expect(refused.at(-1)).toBe('refused');
  });
});
