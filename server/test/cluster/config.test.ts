/**
 * REDIS_URL and DATABASE_URL turn cluster mode on together; one without the other is
 * refused at start with one line naming what is missing, and exit code 2.
 */
import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { configFromEnv } from '../../src/config';

const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;
const REDIS = 'redis://127.0.0.1:6391';
const DATABASE = 'postgres://postgres@127.0.0.1:5441/postgres';

describe('cluster configuration', () => {
  test('neither variable: one node on SQLite, as always', () => {
    expect(configFromEnv({}).cluster).toBeNull();
    expect(configFromEnv({ REDIS_URL: ' ', DATABASE_URL: '' }).cluster).toBeNull();
  });

  test('both: cluster mode with both addresses', () => {
    expect(configFromEnv({ REDIS_URL: REDIS, DATABASE_URL: DATABASE }).cluster).toEqual({
      redisUrl: REDIS,
      databaseUrl: DATABASE,
    });
  });

  test('exactly one: refused, naming the missing one and why', () => {
    expect(() => configFromEnv({ REDIS_URL: REDIS })).toThrow(
      /^REDIS_URL is set but DATABASE_URL is not: a cluster needs both \(Postgres keeps/,
    );
    expect(() => configFromEnv({ DATABASE_URL: DATABASE })).toThrow(
      /^DATABASE_URL is set but REDIS_URL is not: a cluster needs both \(Redis carries/,
    );
  });

  test('a wrong kind of address is refused without echoing it (it may hold a password)', () => {
    const secret = 'http://user:hunter2@db.example:5432/x';
    expect(() => configFromEnv({ REDIS_URL: REDIS, DATABASE_URL: secret })).toThrow(
      'DATABASE_URL is not an address like postgres://user:password@host:5432/backprop',
    );
    expect(() => configFromEnv({ REDIS_URL: 'localhost:6379', DATABASE_URL: DATABASE })).toThrow(
      /^REDIS_URL is not an address like redis:\/\/host:6379$/,
    );
  });

  test('the server refuses to start with only REDIS_URL: one line, exit code 2', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: ':memory:',
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...env, REDIS_URL: REDIS },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^Backprop Live cannot start: REDIS_URL is set but DATABASE_URL is not: a cluster needs both/,
      ),
    ]);
  }, 60_000); // tsx compiles the server on start: slow on a loaded machine
});
