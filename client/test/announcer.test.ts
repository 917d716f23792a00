import { expect, test } from 'vitest';
import { announcer } from '../src/lib/view/announcer';

test('where the document has ariaNotify, a text is handed to it at normal priority', () => {
  const said: [string, unknown][] = [];
  const announce = announcer({
    ariaNotify: (text: string, options: unknown) => said.push([text, options]),
  });
  expect(announce).not.toBeNull();
  announce!('Step 120, epoch 3, loss 0.25, playing');
  expect(said).toEqual([['Step 120, epoch 3, loss 0.25, playing', { priority: 'normal' }]]);
});

test('without ariaNotify (an older browser, no document) there is no announcer: the live region speaks', () => {
  expect(announcer({})).toBeNull();
  expect(announcer({ ariaNotify: 'not a function' })).toBeNull();
  expect(announcer(undefined)).toBeNull();
  expect(announcer(null)).toBeNull();
});
