import { clusterFromEnv, type ClusterConfig } from './cluster/cluster-config';
import { limitsFromEnv, type Limits } from './limits';
import { dataDirFromEnv } from './store/connection';

/** Server configuration, read once from the environment (documented in the README). */
export interface Config {
  port: number;
  host: string;
  logLevel: string;
  /** Folder with the built client; served as static files when it exists. */
  clientDir: string;
  /**
   * Folder of the database that keeps every session (DATA_DIR, created on first start),
   * or ':memory:' to keep nothing past the process.
   */
  dataDir: string;
  /** Rate limits, caps and timeouts (limits.ts, docs/limits.md). */
  limits: Limits;
  /**
   * Browser origins allowed to open a socket besides the server's own (ALLOWED_ORIGINS,
   * comma-separated). Empty: same-origin only.
   */
  allowedOrigins: string[];
  /**
   * Behind a reverse proxy (TRUST_PROXY=1), a client's address is the last one the proxy
   * added to X-Forwarded-For; otherwise the connection's own address.
   */
  trustProxy: boolean;
  /**
   * The address students reach the app at (PUBLIC_URL, e.g. https://backprop.example.edu),
   * without a trailing slash: join links, QR codes and the host hand-over link use it.
   * Null: the console uses its own origin, or this machine's network addresses when it is
   * open on localhost (network/join-addresses.ts).
   */
  publicUrl: string | null;
  /** GET /metrics (docs/deploy.md): off unless a token or a port is set. */
  metrics: MetricsConfig;
  /**
   * REDIS_URL and DATABASE_URL: this process is one node of a cluster (docs/scaling.md).
   * Null: one process on SQLite (the default). Exactly one of the two set refuses to start.
   */
  cluster: ClusterConfig | null;
}

export interface MetricsConfig {
  /** METRICS_TOKEN: scrapers send it as `Authorization: Bearer <token>`; null: none needed. */
  token: string | null;
  /**
   * METRICS_PORT: /metrics is served there (bound to HOST) and not on PORT; null: on PORT,
   * and only with a token, because that port is public.
   */
  port: number | null;
}

/** The same alphabet and length the server's bearer tokens have (http/http-replies.ts). */
const METRICS_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: portFrom(env, 'PORT') ?? 3000,
    host: env.HOST ?? '0.0.0.0',
    logLevel: env.LOG_LEVEL ?? 'info',
    clientDir: env.CLIENT_DIR ?? new URL('../../client/dist', import.meta.url).pathname,
    dataDir: dataDirFromEnv(env),
    limits: limitsFromEnv(env),
    allowedOrigins: originList(env.ALLOWED_ORIGINS),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    publicUrl: publicUrlFrom(env.PUBLIC_URL),
    metrics: metricsFromEnv(env),
    cluster: clusterFromEnv(env),
  };
}

function portFrom(env: NodeJS.ProcessEnv, name: 'PORT' | 'METRICS_PORT'): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${name} must be an integer from 0 to 65535, got "${raw}"`);
  }
  return port;
}

function metricsFromEnv(env: NodeJS.ProcessEnv): MetricsConfig {
  const token = env.METRICS_TOKEN || null;
  if (token !== null && !METRICS_TOKEN.test(token)) {
    throw new Error(
      'METRICS_TOKEN must be 16 to 128 letters, digits, "-" or "_" (e.g. `openssl rand -hex 24`)',
    );
  }
  return { token, port: portFrom(env, 'METRICS_PORT') };
}

/** "https://a.example, https://b.example:8443" as normalized origins; a bad entry throws. */
function originList(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new Error(`ALLOWED_ORIGINS: "${entry}" is not an origin like https://example.org`);
      }
      if (url.origin === 'null' || url.pathname !== '/' || url.search || url.hash) {
        throw new Error(`ALLOWED_ORIGINS: "${entry}" is not an origin like https://example.org`);
      }
      return url.origin;
    });
}

/** "https://backprop.example.edu/", "http://10.0.0.5:3000/class" → the same without the last /. */
function publicUrlFrom(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  const problem = `PUBLIC_URL: "${raw}" is not an address like https://backprop.example.edu`;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(problem);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(problem);
  if (url.username || url.password || url.search || url.hash) {
    throw new Error(`${problem} (no user, query or #fragment)`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
