// Fails fast, with the fix, when the browser the e2e tests drive is missing.
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  console.error(
    `Chromium not found at ${path}. The browser tests use the system Chromium.\n` +
      `  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y chromium fonts-liberation\n` +
      `  Elsewhere: install Chromium or Chrome and set CHROMIUM_PATH to its binary.`,
  );
  process.exit(1);
}
