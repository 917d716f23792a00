/**
 * What the class sees: the host shows a weight's chain rule to the class ("Show to class",
 * key C); the projector shows it beside the diagram, a student follows, leaves and rejoins.
 * The projector fits one screen at 1920×1080 and 1280×720, with text readable from the back.
 */
import { expect, test, type Page } from '@playwright/test';
import { PHONE, joinSession, person, screenshot, startSession } from './helpers';

/**
 * How far the page overflows the viewport (px, each way), and the smallest rendered text
 * inside `scope` (a CSS selector).
 */
async function measure(page: Page, scope: string) {
  return page.evaluate((scope) => {
    const doc = document.documentElement;
    let smallest = Infinity;
    let smallestText = '';
    const root = document.querySelector(scope) ?? document.body;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const element = node.parentElement;
      if (!text || !element || element.closest('.visually-hidden, title, desc, style')) continue;
      const rects = Array.from(element.getClientRects());
      if (!rects.some((r) => r.width > 0 && r.height > 0)) continue;
      // An SVG's text is scaled with its viewBox: its rendered size is its box's height.
      const size =
        element instanceof SVGElement
          ? element.getBoundingClientRect().height / 1.15
          : parseFloat(getComputedStyle(element).fontSize);
      if (size < smallest) {
        smallest = size;
        smallestText = text.slice(0, 40);
      }
    }
    const below = Array.from(document.querySelectorAll('body *'))
      .filter((e) => e.getBoundingClientRect().bottom > innerHeight + 1)
      .slice(0, 4)
      .map((e) => `${e.tagName}.${e.getAttribute('class') ?? ''}`);
    return {
      below,
      overflowX: doc.scrollWidth - doc.clientWidth,
      overflowY: doc.scrollHeight - doc.clientHeight,
      smallest,
      smallestText,
    };
  }, scope);
}

test('the host shows a weight to the class; the projector fits one screen', async ({
  browser,
}, testInfo) => {
  const host = await person(browser);
  const code = await startSession(host.page, 'Back row test');
  const student = await person(browser, PHONE);
  await joinSession(student.page, code, 'Ada');
  const projector = await host.context.newPage();
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.goto(`/#/projector/${code}`);
  await expect(projector.getByTestId('status-line')).toBeVisible({ timeout: 20_000 });

  // A batch step, so the chain rule has numbers.
  await host.page.getByRole('button', { name: 'Batch', exact: true }).click();
  await expect(host.page.getByTestId('status-line')).toContainText('Step 1');

  // Pick the first weight in the host's diagram, then "Show to class".
  await host.page.getByRole('button', { name: /^w¹₁₁/ }).first().click();
  await host.page.getByRole('button', { name: 'Show to class' }).click();
  await expect(host.page.getByTestId('show-to-class')).toContainText('The class sees w¹₁₁');

  await expect(projector.getByTestId('projector-focus')).toContainText('w¹₁₁');
  const follow = student.page.getByTestId('class-focus');
  await expect(follow).toHaveAttribute('data-following', 'true');
  await expect(student.page.getByTestId('inspector')).toHaveAttribute('data-selected', 'weight');
  await follow.getByRole('button', { name: 'Leave' }).click();
  await expect(follow).toHaveAttribute('data-following', 'false');
  await expect(student.page.getByTestId('inspector')).toHaveAttribute('data-selected', 'none');
  await follow.getByRole('button', { name: 'Follow' }).click();
  await expect(follow).toHaveAttribute('data-following', 'true');

  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
  ] as const) {
    await projector.setViewportSize({ width, height });
    await expect(projector.getByTestId('projector-focus')).toBeVisible();
    await screenshot(projector, testInfo, `projector-focus-${width}x${height}`);
    const m = await measure(projector, 'main');
    expect(m.overflowX, `${width}×${height}: horizontal overflow`).toBeLessThanOrEqual(0);
    expect(
      m.overflowY,
      `${width}×${height}: vertical overflow ${m.below.join(' ')}`,
    ).toBeLessThanOrEqual(0);
    await expect(projector.locator('svg.network')).toBeInViewport({ ratio: 1 });
    await expect(projector.locator('.charts')).toBeInViewport({ ratio: 1 });
    const focus = await measure(projector, '[data-testid="projector-focus"]');
    for (const [what, found] of [
      ['whole page', m],
      ['focus inspector', focus],
    ] as const) {
      testInfo.annotations.push({
        type: 'smallest text',
        description: `${width}×${height} ${what}: ${found.smallest.toFixed(1)} px ("${found.smallestText}")`,
      });
    }
    // The inspector the host shows is read from the back row. (The diagram's numbers and
    // the charts' axes are still smaller: see the annotations.)
    if (height === 1080) expect(focus.smallest).toBeGreaterThanOrEqual(20);
  }

  // The C key stops showing: one key, and everyone's screens follow.
  await host.page.locator('body').press('c');
  await expect(projector.getByTestId('projector-focus')).toHaveCount(0);
  await expect(student.page.getByTestId('class-focus')).toHaveCount(0);

  for (const p of [host, student]) await p.context.close();
});

test('participation cards on the projector: one screen still, and the host puts them away', async ({
  browser,
}, testInfo) => {
  const host = await person(browser);
  const code = await startSession(host.page, 'Cards test');
  const projector = await host.context.newPage();
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.goto(`/#/projector/${code}`);
  await expect(projector.getByTestId('status-line')).toBeVisible({ timeout: 20_000 });
  const panel = host.page.getByTestId('class-panel');

  await projector.getByRole('button', { name: 'Show the network' }).click();
  // The class proposes, a question is revealed, then a race: three cards, the race newest.
  await panel.getByTestId('proposals-toggle').click();
  await expect(projector.getByRole('heading', { name: 'Proposed learning rates' })).toBeVisible();
  await panel.getByRole('tab', { name: /Quiz/ }).click();
  await panel.getByLabel('Question', { exact: true }).selectOption('direction');
  await panel.getByTestId('quiz-open').click();
  await panel.getByTestId('quiz-reveal').click();
  const answer = projector.getByRole('heading', { name: 'Question 1: the answer' });
  await expect(answer).toBeVisible();
  await panel.getByRole('tab', { name: /Race/ }).click();
  for (const [k, rate] of ['0.01', '0.1'].entries()) {
    await panel.getByRole('textbox', { name: `Rate ${k + 1}` }).fill(rate);
  }
  await panel.getByLabel('Steps each').fill('50');
  await panel.getByTestId('race-start').click();
  const race = projector.getByTestId('race');
  await expect(race).toHaveAttribute('data-status', 'finished', { timeout: 20_000 });
  // The older result folds to its title: the newest card is in view, not scrolled away.
  await expect(
    projector.getByRole('button', { name: 'Show Question 1: the answer' }),
  ).toBeVisible();

  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
  ] as const) {
    await projector.setViewportSize({ width, height });
    await screenshot(projector, testInfo, `projector-cards-${width}x${height}`);
    const m = await measure(projector, 'main');
    expect(m.overflowX, `${width}×${height}: horizontal overflow`).toBeLessThanOrEqual(0);
    expect(
      m.overflowY,
      `${width}×${height}: vertical overflow ${m.below.join(' ')}`,
    ).toBeLessThanOrEqual(0);
    await expect(projector.locator('svg.network')).toBeInViewport({ ratio: 1 });
    await expect(
      projector.getByRole('heading', { name: 'Learning-rate race' }),
      `${width}×${height}: the race's card`,
    ).toBeInViewport();
  }

  // The finished race can be put away on the projector itself, and in the host's panel.
  await projector.getByRole('button', { name: 'Hide Learning-rate race' }).click();
  await expect(race).toHaveCount(0);
  await panel.getByRole('tab', { name: /Race/ }).click();
  await panel.getByTestId('race-hide').click();
  await expect(panel.getByTestId('race')).toHaveCount(0);
  // The host takes every card off the projector with one click, and brings them back.
  const toggle = host.page.getByTestId('projector-cards-toggle');
  await toggle.click();
  await expect(projector.getByTestId('projector-participation')).toHaveCount(0);
  await expect(toggle).toHaveText('Show');
  await toggle.click();
  await expect(projector.getByRole('heading', { name: 'Proposed learning rates' })).toBeVisible();

  await host.context.close();
});
