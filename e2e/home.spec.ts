import { expect, test } from '@playwright/test';

test('the home page offers to join and to start a session', async ({ page }) => {
  // Every request of a page load succeeds: the favicon too (no 404 in the console).
  const failed: string[] = [];
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  await page.goto('/', { waitUntil: 'networkidle' });
  expect(failed).toEqual([]);
  await expect(page.locator('link[rel="icon"]')).toHaveAttribute('href', '/favicon.svg');
  const icon = await page.request.get('/favicon.svg');
  expect(icon.ok(), 'the favicon is served').toBe(true);
  expect(icon.headers()['content-type']).toContain('image/svg+xml');
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
