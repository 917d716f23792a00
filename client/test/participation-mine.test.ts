import { describe, expect, it } from 'vitest';
import { MyParticipation } from '../src/lib/participation/mine.svelte';

class MemoryStorage {
  data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
}

const storage = () => new MemoryStorage() as unknown as Storage;

describe('MyParticipation', () => {
  it('remembers proposals, ballots and answers across a reload', () => {
    const store = storage();
    const mine = new MyParticipation('ABCDEF', 's1', store);
    mine.addProposal('p3');
    mine.setBallot('v9', 'p3');
    mine.setAnswer('q2', { kind: 'direction', value: 'up' });
    const reloaded = new MyParticipation('ABCDEF', 's1', store);
    expect([...reloaded.proposals]).toEqual(['p3']);
    expect(reloaded.ballots.get('v9')).toBe('p3');
    expect(reloaded.answers.get('q2')).toEqual({ kind: 'direction', value: 'up' });
  });

  it('keeps each student and session apart', () => {
    const store = storage();
    new MyParticipation('ABCDEF', 's1', store).addProposal('p1');
    expect(new MyParticipation('ABCDEF', 's2', store).proposals.size).toBe(0);
    expect(new MyParticipation('GHJKLM', 's1', store).proposals.size).toBe(0);
  });

  it('forgets withdrawn proposals and keeps only recent rounds', () => {
    const mine = new MyParticipation('ABCDEF', 's1', storage());
    mine.addProposal('p1');
    mine.addProposal('p2');
    mine.removeProposal('p1');
    mine.keepProposals(new Set(['p5']));
    expect(mine.proposals.size).toBe(0);
    for (let k = 0; k < 30; k++) mine.setBallot(`v${k}`, 'p1');
    expect(mine.ballots.size).toBe(20);
    expect(mine.ballots.has('v29')).toBe(true);
    expect(mine.ballots.has('v0')).toBe(false);
  });

  it('survives broken or missing storage', () => {
    const store = storage();
    store.setItem('backprop-mine:ABCDEF:s1', '{not json');
    expect(new MyParticipation('ABCDEF', 's1', store).proposals.size).toBe(0);
    const none = new MyParticipation('ABCDEF', 's1', null);
    none.addProposal('p1');
    expect(none.proposals.has('p1')).toBe(true);
  });
});

describe('MyParticipation storage checks', () => {
  it('drops malformed entries it finds in storage', () => {
    const store = storage();
    store.setItem(
      'backprop-mine:ABCDEF:s1',
      JSON.stringify({
        proposals: ['p1', 7],
        ballots: [['v1', 'p1'], ['v2', 3], 'junk'],
        answers: [
          ['q1', { kind: 'direction', value: 'sideways' }],
          ['q2', { kind: 'loss', value: 0.5 }],
        ],
      }),
    );
    const mine = new MyParticipation('ABCDEF', 's1', store);
    expect([...mine.proposals]).toEqual(['p1']);
    expect([...mine.ballots]).toEqual([['v1', 'p1']]);
    expect([...mine.answers.keys()]).toEqual(['q2']);
  });
});
