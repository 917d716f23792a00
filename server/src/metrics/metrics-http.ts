/**
 * GET /metrics: the Prometheus text format. Behind `Authorization: Bearer <METRICS_TOKEN>`
 * when a token is set; on its own port (METRICS_PORT), which a firewall keeps private,
 * or on the app's port, where the token is then required (config.ts).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import express, { type RequestHandler } from 'express';
import { authorized } from '../http/http-replies';
import { hashToken, tokenMatches } from '../security/tokens';
import type { Metrics } from './metrics';

export function metricsHandler(metrics: Metrics, token: string | null): RequestHandler {
  const hash = token === null ? null : hashToken(token);
  const isScraper = (presented: string) => hash !== null && tokenMatches(presented, hash);
  return (req, res) => {
    if (hash && !authorized(req, res, isScraper, 'Wrong metrics token.', 'METRICS_TOKEN')) return;
    metrics.scrape().then(
      ({ contentType, text }) => {
        res.set('Content-Type', contentType).set('Cache-Control', 'no-store').send(text);
      },
      () => res.status(500).end(),
    );
  };
}

/** The HTTP server of METRICS_PORT: /metrics and nothing else. */
export function metricsServer(metrics: Metrics, token: string | null): HttpServer {
  const web = express();
  web.disable('x-powered-by');
  web.get('/metrics', metricsHandler(metrics, token));
  return createServer(web);
}
