import { expect, test } from '@playwright/test';
import { PHONE, joinSession, person, startSession, statusLine } from './helpers';
import { wifiTo } from './wifi';

test('a dropped phone shows a banner, keeps the last state, and catches up on reconnect', async ({
  browser,
  baseURL,
}) => {
  const host = await person(browser);
  // The phone reaches the server through a Wi-Fi the test can cut (its socket, in a worker,
  // with it) and keep down for a while: a reconnect attempt meanwhile hangs until it is back.
  const wifi = await wifiTo(new URL(baseURL!));
  const phone = await person(browser, { ...PHONE, baseURL: wifi.url });
  const code = await startSession(host.page);

  await joinSession(phone.page, code, 'Katherine');
  // A student's socket lives in a worker (client/src/lib/socket/worker-socket.ts).
  expect(phone.page.workers().map((w) => w.url())).toContainEqual(
    expect.stringMatching(/socket-worker/),
  );
  const stage = host.page.getByRole('button', { name: 'Stage', exact: true });
  await stage.click();
  // The host's own line first: read at once after the click, it could still be the old one.
  await expect(statusLine(host.page)).toContainText('new step');
  await expect(statusLine(phone.page)).toHaveText((await statusLine(host.page).textContent())!);

  wifi.down();
  await expect(phone.page.getByTestId('connection-banner')).toContainText('Reconnecting');
  // The last state stays on screen while the phone is away.
  await expect(phone.page.getByTestId('my-name')).toHaveText('Katherine');
  const participant = host.page.getByTestId('participant').filter({ hasText: 'Katherine' });
  await expect(participant).toHaveAttribute('data-connected', 'false');

  // Training goes on without the phone.
  for (let k = 0; k < 3; k++) {
    const before = (await statusLine(host.page).textContent())!;
    await stage.click();
    await expect(statusLine(host.page)).not.toHaveText(before);
  }
  const now = (await statusLine(host.page).textContent())!;

  wifi.up();
  await expect(statusLine(phone.page)).toHaveText(now, { timeout: 15_000 });
  await expect(phone.page.getByTestId('connection-banner')).not.toContainText('Reconnecting');
  await expect(participant).toHaveAttribute('data-connected', 'true');
  await expect(host.page.getByTestId('participant')).toHaveCount(1);
  for (const p of [host, phone]) await p.context.close();
  await wifi.close();
});
