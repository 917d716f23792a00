/**
 * The end of /api: every request no route answered gets a JSON error like every other
 * API reply (docs/recordings.md) — 405 with `Allow` for a path that exists under another
 * method, 404 for the rest — and errors no route handled become JSON too: a malformed
 * %-encoding in the address is a 400 that says so, a store that cannot be reached a 503
 * 'unavailable', anything else a 500.
 */
import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import { STORE_UNAVAILABLE_MESSAGE } from '@backprop/shared/protocol';
import { isStoreUnavailable } from '../store/store-unavailable';
import { sendError } from './http-replies';

/** The parts of express's router layers this reads (they are not in its public types). */
interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

export function apiFallback(routers: readonly Router[]): RequestHandler {
  return (req, res) => {
    const allowed = allowedMethods(routers, req.path);
    if (allowed.length > 0) {
      res.set('Allow', allowed.join(', '));
      return sendError(
        res,
        405,
        'method-not-allowed',
        `${req.method} is not allowed on /api${req.path}: use ${allowed.join(' or ')}.`,
      );
    }
    sendError(res, 404, 'not-found', `There is no ${req.method} /api${req.path} in this API.`);
  };
}

export function apiErrors(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    // express's router throws URIError ("Failed to decode param '%E0%A4%A'") with status 400.
    if (err instanceof URIError) {
      return sendError(
        res,
        400,
        'bad-request',
        `The address ${JSON.stringify(req.originalUrl.slice(0, 200))} has a malformed %-encoding: ` +
          'a % must be followed by two hex digits, and the bytes must be UTF-8 (write % itself as %25).',
      );
    }
    // Postgres stopped, a full disk: nothing is wrong with the request, ask again shortly.
    if (isStoreUnavailable(err)) {
      logger.warn({ err }, 'API request refused: store unavailable');
      res.setHeader('Retry-After', '1');
      return sendError(res, 503, 'unavailable', STORE_UNAVAILABLE_MESSAGE);
    }
    logger.error({ err }, 'API request failed');
    sendError(res, 500, 'internal', 'Something went wrong on the server.');
  };
}

function allowedMethods(routers: readonly Router[], path: string): string[] {
  const methods = new Set<string>();
  for (const router of routers) {
    for (const layer of router.stack as unknown as RouteLayer[]) {
      if (!layer.route || !matches(layer, path)) continue;
      for (const method of Object.keys(layer.route.methods)) methods.add(method.toUpperCase());
    }
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

function matches(layer: RouteLayer, path: string): boolean {
  try {
    return layer.match(path);
  } catch {
    return true; // a parameter that does not decode: the path exists, its encoding is bad
  }
}
