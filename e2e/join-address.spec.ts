/**
 * The join link when the instructor opens the console on 127.0.0.1 (as `npm start` suggests):
 * it must use an address phones can open. This spec runs its own server in the test
 * process, through createApp, with a made-up list of network interfaces (the same
 * injection the server tests use), so it is the same on every machine; production code
 * has no test switch. It listens on 0.0.0.0 like `npm start`, on a free port, and the
 * browser talks to it on 127.0.0.1 only.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { expect, test as base } from '@playwright/test';
import { pino } from 'pino';
import { createApp } from '../server/src/app';
import { configFromEnv } from '../server/src/config';
import type { InterfaceList } from '../server/src/network/join-addresses';
import { startSession } from './helpers';

const address = (ip: string, internal = false): NetworkInterfaceInfo => ({
  address: ip,
  netmask: '255.255.255.0',
  family: 'IPv4',
  mac: '00:00:00:00:00:00',
  internal,
  cidr: `${ip}/24`,
});
const LOOPBACK: InterfaceList = { lo: [address('127.0.0.1', true)] };

/** What the machine's interfaces are now: each test sets it. */
let interfaces: InterfaceList = LOOPBACK;

const test = base.extend<object, { serverUrl: string }>({
  serverUrl: [
    // eslint-disable-next-line no-empty-pattern -- Playwright's fixture signature
    async ({}, use) => {
      const app = createApp({
        config: {
          ...configFromEnv({ DATA_DIR: ':memory:' }),
          port: 0,
          host: '0.0.0.0',
          clientDir: fileURLToPath(new URL('../client/dist', import.meta.url)),
        },
        logger: pino({ level: 'silent' }),
        networkInterfaces: () => interfaces,
      });
      const port = await app.listen();
      await use(`http://127.0.0.1:${port}`);
      await app.close();
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ serverUrl }, use) => use(serverUrl),
});

const portOf = (url: string) => new URL(url).port;
const PICKER = 'This computer has several addresses: students use';

test('one network address: the join link, QR code and hand-over link use it', async ({
  page,
  serverUrl,
}) => {
  interfaces = { ...LOOPBACK, wlan0: [address('192.168.1.23')] };
  const code = await startSession(page);
  const expected = `http://192.168.1.23:${portOf(serverUrl)}/#/join/${code}`;
  await expect(page.getByTestId('join-link')).toHaveText(expected);
  await expect(page.getByTestId('join-link')).toHaveAttribute('href', expected);
  await expect(
    page.getByRole('img', { name: `QR code of the join link ${expected}` }),
  ).toBeVisible();
  await page.getByText('Control from another device').click();
  await expect(page.getByTestId('host-link')).toContainText(
    `http://192.168.1.23:${portOf(serverUrl)}/#/host/${code}?t=`,
  );
  await expect(page.getByLabel(PICKER)).toHaveCount(0);
  await expect(page.getByText('Students cannot reach localhost')).toHaveCount(0);
});

test('several: the host picks one, and the projector shows the same', async ({
  page,
  serverUrl,
}) => {
  const port = portOf(serverUrl);
  interfaces = {
    ...LOOPBACK,
    eth0: [address('10.0.0.5')],
    wlan0: [address('192.168.1.23'), address('169.254.3.4')],
  };
  const code = await startSession(page);
  const picker = page.getByLabel(PICKER);
  await expect(picker).toHaveValue(`http://10.0.0.5:${port}`);
  await expect(picker.locator('option')).toHaveText([
    `http://10.0.0.5:${port}`,
    `http://192.168.1.23:${port}`,
  ]);
  await expect(page.getByTestId('join-link')).toHaveText(`http://10.0.0.5:${port}/#/join/${code}`);

  await picker.selectOption(`http://192.168.1.23:${port}`);
  const picked = `http://192.168.1.23:${port}/#/join/${code}`;
  await expect(page.getByTestId('join-link')).toHaveText(picked);
  await expect(page.getByRole('img', { name: `QR code of the join link ${picked}` })).toBeVisible();

  const projector = await page.context().newPage();
  await projector.goto(`/#/projector/${code}`);
  // A fresh tab loads the app and resumes first: slower than 5 s on a busy machine.
  await expect(projector.getByTestId('join-link')).toHaveText(picked, { timeout: 15_000 });

  // The projector tab stays open while the host picks another address: it follows.
  await page.bringToFront();
  await picker.selectOption(`http://10.0.0.5:${port}`);
  await expect(projector.getByTestId('join-link')).toHaveText(
    `http://10.0.0.5:${port}/#/join/${code}`,
  );
  await expect(
    projector.getByRole('img', {
      name: `QR code of the join link http://10.0.0.5:${port}/#/join/${code}`,
    }),
  ).toBeVisible();
});

test('none: a clear warning, gone once the laptop joins a network', async ({ page, serverUrl }) => {
  interfaces = LOOPBACK;
  const code = await startSession(page);
  const warning = page.getByRole('alert').filter({ hasText: 'Students cannot reach localhost' });
  await expect(warning).toContainText('connect this computer to the classroom network');
  await expect(warning).toContainText('PUBLIC_URL');
  await expect(page.getByTestId('join-link')).toHaveText(`${serverUrl}/#/join/${code}`);

  interfaces = { ...LOOPBACK, wlan0: [address('192.168.1.23')] };
  await warning.getByRole('button', { name: 'Check again' }).click();
  await expect(page.getByTestId('join-link')).toHaveText(
    `http://192.168.1.23:${portOf(serverUrl)}/#/join/${code}`,
  );
  await expect(warning).toHaveCount(0);
});
