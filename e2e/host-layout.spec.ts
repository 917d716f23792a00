import { expect, test, type Locator, type Page } from '@playwright/test';
import { joinClass } from './class-sockets';
import {
  expectNoHorizontalScroll,
  firstScreen,
  person,
  screenshot,
  startSession,
  statusLine,
} from './helpers';

/** A class of thirty: a long students list is what pushed the chart down before. */
const NAMES = Array.from({ length: 30 }, (_, i) => `Student ${String(i + 1).padStart(2, '0')}`);

/** Wholly inside the first screen, without scrolling (the page is at its top). */
async function expectOnFirstScreen(page: Page, what: Locator, label: string): Promise<void> {
  const box = await what.boundingBox();
  const viewport = page.viewportSize();
  expect(box, `${label} is laid out`).not.toBeNull();
  expect(viewport).not.toBeNull();
  if (!box || !viewport) return;
  expect(box.y, `${label}: top`).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, `${label}: bottom within ${viewport.height} px`).toBeLessThanOrEqual(
    viewport.height,
  );
  expect(box.x + box.width, `${label}: right edge`).toBeLessThanOrEqual(viewport.width);
}

const regions = (page: Page) => ({
  controls: page.getByRole('group', { name: 'Step training' }),
  status: statusLine(page),
  diagram: page.getByRole('group', { name: /^Network diagram/ }),
  loss: page.getByRole('region', { name: 'Loss over training steps' }),
  students: page.getByRole('list', { name: 'Students in this session' }),
  studentsHeading: page.getByRole('heading', { name: /^Students/ }),
});

test('host console at 1440×900: controls, diagram, loss chart and students on the first screen', async ({
  browser,
  baseURL,
}, testInfo) => {
  const host = await person(browser, { viewport: { width: 1440, height: 900 } });
  const code = await startSession(host.page);
  const students = await joinClass(baseURL ?? '', code, NAMES);
  try {
    await expect(host.page.getByTestId('participant')).toHaveCount(NAMES.length);
    for (let i = 0; i < 3; i++) await host.page.getByRole('button', { name: 'Epoch' }).click();
    await expect(statusLine(host.page)).toContainText(/epoch 3\b/);

    const page = host.page;
    const r = regions(page);
    await expect(r.loss.locator('canvas').first()).toBeVisible();
    for (const [label, locator] of Object.entries(r)) {
      await expectOnFirstScreen(page, locator, label);
    }
    // The class panel starts on the first screen too: its tabs are in reach.
    await expectOnFirstScreen(
      page,
      page.getByRole('tablist', { name: 'Class participation' }),
      'class tabs',
    );
    await expectNoHorizontalScroll(page);
    await firstScreen(page, testInfo, 'host-1440x900-first-screen');
    await screenshot(page, testInfo, 'host-1440x900');

    // A selected weight's chain rule opens beside the diagram, on the same screen.
    await page.getByRole('button', { name: /^w¹₁₁/ }).first().click();
    const inspector = page.getByTestId('inspector');
    await expect(inspector).toHaveAttribute('data-selected', 'weight');
    await expectOnFirstScreen(page, inspector.getByRole('heading').first(), 'inspector heading');
    await expectOnFirstScreen(
      page,
      page.getByRole('button', { name: 'Show to class' }),
      'show to class',
    );
    await expectOnFirstScreen(page, r.loss, 'loss with a weight selected');
    await screenshot(page, testInfo, 'host-1440x900-weight');
  } finally {
    students.close();
    await host.context.close();
  }
});

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
]) {
  test(`host console at ${viewport.width}×${viewport.height}: loss chart and students on the first screen`, async ({
    browser,
    baseURL,
  }, testInfo) => {
    const host = await person(browser, { viewport });
    const code = await startSession(host.page);
    const students = await joinClass(baseURL ?? '', code, NAMES.slice(0, 12));
    try {
      await expect(host.page.getByTestId('participant')).toHaveCount(12);
      const r = regions(host.page);
      for (const label of ['controls', 'status', 'loss', 'studentsHeading'] as const) {
        await expectOnFirstScreen(host.page, r[label], label);
      }
      await expectNoHorizontalScroll(host.page);
      await firstScreen(
        host.page,
        testInfo,
        `host-${viewport.width}x${viewport.height}-first-screen`,
      );
      await screenshot(host.page, testInfo, `host-${viewport.width}x${viewport.height}`);
    } finally {
      students.close();
      await host.context.close();
    }
  });
}

test('host console on a tablet held upright: one column, nothing wider than the screen', async ({
  browser,
}, testInfo) => {
  const host = await person(browser, {
    viewport: { width: 768, height: 1024 },
    isMobile: true,
    hasTouch: true,
  });
  try {
    await startSession(host.page);
    const r = regions(host.page);
    await expectOnFirstScreen(host.page, r.controls, 'controls');
    await expect(r.loss).toBeVisible();
    // In one column the loss chart stays with the numbers, above the class and the settings.
    const loss = await r.loss.boundingBox();
    const students = await r.studentsHeading.boundingBox();
    expect(loss && students && loss.y < students.y).toBe(true);
    await expectNoHorizontalScroll(host.page);
    await screenshot(host.page, testInfo, 'host-768x1024');
  } finally {
    await host.context.close();
  }
});
