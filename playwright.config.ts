import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3107);
// Each run records into a fresh store, so runs never see each other's sessions.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), `bpl-e2e-${port}-`));

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    // The built client is served by the real server, as in production.
    command: 'tsx server/src/main.ts',
    url: `http://127.0.0.1:${port}/healthz`,
    // Every test starts sessions from 127.0.0.1: more than a stranger's 20 in 10 minutes.
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      SESSIONS_PER_IP: '1000',
    },
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
