/** Which addresses the server advertises for joining, from the interfaces and HOST. */
import { describe, expect, test } from 'vitest';
import { configFromEnv } from '../../src/config';
import { joinAddresses, startupLines, type BindInfo } from '../../src/network/join-addresses';
import { LOOPBACK, ipv4, ipv6 } from './fake-interfaces';

const base: BindInfo = { host: '0.0.0.0', port: 3000, publicUrl: null, interfaces: LOOPBACK };

describe('joinAddresses', () => {
  test('loopback only: nothing another machine can reach', () => {
    expect(joinAddresses(base)).toEqual({
      publicUrl: null,
      local: 'http://localhost:3000',
      network: [],
    });
  });

  test('one LAN address', () => {
    const interfaces = { ...LOOPBACK, wlan0: [ipv4('192.168.1.23'), ipv6('fe80::1c2:3ff:fe4')] };
    expect(joinAddresses({ ...base, interfaces }).network).toEqual(['http://192.168.1.23:3000']);
  });

  test('several: IPv4 first, in the order of the interfaces, each once', () => {
    const interfaces = {
      ...LOOPBACK,
      eth0: [ipv6('2001:db8::23'), ipv4('10.0.0.5')],
      wlan0: [ipv4('192.168.1.23'), ipv4('10.0.0.5')],
    };
    expect(joinAddresses({ ...base, host: '::', interfaces }).network).toEqual([
      'http://10.0.0.5:3000',
      'http://192.168.1.23:3000',
      'http://[2001:db8::23]:3000',
    ]);
  });

  test('IPv6 only: reachable when HOST=:: listens on IPv6, not with the IPv4 wildcard', () => {
    const interfaces = { ...LOOPBACK, eth0: [ipv6('2001:db8::23'), ipv6('fe80::a:b:c:d')] };
    expect(joinAddresses({ ...base, host: '::', interfaces }).network).toEqual([
      'http://[2001:db8::23]:3000',
    ]);
    expect(joinAddresses({ ...base, interfaces }).network).toEqual([]);
  });

  test('link-local and internal addresses are ignored', () => {
    const interfaces = {
      ...LOOPBACK,
      eth0: [ipv4('169.254.10.20'), ipv6('FE80::1')],
      vnet: [ipv4('10.9.8.7', true)],
    };
    expect(joinAddresses({ ...base, host: '::', interfaces }).network).toEqual([]);
  });

  test('a loopback HOST advertises no network address; another HOST advertises itself', () => {
    const interfaces = { ...LOOPBACK, wlan0: [ipv4('192.168.1.23')] };
    expect(joinAddresses({ ...base, host: '127.0.0.1', interfaces })).toMatchObject({
      local: 'http://localhost:3000',
      network: [],
    });
    expect(joinAddresses({ ...base, host: '192.168.1.23', interfaces })).toMatchObject({
      local: null,
      network: ['http://192.168.1.23:3000'],
    });
  });

  test('PUBLIC_URL with a path is kept, without its trailing slash, next to the rest', () => {
    const { publicUrl } = configFromEnv({ PUBLIC_URL: 'https://Backprop.Example.edu/class/' });
    expect(publicUrl).toBe('https://backprop.example.edu/class');
    expect(joinAddresses({ ...base, publicUrl }).publicUrl).toBe(publicUrl);
  });
});

describe('PUBLIC_URL', () => {
  test.each([
    ['https://backprop.example.edu', 'https://backprop.example.edu'],
    ['http://10.0.0.5:8080/', 'http://10.0.0.5:8080'],
    ['https://example.edu:443/a/b', 'https://example.edu/a/b'],
    ['', null],
  ])('%j → %j', (raw, expected) => {
    expect(configFromEnv({ PUBLIC_URL: raw }).publicUrl).toBe(expected);
  });

  test.each([
    'backprop.example.edu',
    'ftp://example.edu',
    'https://u:p@example.edu',
    'https://example.edu/?a=1',
    'https://example.edu/#/join',
  ])('%j is refused with a one-line error naming the variable', (raw) => {
    expect(() => configFromEnv({ PUBLIC_URL: raw })).toThrow(/^PUBLIC_URL: "/);
  });
});

describe('startupLines', () => {
  test('one line per address, like Vite', () => {
    const interfaces = { ...LOOPBACK, wlan0: [ipv4('192.168.1.23')], eth0: [ipv4('10.0.0.5')] };
    expect(startupLines(joinAddresses({ ...base, interfaces }), '0.0.0.0')).toEqual([
      '  Local:   http://localhost:3000',
      '  Network: http://192.168.1.23:3000',
      '  Network: http://10.0.0.5:3000',
    ]);
  });

  test('says why nobody else can join when there is no network address', () => {
    expect(startupLines(joinAddresses(base), '0.0.0.0')).toEqual([
      '  Local:   http://localhost:3000',
      '  Network: none found: connect to the classroom network or set PUBLIC_URL',
    ]);
    const loopback = startupLines(joinAddresses({ ...base, host: '127.0.0.1' }), '127.0.0.1');
    expect(loopback.at(-1)).toMatch(/HOST=127\.0\.0\.1 is reachable from this machine only/);
  });

  test('PUBLIC_URL comes first', () => {
    const lines = startupLines(
      joinAddresses({ ...base, publicUrl: 'https://bp.example.edu' }),
      '0.0.0.0',
    );
    expect(lines).toEqual([
      '  Public:  https://bp.example.edu',
      '  Local:   http://localhost:3000',
    ]);
  });
});
