/** Server configuration, read once from the environment (documented in the README). */
export interface Config {
  port: number;
  host: string;
  logLevel: string;
  /** Folder with the built client; served as static files when it exists. */
  clientDir: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
  }
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    logLevel: env.LOG_LEVEL ?? 'info',
    clientDir: env.CLIENT_DIR ?? new URL('../../client/dist', import.meta.url).pathname,
  };
}
