import { expect, test } from '@playwright/test';
import { PHONE, expectAccessible, joinSession, person, screenshot, startSession } from './helpers';

test('every view passes axe without serious or critical violations', async ({
  browser,
}, testInfo) => {
  const host = await person(browser);
  await host.page.goto('/');
  await expect(host.page.getByRole('heading', { name: 'Backprop Live' })).toBeVisible();
  await expectAccessible(host.page, 'home', testInfo);

  const code = await startSession(host.page);
  // Open a step and run its first stage, so the diagram and numbers have values to show.
  const stage = host.page.getByRole('button', { name: 'Stage', exact: true });
  await stage.click();
  await expect(host.page.getByTestId('status-line')).toContainText('new step');
  await stage.click();
  await expect(host.page.getByTestId('status-line')).toContainText('last stage: Forward');
  await expectAccessible(host.page, 'host console', testInfo);

  const student = await person(browser, PHONE);
  await joinSession(student.page, code, 'Axe');
  await expectAccessible(student.page, 'student view', testInfo);

  const projector = await host.context.newPage();
  await projector.setViewportSize({ width: 1280, height: 720 });
  await projector.goto(`/#/projector/${code}`);
  await expect(projector.getByTestId('status-line')).toContainText('last stage');
  await expectAccessible(projector, 'projector', testInfo);
  await screenshot(projector, testInfo, 'projector');

  for (const p of [host, student]) await p.context.close();
});
