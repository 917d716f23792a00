import { expect, test } from '@playwright/test';
import { joinSession, person, startSession } from './helpers';

test('the host sets a weight by hand and every student sees it', async ({ browser }) => {
  const host = await person(browser);
  const student = await person(browser);
  const code = await startSession(host.page);
  await joinSession(student.page, code, 'Ada');

  await host.page.getByRole('button', { name: /^w¹₁₁ = / }).click();
  const editor = host.page.getByTestId('weight-editor');
  await editor.getByLabel('Set w¹₁₁ by hand').fill('-1.5');
  await editor.getByRole('button', { name: 'Set weight' }).click();
  for (const page of [host.page, student.page]) {
    await expect(page.getByRole('button', { name: /^w¹₁₁ = −1\.5/ })).toBeVisible();
  }

  // The editor stays open while events arrive. Out of range (the server allows ±100):
  // the form refuses to submit, and nothing changes.
  const input = editor.getByLabel('Set w¹₁₁ by hand');
  await input.fill('500');
  await editor.getByRole('button', { name: 'Set weight' }).click();
  expect(await input.evaluate((el: HTMLInputElement) => el.checkValidity())).toBe(false);
  await expect(student.page.getByRole('button', { name: /^w¹₁₁ = −1\.5/ })).toBeVisible();

  for (const p of [host, student]) await p.context.close();
});
