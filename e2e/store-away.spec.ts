import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test } from '@playwright/test';
import { LAPTOP, PHONE, joinSession, person, shownText, startSession, statusLine } from './helpers';

/**
 * The recordings store away during play (a full disk, on demand: e2e/store-away-server.ts
 * runs the real server and built client on a store that fails when told): the host
 * console and the phone keep their last state under a calm banner, and once the store is
 * back the session goes on by itself and the banners go. A session started meanwhile says
 * why it waits, and starts once the store is back.
 */
interface StoreAwayServer {
  url: string;
  /** 'full' or 'free'; resolves once the server has done it. */
  tell(line: 'full' | 'free'): Promise<void>;
  stop(): void;
}

async function storeAwayServer(): Promise<StoreAwayServer> {
  const child: ChildProcess = spawn('npx', ['tsx', 'e2e/store-away-server.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      // The failed commits are the point here: warnings would only clutter the report.
      LOG_LEVEL: 'error',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'bpl-e2e-store-away-')),
      SESSIONS_PER_IP: '1000',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error('the store-away server exited');
    return line.value;
  };
  const { port } = JSON.parse(await next()) as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    async tell(line) {
      child.stdin!.write(`${line}\n`);
      expect(await next()).toBe('ok');
    },
    stop: () => void child.stdin!.end(),
  };
}

test('the store away: a calm banner on the console and the phone, and play goes on by itself', async ({
  browser,
}) => {
  const server = await storeAwayServer();
  try {
    const host = await person(browser, { ...LAPTOP, baseURL: server.url });
    const phone = await person(browser, { ...PHONE, baseURL: server.url });
    const code = await startSession(host.page);
    await joinSession(phone.page, code, 'Katherine');
    await host.page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => shownText(statusLine(phone.page))).toMatch(/^Step ([3-9]|\d\d+),/);

    await server.tell('full');
    for (const page of [host.page, phone.page]) {
      const banner = page.getByTestId('store-away');
      await expect(banner).toBeVisible();
      await expect(banner).toContainText('On hold for a moment');
      await expect(banner).toContainText('the recordings store is unavailable');
      await expect(banner).toBeInViewport();
      // The last state stays on screen.
      await expect(statusLine(page)).toContainText('Step');
    }
    await expect(phone.page.getByTestId('my-name')).toHaveText('Katherine');
    // Nothing moves while the store is away.
    const onHold = (await statusLine(host.page).textContent())!;
    await expect.poll(() => shownText(statusLine(phone.page))).toBe(onHold);

    // Starting another session meanwhile: the start page says why it waits, and retries.
    const other = await person(browser, { ...LAPTOP, baseURL: server.url });
    await other.page.goto('/');
    await other.page.getByRole('button', { name: 'Start a session' }).click();
    await expect(other.page.getByTestId('store-away')).toContainText(
      'the recordings store is unavailable',
    );

    await server.tell('free');
    await expect(other.page).toHaveURL(/#\/host\/[A-Z0-9]{6}$/, { timeout: 15_000 });
    for (const page of [host.page, phone.page]) {
      await expect(page.getByTestId('store-away')).toHaveCount(0, { timeout: 15_000 });
      await expect.poll(() => shownText(statusLine(page))).not.toBe(onHold);
      await expect(statusLine(page)).toContainText('playing');
    }
    await host.page.getByRole('button', { name: 'Pause' }).click();
    await expect(statusLine(host.page)).not.toContainText('playing');
    const paused = (await statusLine(host.page).textContent())!;
    await expect(statusLine(phone.page)).toHaveText(paused);
    for (const p of [host, phone, other]) await p.context.close();
  } finally {
    server.stop();
  }
});
