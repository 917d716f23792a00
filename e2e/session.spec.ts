import { expect, test, type Page } from '@playwright/test';
import {
  PHONE,
  expectNoHorizontalScroll,
  joinSession,
  person,
  screenshot,
  startSession,
  statusLine,
} from './helpers';

/** A number as the UI prints it (U+2212 minus) out of "name = value". */
function number(text: string): number {
  return Number(text.split('=').at(-1)!.trim().replace('−', '-'));
}

test('an instructor and two students step, play, inspect, reload and kick together', async ({
  browser,
}, testInfo) => {
  const host = await person(browser);
  const laptop = await person(browser);
  const phone = await person(browser, PHONE);

  const code = await startSession(host.page);
  await joinSession(laptop.page, code, 'Ada');
  await joinSession(phone.page, code, 'Grace');

  const participants = host.page.getByTestId('participant');
  await expect(participants).toHaveCount(2);
  await expect(participants.filter({ hasText: 'Ada' })).toHaveAttribute('data-connected', 'true');
  await expect(participants.filter({ hasText: 'Grace' })).toHaveAttribute('data-connected', 'true');

  // --- One whole training step, stage by stage: everyone sees the same numbers. ----------
  const hostStatus = statusLine(host.page);
  const students = [laptop.page, phone.page];
  let text = (await hostStatus.textContent()) ?? '';
  expect(text).toMatch(/^Step 0,/);
  const outputErrors = (page: Page) => page.getByTestId('output-error');
  let sawError = false;
  for (let stage = 0; !text.startsWith('Step 1,'); stage++) {
    expect(stage, 'stages in one step').toBeLessThan(20);
    await host.page.getByRole('button', { name: 'Stage', exact: true }).click();
    await expect(hostStatus).not.toHaveText(text);
    text = (await hostStatus.textContent()) ?? '';
    for (const page of students) await expect(statusLine(page)).toHaveText(text);
    if (text.endsWith('last stage: Error: ŷ − y.')) {
      // The error stage draws the target y and ŷ − y beside the output's ŷ, and ŷ − y is
      // the circle's value minus y (to the 4 digits printed).
      sawError = true;
      await screenshot(host.page, testInfo, 'host-error-stage');
      await expect(outputErrors(host.page)).toHaveText([/^y = /, /^ŷ−y = /]);
      const [y, error] = (await outputErrors(host.page).allTextContents()).map(number);
      const output = host.page.getByRole('button', { name: /^output unit 1/ });
      const prediction = number((await output.locator('.unit-value').textContent()) ?? '');
      const scale = Math.max(1, Math.abs(prediction), Math.abs(y!));
      expect(Math.abs(prediction - y! - error!)).toBeLessThan(2e-3 * scale);
      await expect(output).toHaveAttribute('aria-label', /target y .+, error ŷ − y /);
      // A student sees the same two lines.
      await expect(outputErrors(laptop.page)).toHaveText(
        await outputErrors(host.page).allTextContents(),
      );
    } else {
      await expect(outputErrors(host.page)).toHaveCount(0);
    }
  }
  expect(sawError, 'the step ran an error stage').toBe(true);
  expect(text).toMatch(/^Step 1, epoch \d+, loss [\d.e−-]+, last stage: Update/);

  // --- The inspectors: a unit shows its forward computation, a weight its chain rule. ----
  const hostInspector = host.page.getByTestId('inspector');
  await host.page.getByRole('button', { name: /^output unit 1/ }).click();
  await expect(hostInspector).toHaveAttribute('data-selected', 'unit');
  await expect(hostInspector).toContainText('Activation of this layer');
  await host.page.getByRole('button', { name: /^w¹/ }).first().click();
  await expect(hostInspector).toHaveAttribute('data-selected', 'weight');
  await expect(hostInspector).toContainText('Chain rule');
  await expect(hostInspector).toContainText('∂E/∂w¹');
  await phone.page.getByRole('button', { name: /^w²/ }).first().tap();
  const phoneInspector = phone.page.getByTestId('inspector');
  await expect(phoneInspector).toHaveAttribute('data-selected', 'weight');
  await expect(phoneInspector).toContainText('Chain rule');
  await expect(phoneInspector).toBeInViewport();
  await expectNoHorizontalScroll(phone.page);

  await screenshot(host.page, testInfo, 'host-console');
  await screenshot(phone.page, testInfo, 'student-phone');

  // --- Play, then pause: the step count moves, and everyone ends on the same numbers. ----
  const play = host.page.getByRole('button', { name: 'Play' });
  await play.click();
  await expect(host.page.getByRole('button', { name: 'Pause' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(statusLine(laptop.page)).toContainText('playing');
  await expect(hostStatus).toHaveText(/^Step ([3-9]|\d\d+),/);
  await host.page.getByRole('button', { name: 'Pause' }).click();
  await expect(host.page.getByRole('button', { name: 'Play' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
  await expect(hostStatus).not.toContainText('playing');
  text = (await hostStatus.textContent()) ?? '';
  for (const page of students) await expect(statusLine(page)).toHaveText(text);

  // --- Reset asks first, from the button and from R; Escape changes nothing. --------------
  const confirmReset = host.page.getByTestId('confirm-dialog');
  await host.page.locator('body').press('r');
  await expect(confirmReset).toContainText('Reset the training?');
  await host.page.keyboard.press('Escape');
  await expect(confirmReset).toBeHidden();
  await expect(hostStatus).toHaveText(text);
  await host.page.getByRole('button', { name: 'Reset', exact: true }).click();
  await confirmReset.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(hostStatus).toHaveText(/^Step 0,/);
  text = (await hostStatus.textContent()) ?? '';
  for (const page of students) await expect(statusLine(page)).toHaveText(text);

  // --- A reload keeps the student's identity: same name, no duplicate. --------------------
  await laptop.page.reload();
  await expect(laptop.page.getByTestId('my-name')).toHaveText('Ada');
  await expect(statusLine(laptop.page)).toHaveText(text);
  await expect(participants).toHaveCount(2);
  await expect(participants.filter({ hasText: 'Ada' })).toHaveCount(1);
  await expect(participants.filter({ hasText: 'Ada' })).toHaveAttribute('data-connected', 'true');

  // --- A kick: the kicked student sees it, the others carry on. ---------------------------
  // Kicking asks first; Cancel changes nothing.
  const confirmDialog = confirmReset;
  await host.page.getByRole('button', { name: 'Kick Grace' }).click();
  await expect(confirmDialog).toContainText('Remove Grace from the session?');
  await confirmDialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirmDialog).toBeHidden();
  await expect(participants.filter({ hasText: 'Grace' })).toHaveCount(1);
  await host.page.getByRole('button', { name: 'Kick Grace' }).click();
  await confirmDialog.getByRole('button', { name: 'Kick Grace' }).click();
  await expect(
    phone.page.getByRole('heading', { name: 'You were removed from this session' }),
  ).toBeVisible();
  await expect(participants).toHaveCount(1);
  await phone.page.reload();
  // The kicked device has no key any more: it is asked for a name, not let back in silently.
  await expect(phone.page).toHaveURL(new RegExp(`#/join/${code}$`));

  for (const p of [host, laptop, phone]) await p.context.close();
});

test('the host link moves the console to another device without leaving the token in the URL', async ({
  browser,
}) => {
  const host = await person(browser);
  const code = await startSession(host.page);
  await host.page.getByText('Control from another device').click();
  const link = await host.page.getByTestId('host-link').textContent();
  expect(link).toContain(`#/host/${code}?t=`);

  const tablet = await person(browser);
  await tablet.page.goto(link!.replace(/^https?:\/\/[^/]+/, ''));
  await expect(tablet.page.getByRole('button', { name: 'Stage', exact: true })).toBeVisible();
  await expect(tablet.page).toHaveURL(new RegExp(`#/host/${code}$`));
  expect(tablet.page.url()).not.toContain('?t=');

  // Both consoles drive the same session.
  await tablet.page.getByRole('button', { name: 'Stage', exact: true }).click();
  await expect(statusLine(host.page)).toContainText('new step on data row');
  for (const p of [host, tablet]) await p.context.close();
});

test('a locked room and a wrong code get clear pages', async ({ browser }) => {
  const host = await person(browser);
  const code = await startSession(host.page);
  await host.page.getByTestId('lock-button').click();
  await host.page.getByTestId('confirm-dialog').getByRole('button', { name: 'Lock' }).click();
  await expect(host.page.getByTestId('lock-button')).toHaveText('Unlock');

  const late = await person(browser, PHONE);
  await late.page.goto(`/#/join/${code}`);
  await late.page.getByLabel('Your name').fill('Late Larry');
  await late.page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(late.page.getByRole('heading', { name: 'This session is locked' })).toBeVisible();

  await late.page.goto('/#/join/ZZZZZZ');
  await late.page.getByLabel('Your name').fill('Lost Lucy');
  await late.page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(
    late.page.getByRole('heading', { name: 'No session with code ZZZZZZ' }),
  ).toBeVisible();

  // The projector's link opened in another browser names the page that was opened.
  await late.page.goto(`/#/projector/${code}`);
  await expect(
    late.page.getByRole('heading', { name: `This device is not the host of ${code}` }),
  ).toBeVisible();
  await expect(late.page.getByText(/The projector view opens only where/)).toBeVisible();
  await late.page.goto(`/#/host/${code}`);
  await expect(late.page.getByText(/The host console opens only where/)).toBeVisible();
  for (const p of [host, late]) await p.context.close();
});

test('ending the session shows the ended page to everyone', async ({ browser }) => {
  const host = await person(browser);
  const student = await person(browser, PHONE);
  const code = await startSession(host.page);
  await joinSession(student.page, code, 'Alan');
  await host.page.getByRole('button', { name: 'End session' }).click();
  await host.page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
  for (const page of [host.page, student.page]) {
    await expect(page.getByRole('heading', { name: 'This session has ended' })).toBeVisible();
  }
  // The host's end page leads on: the replay, the recording's file, the quiz answers.
  await expect(host.page.getByRole('link', { name: 'Watch the replay' })).toBeVisible();
  const links = host.page.getByTestId('host-end-links');
  await expect(links.getByRole('button', { name: /^Export/ })).toBeEnabled();
  await expect(links.getByRole('button', { name: 'Download the answers (CSV)' })).toBeVisible();
  const download = host.page.waitForEvent('download');
  await links.getByRole('button', { name: /^Export/ }).click();
  expect((await download).suggestedFilename()).toMatch(/\.ndjson$/);
  await expect(student.page.getByTestId('host-end-links')).toHaveCount(0);
  for (const p of [host, student]) await p.context.close();
});
