/** Network interface lists as os.networkInterfaces() returns them, for tests. */
import type { NetworkInterfaceInfo } from 'node:os';
import type { InterfaceList } from '../../src/network/join-addresses';

export function ipv4(address: string, internal = false): NetworkInterfaceInfo {
  return {
    address,
    netmask: '255.255.255.0',
    family: 'IPv4',
    mac: '00:00:00:00:00:00',
    internal,
    cidr: `${address}/24`,
  };
}

export function ipv6(address: string, internal = false): NetworkInterfaceInfo {
  return {
    address,
    netmask: 'ffff:ffff:ffff:ffff::',
    family: 'IPv6',
    mac: '00:00:00:00:00:00',
    internal,
    cidr: `${address}/64`,
    scopeid: 0,
  };
}

/** What every machine has: the loopback interface. */
export const LOOPBACK: InterfaceList = { lo: [ipv4('127.0.0.1', true), ipv6('::1', true)] };
