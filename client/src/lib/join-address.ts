/**
 * Which address the join link, the QR code and the host hand-over link start with. A
 * console open on localhost would hand out http://localhost:3000/#/join/…, which no phone
 * can open: it uses one of the addresses the server found on this machine instead
 * (GET /api/sessions/:code/join-addresses). PUBLIC_URL, when the server has one, always wins.
 */
import type { JoinAddressesReply } from '@backprop/shared/protocol';

export interface JoinAddress {
  /** What links start with: an origin, or PUBLIC_URL (which may have a path). */
  base: string;
  /** Addresses to choose from (the console is on localhost and the machine has several). */
  choices: string[];
  /** The console is on localhost and the machine has no address a phone can reach. */
  unreachable: boolean;
}

/**
 * `advertised` is null until the server has answered (or when it could not): the page's
 * own origin serves meanwhile. `preferred` is the host's earlier pick, used while the
 * machine still has that address.
 */
export function chooseJoinAddress(
  pageOrigin: string,
  advertised: JoinAddressesReply | null,
  preferred: string | null,
): JoinAddress {
  const own: JoinAddress = { base: pageOrigin, choices: [], unreachable: false };
  if (advertised?.publicUrl) return { ...own, base: advertised.publicUrl };
  if (!advertised || !isLoopbackOrigin(pageOrigin)) return own;
  const { network } = advertised;
  const first = network[0];
  if (first === undefined) return { ...own, unreachable: true };
  const base = preferred !== null && network.includes(preferred) ? preferred : first;
  return { base, choices: network.length > 1 ? network : [], unreachable: false };
}

/** localhost, *.localhost, 127.x.x.x and [::1]: addresses only this machine can open. */
export function isLoopbackOrigin(origin: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(origin).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(hostname)
  );
}
