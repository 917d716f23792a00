/**
 * Which pages may open a socket. A browser always sends Origin on a WebSocket handshake
 * and on cross-origin requests, and a page cannot forge it; so a request whose Origin is
 * neither this server nor an allowed origin comes from someone else's page, and is
 * refused before a socket exists (socket.io's allowRequest). No Origin at all means
 * a non-browser client (a script, the tests): it can set any header it likes anyway, so
 * refusing it would protect nothing.
 *
 * The addresses the server advertises for joining (PUBLIC_URL and this machine's network
 * addresses, network/join-addresses.ts) are allowed too: a student who follows a join link
 * is never refused, even behind a proxy that rewrites the Host header.
 */
import type { IncomingMessage } from 'node:http';

export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowed: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (allowed.includes(url.origin)) return true;
  // Same origin: the page came from the host the browser is talking to. The scheme is
  // not compared: behind a TLS proxy the page is https and this server sees http.
  return host !== undefined && url.host === host.toLowerCase();
}

type AllowRequest = (
  req: IncomingMessage,
  callback: (err: string | null | undefined, success: boolean) => void,
) => void;

/**
 * `advertised` is asked only when the configured list and the same-origin rule both said
 * no (a rare request), because it reads the machine's network interfaces.
 */
export function originCheck(
  allowed: readonly string[],
  advertised: () => readonly string[] = () => [],
): AllowRequest {
  return (req, callback) => {
    const { origin, host } = req.headers;
    const ok =
      isAllowedOrigin(origin, host, allowed) || isAllowedOrigin(origin, undefined, advertised());
    callback(ok ? null : 'origin not allowed', ok);
  };
}
