import { expect, test } from '@playwright/test';

test('the home page loads from the server and reaches it', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Backprop Live' })).toBeVisible();
  await expect(page.getByTestId('health')).toHaveText('server ok');
});
