/**
 * Where students can reach this server: the addresses put into join links and QR codes
 * (see shared/src/protocol/http.ts JoinAddressesReply and the README). An instructor who
 * opens http://localhost:3000 must not hand out a localhost link that no phone can open,
 * so the server tells the console its own network addresses.
 */
import type { NetworkInterfaceInfo } from 'node:os';

/** What os.networkInterfaces() returns; injected so tests do not depend on the machine. */
export type InterfaceList = NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface JoinAddresses {
  /** PUBLIC_URL, normalized (no trailing slash): when set, every link uses it. */
  publicUrl: string | null;
  /** The address on this machine itself, when the server listens on a loopback interface. */
  local: string | null;
  /** Origins of the addresses other machines can use, IPv4 first. */
  network: string[];
}

export interface BindInfo {
  /** The address the server listens on (HOST). */
  host: string;
  /** The bound port. */
  port: number;
  publicUrl: string | null;
  interfaces: InterfaceList;
}

export function joinAddresses({ host, port, publicUrl, interfaces }: BindInfo): JoinAddresses {
  return {
    publicUrl,
    local: isWildcard(host) || isLoopback(host) ? originOf('localhost', port) : null,
    network: networkOrigins(host, port, interfaces),
  };
}

/**
 * The origins other machines reach the server at. Only what the bound HOST really accepts:
 * 0.0.0.0 listens on IPv4 alone, :: on IPv4 and IPv6, a loopback HOST on nothing another
 * machine can reach, and any other HOST on itself. Loopback, internal and link-local
 * addresses (169.254/16, fe80::/10) are left out: a link-local address needs a zone id no
 * phone has, and it is what an interface gets when no network gave it an address.
 */
function networkOrigins(host: string, port: number, interfaces: InterfaceList): string[] {
  if (isLoopback(host)) return [];
  if (!isWildcard(host)) return [originOf(host, port)];
  const withIpv6 = host !== '0.0.0.0';
  const usable = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter(
      (info) =>
        !info.internal &&
        !isLoopback(info.address) &&
        !isLinkLocal(info.address) &&
        (info.family === 'IPv4' || withIpv6),
    );
  const ordered = [
    ...usable.filter((info) => info.family === 'IPv4'),
    ...usable.filter((info) => info.family !== 'IPv4'),
  ];
  return [...new Set(ordered.map((info) => originOf(info.address, port)))];
}

/** Vite's way: one line per address, the public one first when there is one. */
export function startupLines(addresses: JoinAddresses, host: string): string[] {
  const lines: string[] = [];
  if (addresses.publicUrl) lines.push(`  Public:  ${addresses.publicUrl}`);
  if (addresses.local) lines.push(`  Local:   ${addresses.local}`);
  for (const origin of addresses.network) lines.push(`  Network: ${origin}`);
  if (!addresses.publicUrl && addresses.network.length === 0) {
    lines.push(
      isLoopback(host)
        ? `  Network: none: HOST=${host} is reachable from this machine only; set HOST=0.0.0.0 or PUBLIC_URL`
        : '  Network: none found: connect to the classroom network or set PUBLIC_URL',
    );
  }
  return lines;
}

function originOf(host: string, port: number): string {
  const name = host.includes(':') ? `[${host}]` : host;
  return new URL(`http://${name}:${port}`).origin;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function isLoopback(address: string): boolean {
  const lower = address.toLowerCase();
  return (
    lower === 'localhost' ||
    lower === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(lower) ||
    /^::ffff:127\./.test(lower)
  );
}

function isLinkLocal(address: string): boolean {
  return /^169\.254\./.test(address) || /^fe[89ab][0-9a-f]:/i.test(address);
}
