import { expect, test, type WebSocketRoute } from '@playwright/test';
import { PHONE, joinSession, person, startSession, statusLine } from './helpers';

test('a dropped phone shows a banner, keeps the last state, and catches up on reconnect', async ({
  browser,
}) => {
  const host = await person(browser);
  const phone = await person(browser, PHONE);
  const code = await startSession(host.page);

  // The phone's socket goes through the test, so the test can cut it (a Wi-Fi drop) and
  // keep it down for a while: a reconnect attempt meanwhile hangs until the network is back.
  let down = false;
  const open: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
  const held: WebSocketRoute[] = [];
  const connect = (ws: WebSocketRoute) => open.push({ page: ws, server: ws.connectToServer() });
  await phone.page.routeWebSocket(/\/socket\.io\//, (ws) => (down ? held.push(ws) : connect(ws)));

  await joinSession(phone.page, code, 'Katherine');
  const stage = host.page.getByRole('button', { name: 'Stage', exact: true });
  await stage.click();
  // The host's own line first: read at once after the click, it could still be the old one.
  await expect(statusLine(host.page)).toContainText('new step');
  await expect(statusLine(phone.page)).toHaveText((await statusLine(host.page).textContent())!);

  down = true;
  for (const ws of open.splice(0)) {
    await ws.server.close();
    await ws.page.close({ code: 4000, reason: 'network down' });
  }
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

  down = false;
  for (const ws of held.splice(0)) connect(ws);
  await expect(statusLine(phone.page)).toHaveText(now, { timeout: 15_000 });
  await expect(phone.page.getByTestId('connection-banner')).not.toContainText('Reconnecting');
  await expect(participant).toHaveAttribute('data-connected', 'true');
  await expect(host.page.getByTestId('participant')).toHaveCount(1);
  for (const p of [host, phone]) await p.context.close();
});
