import { expect, test } from '@playwright/test';
import { joinSession, person, PHONE, startSession, statusLine } from './helpers';

test('a CSV upload: a bad file is explained, a good one trains for everyone', async ({
  browser,
}) => {
  const host = await person(browser);
  const student = await person(browser, PHONE);
  const code = await startSession(host.page);
  await joinSession(student.page, code, 'Emmy');
  const page = host.page;

  await page.getByText('Upload a CSV file').click();
  const file = page.getByLabel('CSV file');
  await file.setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('size,rooms,price\n50,2,100\n60,x,120\n'),
  });
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByTestId('csv-error')).toContainText('line 3');
  await expect(page.getByTestId('csv-error')).toContainText('not a number');

  const rows = ['size,rooms,price'];
  for (let k = 0; k < 20; k++) rows.push(`${40 + 5 * k},${1 + (k % 4)},${100 + 7 * k}`);
  await file.setInputFiles({
    name: 'flats.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`${rows.join('\n')}\n`),
  });
  // The last column is the target by default.
  await expect(page.getByRole('checkbox', { name: 'price' })).toBeChecked();
  await page.getByRole('button', { name: 'Upload' }).click();
  await expect(page.getByTestId('csv-uploaded')).toContainText('20 rows');
  await expect(page.getByLabel('Dataset')).toHaveValue('csv');
  await page.getByRole('button', { name: 'Apply and start over' }).click();

  // Every client now shows the uploaded columns in its diagram.
  for (const p of [page, student.page]) {
    await expect(p.getByRole('button', { name: /size/ }).first()).toBeVisible();
  }
  await page.keyboard.press('n');
  await expect(statusLine(page)).toHaveText(/^Step 1,/);
  await expect(statusLine(student.page)).toHaveText((await statusLine(page).textContent()) ?? '');
  for (const p of [host, student]) await p.context.close();
});

test('too large a learning rate: the step is refused and the banner names step and rate', async ({
  browser,
}, testInfo) => {
  const host = await person(browser);
  const student = await person(browser, PHONE);
  const code = await startSession(host.page);
  await joinSession(student.page, code, 'Sofia');
  const page = host.page;

  const rate = page.getByLabel('Learning rate α', { exact: true });
  await rate.fill('10');
  await rate.press('Enter');
  await expect(student.page.getByText(/Learning rate α\s*10/).first()).toBeVisible();

  // Keyboard shortcuts: E runs an epoch (not while typing in a field). With seed 1 the
  // houses network blows up within its first epoch at this rate.
  await page.getByRole('heading', { name: 'Learning' }).click();
  await page.keyboard.press('e');
  const banner = page.getByTestId('divergence');
  await expect(banner).toContainText(/Training stopped: step \d+ was refused at learning rate 10/);
  await expect(
    student.page.getByText(/Training stopped: step \d+ was refused at learning rate 10/),
  ).toBeVisible();
  // The rate change and the divergence are marked near each other: their labels must not
  // overlap (look at the artifact).
  const chart = page.getByRole('region', { name: 'Loss over training steps' });
  await expect(chart.locator('figcaption')).toContainText(/diverged/i);
  const path = testInfo.outputPath('loss-chart-diverged.png');
  await chart.screenshot({ path });
  await testInfo.attach('loss-chart-diverged', { path, contentType: 'image/png' });

  // A pointer on the plot reads the step under it, a guide there and the training loss.
  const canvas = chart.locator('[data-points] canvas');
  const box = (await canvas.boundingBox())!;
  await canvas.hover({ position: { x: box.width * 0.6, y: box.height / 2 } });
  const readout = chart.getByTestId('chart-readout');
  await expect(readout).toContainText(/step \d+/);
  await expect(readout).toContainText(/training loss \S*\d/);
  const hovered = testInfo.outputPath('loss-chart-readout.png');
  await chart.screenshot({ path: hovered });
  await testInfo.attach('loss-chart-readout', { path: hovered, contentType: 'image/png' });
  await page.mouse.move(0, 0);
  await expect(readout).toBeHidden();
  for (const p of [host, student]) await p.context.close();
});

test('"Apply and start over" stays where it is when a field loses focus', async ({ browser }) => {
  const host = await person(browser);
  await startSession(host.page);
  const page = host.page;
  const apply = page.getByRole('button', { name: 'Apply and start over' });
  const units = page.getByLabel('Units in hidden layer 1');
  await units.fill('5');
  const before = await apply.boundingBox();
  // Leaving the field turns the typing into a draft: nothing may move under the pointer.
  await units.blur();
  await expect(page.getByRole('button', { name: 'Discard changes' })).toBeVisible();
  const after = await apply.boundingBox();
  expect(after?.y).toBe(before?.y);
  await expect(page.getByTestId('dataset-description')).not.toBeEmpty();
  // The first click applies.
  await apply.click();
  await expect(page.getByRole('button', { name: /^hidden unit 5/ }).first()).toBeVisible();
  await host.context.close();
});
