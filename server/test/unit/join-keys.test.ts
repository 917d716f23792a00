import { expect, test } from 'vitest';
import { JOIN_KEY_MS, JoinKeys } from '../../src/room/join-keys';

const ada = { participantId: 'p1', token: 'token-of-ada-0001' };
const bo = { participantId: 'p2', token: 'token-of-bo-00002' };

test('a key is answered with its join for JOIN_KEY_MS, then forgotten', () => {
  let now = 1_000;
  const keys = new JoinKeys(() => now);
  keys.remember('key-ada', ada);
  expect(keys.get('key-ada')).toEqual(ada);
  expect(keys.get('key-other')).toBeNull();
  now += JOIN_KEY_MS - 1;
  expect(keys.get('key-ada')).toEqual(ada);
  now += 1;
  expect(keys.get('key-ada')).toBeNull();
});

test('past the cap the oldest key goes first', () => {
  let now = 0;
  const keys = new JoinKeys(() => now, 60_000, 2);
  keys.remember('k1', ada);
  now += 1;
  keys.remember('k2', bo);
  now += 1;
  keys.remember('k3', ada);
  expect([keys.get('k1'), keys.get('k2'), keys.get('k3')]).toEqual([null, bo, ada]);
});
