/**
 * Cluster mode: REDIS_URL and DATABASE_URL together make this process one node of a
 * cluster (Redis for the sockets, leases and shared rate limits; Postgres for the
 * recordings: docs/scaling.md). Neither: one process with SQLite, as always. Exactly one
 * of them is a mistake that would split the cluster's state, so the server refuses it.
 */
export interface ClusterConfig {
  /** redis:// or rediss:// */
  redisUrl: string;
  /** postgres:// or postgresql:// */
  databaseUrl: string;
}

export function clusterFromEnv(env: NodeJS.ProcessEnv): ClusterConfig | null {
  const redisUrl = env.REDIS_URL?.trim() || null;
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (redisUrl === null && databaseUrl === null) return null;
  if (redisUrl === null) {
    throw new Error(
      'DATABASE_URL is set but REDIS_URL is not: a cluster needs both (Redis carries the ' +
        'sockets and room leases between nodes); unset DATABASE_URL to run one node on SQLite',
    );
  }
  if (databaseUrl === null) {
    throw new Error(
      'REDIS_URL is set but DATABASE_URL is not: a cluster needs both (Postgres keeps the ' +
        'recordings every node shares); unset REDIS_URL to run one node on SQLite',
    );
  }
  return {
    redisUrl: urlWithScheme('REDIS_URL', redisUrl, ['redis:', 'rediss:'], 'redis://host:6379'),
    databaseUrl: urlWithScheme(
      'DATABASE_URL',
      databaseUrl,
      ['postgres:', 'postgresql:'],
      'postgres://user:password@host:5432/backprop',
    ),
  };
}

function urlWithScheme(name: string, raw: string, schemes: string[], example: string): string {
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below, without echoing a password the value may hold
  }
  if (!url || !schemes.includes(url.protocol)) {
    throw new Error(`${name} is not an address like ${example}`);
  }
  return raw;
}
