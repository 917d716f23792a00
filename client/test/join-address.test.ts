import { describe, expect, test, vi } from 'vitest';
import { chooseJoinAddress, isLoopbackOrigin } from '../src/lib/join-address';
import { JoinAddressState } from '../src/lib/join-address-state.svelte';

const LAN = 'http://192.168.1.23:3000';
const OTHER = 'http://10.0.0.5:3000';
const V6 = 'http://[2001:db8::23]:3000';

describe('chooseJoinAddress', () => {
  test('on localhost with one network address: links use it', () => {
    expect(
      chooseJoinAddress('http://localhost:3000', { publicUrl: null, network: [LAN] }, null),
    ).toEqual({ base: LAN, choices: [], unreachable: false });
  });

  test('on 127.0.0.1 with several: the first, or the one picked before, and a choice', () => {
    const advertised = { publicUrl: null, network: [LAN, OTHER, V6] };
    expect(chooseJoinAddress('http://127.0.0.1:3000', advertised, null)).toEqual({
      base: LAN,
      choices: [LAN, OTHER, V6],
      unreachable: false,
    });
    expect(chooseJoinAddress('http://127.0.0.1:3000', advertised, OTHER).base).toBe(OTHER);
    // A pick from another network the machine has left is forgotten.
    expect(chooseJoinAddress('http://127.0.0.1:3000', advertised, 'http://1.2.3.4:3000').base).toBe(
      LAN,
    );
  });

  test('on localhost with loopback only: the page origin, flagged as unreachable', () => {
    expect(chooseJoinAddress('http://[::1]:3000', { publicUrl: null, network: [] }, null)).toEqual({
      base: 'http://[::1]:3000',
      choices: [],
      unreachable: true,
    });
  });

  test('IPv6 only: the IPv6 address', () => {
    expect(
      chooseJoinAddress('http://localhost:3000', { publicUrl: null, network: [V6] }, null).base,
    ).toBe(V6);
  });

  test('on a network address: the page origin is fine as it is', () => {
    expect(chooseJoinAddress(OTHER, { publicUrl: null, network: [LAN, OTHER] }, LAN)).toEqual({
      base: OTHER,
      choices: [],
      unreachable: false,
    });
  });

  test('PUBLIC_URL (with a path) always wins', () => {
    const advertised = { publicUrl: 'https://bp.example.edu/class', network: [LAN] };
    for (const page of ['http://localhost:3000', LAN, 'https://bp.example.edu']) {
      expect(chooseJoinAddress(page, advertised, LAN)).toEqual({
        base: 'https://bp.example.edu/class',
        choices: [],
        unreachable: false,
      });
    }
  });

  test('until the server answers, the page origin', () => {
    expect(chooseJoinAddress('http://localhost:3000', null, LAN)).toEqual({
      base: 'http://localhost:3000',
      choices: [],
      unreachable: false,
    });
  });
});

test.each([
  ['http://localhost:3000', true],
  ['http://app.localhost:3000', true],
  ['http://127.0.0.1:3000', true],
  ['http://127.1.2.3', true],
  ['http://[::1]:3000', true],
  ['http://192.168.1.23:3000', false],
  ['http://localhost.example.edu', false],
  ['https://bp.example.edu', false],
  ['nonsense', false],
])('isLoopbackOrigin(%j) → %j', (origin, expected) => {
  expect(isLoopbackOrigin(origin)).toBe(expected);
});

describe('JoinAddressState', () => {
  const reply = (status: number, body: unknown): typeof fetch => {
    const fetcher = vi.fn(async () => new Response(JSON.stringify(body), { status }));
    return fetcher as unknown as typeof fetch;
  };

  test('asks with the host token and uses what the server advertises', async () => {
    const fetcher = reply(200, { publicUrl: null, network: [LAN, OTHER] });
    const state = new JoinAddressState('http://localhost:3000', fetcher);
    await state.load('K7M4QX', 'host-token-0123456789');
    expect(fetcher).toHaveBeenCalledWith('/api/sessions/K7M4QX/join-addresses', {
      headers: { Authorization: 'Bearer host-token-0123456789' },
    });
    expect(state.current).toEqual({ base: LAN, choices: [LAN, OTHER], unreachable: false });
    state.pick(OTHER);
    expect(state.current.base).toBe(OTHER);
  });

  test.each([
    [200, { publicUrl: 'javascript:alert(1)', network: [] }],
    [200, { publicUrl: null, network: [LAN], extra: true }],
    [200, 'not an object'],
    [403, { error: { code: 'forbidden', message: 'no' } }],
  ])('a reply that is not one (%j, %j) changes nothing', async (status, body) => {
    const state = new JoinAddressState('http://localhost:3000', reply(status, body));
    await state.load('K7M4QX', 'host-token-0123456789');
    expect(state.advertised).toBeNull();
    expect(state.current.base).toBe('http://localhost:3000');
    expect(state.checking).toBe(false);
  });

  test('an unreachable server changes nothing', async () => {
    const offline = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const state = new JoinAddressState('http://localhost:3000', offline);
    await state.load('K7M4QX', 'host-token-0123456789');
    expect(state.current.base).toBe('http://localhost:3000');
  });
});
