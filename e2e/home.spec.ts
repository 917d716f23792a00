import { expect, test } from '@playwright/test';

test('the home page offers to join and to start a session', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Backprop Live' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start a session' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Join', exact: true })).toBeVisible();
});

test('the join form checks the code and the name as they are typed', async ({ page }) => {
  await page.goto('/');
  const name = page.getByLabel('Your name');
  await page.getByLabel('Session code').fill('abc');
  await name.fill('   ');
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page.getByLabel('Session code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText(/A code has 6 letters/)).toBeVisible();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await name.fill('Instructor');
  await expect(page.getByText(/is reserved/)).toBeVisible();
  await name.fill('Ada');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
});

test('unknown pages say so', async ({ page }) => {
  await page.goto('/#/nowhere');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
