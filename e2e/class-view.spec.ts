/**
 * What the class sees: the host shows a weight's chain rule to the class ("Show to class",
 * key C); the projector shows it beside the diagram, a student follows, leaves and rejoins.
 * The projector fits one screen at 1920×1080 and 1280×720, with text readable from the back.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  BACK_ROW_PX,
  expectChartDrawn,
  raceChartWhenFinished,
  PHONE,
  joinSession,
  measureText,
  person,
  screenshot,
  startSession,
} from './helpers';

/** The projector's page at this size: no scrolling either way; its text, measured. */
async function expectOneScreen(projector: Page, width: number, height: number) {
  const m = await measureText(projector, 'main');
  expect(m.overflowX, `${width}×${height}: horizontal overflow`).toBeLessThanOrEqual(0);
  expect(
    m.overflowY,
    `${width}×${height}: vertical overflow ${m.below.join(' ')}`,
  ).toBeLessThanOrEqual(0);
  return m;
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

  // Before training the join card fills the screen: read from the back row too.
  await expect(projector.getByRole('region', { name: 'How to join', exact: true })).toBeVisible();
  const joining = await measureText(projector, 'main');
  expect(joining.small, 'projector join screen: text under 24 px').toEqual([]);
  expect(joining.overflowY, 'projector join screen: vertical overflow').toBeLessThanOrEqual(0);

  // A batch step, so the chain rule has numbers.
  await host.page.getByRole('button', { name: 'Batch', exact: true }).click();
  await expect(host.page.getByTestId('status-line')).toContainText('Step 1');

  // Before the host shows anything the numbers sit beside the diagram: as readable.
  await expect(projector.getByTestId('status-line')).toContainText('Step 1');
  const idle = await measureText(projector, 'main');
  expect(idle.small, 'projector with the numbers: text under 24 px').toEqual([]);
  expect(idle.overflowY, 'projector with the numbers: vertical overflow').toBeLessThanOrEqual(0);
  await screenshot(projector, testInfo, 'projector-numbers-1920x1080');

  // Hovering a unit outlines it, darker and thicker, and never washes it out (issue 10 §6).
  const unit = host.page.getByRole('button', { name: /^output unit 1/ });
  const look = () =>
    unit.locator('.unit-circle').evaluate((circle) => {
      const style = getComputedStyle(circle);
      const faded = [circle, ...Array.from(document.querySelectorAll('svg.network, .unit'))]
        .map((e) => Number(getComputedStyle(e).opacity))
        .some((opacity) => opacity < 1);
      return { fill: style.fill, stroke: style.stroke, width: style.strokeWidth, faded };
    });
  const resting = await look();
  await unit.hover();
  await expect.poll(async () => (await look()).width).toBe('3px');
  expect(await look()).toEqual({
    fill: resting.fill,
    stroke: 'rgb(26, 26, 26)',
    width: '3px',
    faded: false,
  });
  expect(resting.width).toBe('1.5px');

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
  // Left, the student still sees what the class looks at: marked in words, not only colour.
  const shown = student.page.getByRole('button', { name: /^w¹₁₁/ }).first();
  await expect(student.page.getByTestId('class-focus-mark')).toHaveText('instructor');
  await expect(shown).toHaveAttribute('aria-label', /shown by the instructor/);
  await expect(shown).toHaveAttribute('aria-pressed', 'false');
  // Their own pick is theirs: another weight, while the mark stays on the class's.
  const own = student.page.getByRole('button', { name: /^w²₁₁/ }).first();
  await own.tap();
  await expect(own).toHaveAttribute('aria-pressed', 'true');
  await expect(student.page.getByTestId('inspector')).toContainText('w²₁₁');
  await expect(shown).toHaveAttribute('aria-label', /shown by the instructor/);
  await expect(student.page.getByTestId('class-focus-mark')).toHaveCount(1);
  await expect(follow).toHaveAttribute('data-following', 'false');
  const diagramShot = testInfo.outputPath('student-left-follow.png');
  await student.page.locator('figure.diagram').screenshot({ path: diagramShot });
  await testInfo.attach('student-left-follow', { path: diagramShot, contentType: 'image/png' });
  await follow.getByRole('button', { name: 'Follow' }).click();
  await expect(follow).toHaveAttribute('data-following', 'true');
  await expect(shown).toHaveAttribute('aria-pressed', 'true');

  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
  ] as const) {
    await projector.setViewportSize({ width, height });
    await expect(projector.getByTestId('projector-focus')).toBeVisible();
    await screenshot(projector, testInfo, `projector-focus-${width}x${height}`);
    const m = await expectOneScreen(projector, width, height);
    await expect(projector.locator('svg.network')).toBeInViewport({ ratio: 1 });
    await expect(projector.locator('.charts')).toBeInViewport({ ratio: 1 });
    testInfo.annotations.push({
      type: 'smallest text',
      description: `${width}×${height}: ${m.smallest.toFixed(1)} px ("${m.smallestText}")`,
    });
    // Read from the back row: every text of the page, the diagram's numbers, the stage
    // captions and the charts' axes included.
    if (height === 1080)
      expect(m.small, `${width}×${height}: text under ${BACK_ROW_PX} px`).toEqual([]);
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
  // Its curves are drawn in the very frame that says it finished, not a redraw later.
  const finished = await raceChartWhenFinished(projector);
  expect(finished.points, 'points in the finished race').toBeGreaterThan(0);
  expect(finished.drawn, 'points drawn when the race says finished').toBe(finished.points);
  // A fork's legend entry hides its line, and shows it again (as uPlot's legend did).
  const fork = race.getByRole('button', { name: 'α 0.1', exact: true });
  await expect(fork).toHaveAttribute('aria-pressed', 'true');
  await fork.click();
  await expect(fork).toHaveAttribute('aria-pressed', 'false');
  const plot = race.locator('[data-points]');
  await expect(plot).not.toHaveAttribute('data-points', String(finished.points));
  const oneLine = Number(await plot.getAttribute('data-points'));
  expect(oneLine, 'points of the line left').toBeGreaterThan(0);
  expect(oneLine, 'points of the line left').toBeLessThan(finished.points);
  await expectChartDrawn(race, 'the race chart with one fork hidden');
  await fork.click();
  await expect(plot).toHaveAttribute('data-points', String(finished.points));
  await expectChartDrawn(race, 'the race chart with both forks again');
  // The older result folds to its title: the newest card is in view, not scrolled away.
  await expect(
    projector.getByRole('button', { name: 'Show Question 1: the answer' }),
  ).toBeVisible();

  for (const [width, height] of [
    [1920, 1080],
    [1280, 720],
  ] as const) {
    await projector.setViewportSize({ width, height });
    // A new size rebuilds the chart (its axes' text follows the page): still with its curves.
    await expectChartDrawn(race, `the race chart at ${width}×${height}`);
    await screenshot(projector, testInfo, `projector-cards-${width}x${height}`);
    const m = await expectOneScreen(projector, width, height);
    if (height === 1080) expect(m.small, 'text under 24 px beside the cards').toEqual([]);
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
