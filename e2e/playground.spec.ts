import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  BACK_ROW_PX,
  expectAccessible,
  joinSession,
  measureText,
  person,
  screenshot,
  startSession,
  statusLine,
  shownText,
} from './helpers';

/** A phone as the issue asks for (390×844), touch and all. */
const PHONE_390 = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const;

/**
 * A picture's pixels once painted, to compare two moments (or two sessions). Pictures are
 * painted only where they are seen: scroll it into view, as a viewer would.
 */
async function paintedPixels(canvas: Locator, what: string): Promise<string> {
  await canvas.scrollIntoViewIfNeeded();
  await expect.poll(() => canvasImage(canvas), { message: `${what} get painted` }).not.toBe('');
  return canvasImage(canvas);
}

/** The heatmap's two canvases: its cells, and the data points over them. */
const heatmapPixels = async (page: Page) =>
  (await paintedPixels(page.getByTestId('heatmap-canvas').first(), "the heatmap's cells")) +
  (await paintedPixels(page.getByTestId('heatmap-points').first(), "the heatmap's points"));
const unitPicturesPixels = (page: Page) =>
  paintedPixels(page.getByTestId('unit-pictures').first(), 'the unit pictures');

/** A canvas's image as a data URL, '' while it is blank (or not painted yet). */
function canvasImage(canvas: Locator): Promise<string> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const blank = document.createElement('canvas');
    blank.width = c.width;
    blank.height = c.height;
    const url = c.toDataURL();
    return url === blank.toDataURL() ? '' : url;
  });
}

/**
 * The host picks the spiral, crosses the inputs and adds the sines, picks L2 at λ = 0.003,
 * and applies it.
 */
async function spiralWithFeatures(page: Page): Promise<void> {
  await page.getByLabel('Dataset').selectOption('spiral');
  for (const feature of ['x₁x₂', 'sin x₁', 'sin x₂']) {
    await page.getByRole('checkbox', { name: feature, exact: true }).check();
  }
  await page.getByLabel('Regularization').selectOption('l2');
  await page.getByLabel('Rate λ').fill('0.003');
  await page.getByLabel('Rate λ').blur();
  await page.getByRole('button', { name: 'Apply and start over' }).click();
  await expect(page.getByTestId('dataset-description')).toContainText(/spiral/i);
  await expect(page.getByTestId('output-heatmap')).toBeVisible();
}

test('the spiral with features: everyone sees the output heatmap change and the unit pictures', async ({
  browser,
}, testInfo) => {
  // Three views of a playing session in one browser: more than the default minute on a
  // loaded machine.
  test.setTimeout(180_000);
  const host = await person(browser, { viewport: { width: 1440, height: 900 } });
  const phone = await person(browser, PHONE_390);
  const laptop = await person(browser, { viewport: { width: 1280, height: 800 } });
  const code = await startSession(host.page);
  await joinSession(phone.page, code, 'Ada');
  await joinSession(laptop.page, code, 'Grace');
  await spiralWithFeatures(host.page);

  // The features are the input units, by name, in the diagram of every view.
  for (const page of [host.page, phone.page, laptop.page]) {
    await expect(page.getByRole('button', { name: /input unit 3 \(x₁x₂\)/ })).toBeVisible();
    await expect(page.getByTestId('unit-pictures').first()).toBeVisible();
  }
  const projector = await host.context.newPage();
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.goto(`/#/projector/${code}`);
  await projector.getByRole('button', { name: 'Show the network' }).click();
  await expect(projector.getByTestId('output-heatmap')).toBeVisible();

  // Both students, the phone and the laptop, see the heatmap change as the network learns.
  const before = [await heatmapPixels(phone.page), await heatmapPixels(laptop.page)];
  const unitsBefore = await unitPicturesPixels(phone.page);
  await host.page.getByRole('button', { name: 'Play' }).click();
  // The sticky status bar: the status line under it is scrolled away with the page's top,
  // and off screen it keeps what it showed while play goes on.
  await expect
    .poll(() => shownText(phone.page.getByTestId('student-status-bar')), { timeout: 30_000 })
    .toMatch(/Step [1-9]\d{2,}/);
  await host.page.getByRole('button', { name: 'Pause' }).click();
  await expect(statusLine(phone.page)).not.toContainText('playing');
  await expect.poll(() => heatmapPixels(phone.page)).not.toBe(before[0]);
  await expect.poll(() => heatmapPixels(laptop.page)).not.toBe(before[1]);
  // The units' own pictures (each over the plane, in its circle) changed with them.
  await expect.poll(() => unitPicturesPixels(phone.page)).not.toBe(unitsBefore);
  // The grid was evaluated and drawn off the phone's main thread: the heatmap's canvas is the
  // paint worker's (a canvas handed to a worker has no context on the page).
  expect(
    await phone.page.getByTestId('heatmap-canvas').evaluate((canvas: HTMLCanvasElement) => {
      try {
        canvas.getContext('2d');
        return false;
      } catch {
        return true;
      }
    }),
  ).toBe(true);
  await expect
    .poll(() => shownText(phone.page.getByTestId('heatmap-accuracy')))
    .toMatch(/Accuracy: train \d+%/);
  await expect(phone.page.getByTestId('heatmap-picture')).toHaveAttribute(
    'aria-label',
    // The share of blue comes from the paint worker, which evaluates the grid.
    /output over the input plane.*About \d+% of the plane is blue\..*Accuracy: train \d+%/,
  );

  // Tapping a hidden unit puts its picture in the heatmap's place.
  await phone.page
    .getByRole('button', { name: /^hidden 1 unit 2\b/i })
    .first()
    .tap();
  await expect(phone.page.getByTestId('heatmap-focus')).toContainText('hidden 1 unit 2');

  // The host's heatmap, paused: each toggle changes what is drawn; from the keyboard, Enter
  // on a unit of the diagram shows its picture (and again gives the place back).
  const heatmap = host.page.getByTestId('output-heatmap').first();
  const shown = await heatmapPixels(host.page);
  await heatmap.getByLabel('Discretize output').check();
  await expect.poll(() => heatmapPixels(host.page)).not.toBe(shown);
  const discrete = await heatmapPixels(host.page);
  await heatmap.getByLabel('Show test data').uncheck();
  await expect.poll(() => heatmapPixels(host.page)).not.toBe(discrete);
  await heatmap.getByLabel('Show test data').check();
  await heatmap.getByLabel('Discretize output').uncheck();
  await expect.poll(() => heatmapPixels(host.page)).toBe(shown);
  const unit = host.page.getByRole('button', { name: /^hidden 2 unit 1\b/i }).first();
  await unit.focus();
  await host.page.keyboard.press('Enter');
  await expect(heatmap.getByTestId('heatmap-focus')).toContainText('hidden 2 unit 1');
  await host.page.keyboard.press('Enter');
  await expect(heatmap.getByTestId('heatmap-focus')).toHaveCount(0);

  // Pictures are painted only where they are seen: bring the host's into view first.
  await host.page.getByTestId('output-heatmap').scrollIntoViewIfNeeded();
  await screenshot(host.page, testInfo, 'playground-host-1440x900');
  await screenshot(phone.page, testInfo, 'playground-phone-390x844');
  await screenshot(projector, testInfo, 'playground-projector-1920x1080');
  // The playground's views pass axe as the others do (a11y.spec.ts).
  await expectAccessible(host.page, 'playground host console', testInfo);
  await expectAccessible(phone.page, 'playground student view', testInfo);
  await expectAccessible(projector, 'playground projector', testInfo);
  // The big screen with the plane's heatmap and the unit pictures: read from the back row.
  const projected = await measureText(projector, 'main');
  expect(projected.small, `projector: text under ${BACK_ROW_PX} px`).toEqual([]);
  expect(projected.overflowY, 'projector: vertical overflow').toBeLessThanOrEqual(0);
  for (const p of [host, phone, laptop]) await p.context.close();
});

test('a dense network on the plane draws every unit picture on its canvas too', async ({
  browser,
}, testInfo) => {
  const host = await person(browser, { viewport: { width: 1440, height: 900 } });
  const phone = await person(browser, PHONE_390);
  const code = await startSession(host.page);
  await joinSession(phone.page, code, 'Ada');
  // 5-16-16-1 (the spiral comes with two hidden layers): 352 weights, past what the diagram
  // draws as elements (one canvas instead).
  await host.page.getByLabel('Dataset').selectOption('spiral');
  for (const feature of ['x₁x₂', 'sin x₁', 'sin x₂']) {
    await host.page.getByRole('checkbox', { name: feature, exact: true }).check();
  }
  await host.page.getByLabel('Units in hidden layer 1').fill('16');
  await host.page.getByLabel('Units in hidden layer 2').fill('16');
  await host.page.getByRole('button', { name: 'Apply and start over' }).click();
  await expect(phone.page.getByTestId('dense-diagram')).toBeVisible();
  await expect(phone.page.getByTestId('unit-pictures').first()).toBeVisible();
  // Painted (by the paint worker: the page reads the canvas's last frame): not blank.
  await unitPicturesPixels(phone.page);
  // A unit chosen in the dense diagram (here from its list) takes the heatmap's place.
  await phone.page.getByLabel('Inspect a unit').selectOption({ label: 'hidden 1 unit 3' });
  await expect(phone.page.getByTestId('heatmap-focus')).toContainText('hidden 1 unit 3');
  await screenshot(phone.page, testInfo, 'playground-dense-phone-390x844');
  for (const p of [host, phone]) await p.context.close();
});

test('a setup link starts a session with the same setup and the same first weights', async ({
  browser,
}) => {
  const first = await person(browser);
  await startSession(first.page);
  await spiralWithFeatures(first.page);
  await first.page.getByText('Share this setup').click();
  const link = await first.page.getByTestId('setup-link').inputValue();
  expect(link).toContain('dataset=spiral');
  expect(link).toContain('features=x1,x2,x1x2,sin1,sin2');
  expect(link).toContain('reg=l2&regRate=0.003');
  const original = await heatmapPixels(first.page);

  const second = await person(browser);
  await second.page.goto(link);
  await expect(second.page.getByTestId('linked-setup')).toContainText('Spiral');
  await second.page.getByRole('button', { name: 'Start a session' }).click();
  await expect(second.page).toHaveURL(/#\/host\/[A-Z0-9]{6}$/);
  await expect(second.page.getByLabel('Dataset')).toHaveValue('spiral');
  await expect(second.page.getByRole('checkbox', { name: 'sin x₂', exact: true })).toBeChecked();
  await expect(second.page.getByLabel('Regularization')).toHaveValue('l2');
  await expect(second.page.getByLabel('Rate λ')).toHaveValue('0.003');
  // Same seed, same features, same points: the very same picture at step 0.
  await expect.poll(() => heatmapPixels(second.page)).toBe(original);

  // A bad link says what is wrong and fills nothing.
  await second.page.goto('/#/?dataset=spiral&hidden=8&activations=tanh,sigmoid&seed=three');
  await expect(second.page.getByTestId('linked-setup-error')).toContainText('"seed"');
  await expect(second.page.getByTestId('linked-setup')).toHaveCount(0);
  for (const p of [first, second]) await p.context.close();
});
