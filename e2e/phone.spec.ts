import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import {
  PHONE,
  expectAccessible,
  expectNoHorizontalScroll,
  firstScreen,
  joinSession,
  person,
  screenshot,
  shownText,
  startSession,
  statusLine,
} from './helpers';

/** The two small phones the issue names: an iPhone SE-sized one and a small Android. */
const PHONES = [
  { name: 'se', ...PHONE },
  { name: 'android', ...PHONE, viewport: { width: 360, height: 640 } },
] as const;

/** Inside the first screen: the whole box is visible without scrolling the page. */
async function expectInFirstScreen(page: Page, target: Locator, what: string): Promise<void> {
  await expect(target).toBeVisible();
  const scrolled = await page.evaluate(() => window.scrollY);
  expect(scrolled, 'the page was not scrolled').toBe(0);
  const box = await target.boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, what).not.toBeNull();
  expect(box!.y, `${what}: top`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${what}: bottom within ${viewport.height} px`).toBeLessThanOrEqual(
    viewport.height,
  );
}

/** The smallest text in the diagram, in CSS pixels as drawn (viewBox scale included). */
function smallestDiagramText(page: Page): Promise<{ px: number; text: string }> {
  return page.locator('svg.network').evaluate((svg: SVGSVGElement) => {
    const scale = svg.getScreenCTM()?.a ?? 1;
    return [...svg.querySelectorAll('text')]
      .filter((t) => t.textContent?.trim())
      .map((t) => ({ px: parseFloat(getComputedStyle(t).fontSize) * scale, text: t.textContent! }))
      .reduce((a, b) => (b.px < a.px ? b : a));
  });
}

/** A host's session with one phone joined as `name`. */
async function sessionWithPhone(browser: Browser, name: string) {
  const host = await person(browser);
  const code = await startSession(host.page);
  const phone = await person(browser, PHONE);
  await joinSession(phone.page, code, name);
  return { host, phone };
}

test('on a phone the current activity is in the first screen, the diagram beside it, readable', async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  const host = await person(browser);
  const code = await startSession(host.page);
  const phones = [];
  for (const { name, ...options } of PHONES) {
    const phone = await person(browser, options);
    await joinSession(phone.page, code, name === 'se' ? 'Grace 👩🏽‍💻' : 'Alan');
    phones.push({ name, ...phone });
  }
  const panel = host.page.getByTestId('class-panel');

  // The emoji name keeps its zero-width joiner: one picture, not two.
  await expect(phones[0]!.page.getByTestId('my-name')).toHaveText('Grace 👩🏽‍💻');

  // A question: its answer button is in the first screen, the diagram it asks about next.
  await panel.getByRole('tab', { name: /Quiz/ }).click();
  await panel.getByLabel('Question', { exact: true }).selectOption('direction');
  await panel.getByLabel('Time to answer (seconds)').fill('120');
  await panel.getByTestId('quiz-open').click();
  for (const { name, page } of phones) {
    const card = page.getByTestId('quiz-card');
    await expect(card.getByTestId('quiz-question')).toContainText('Will w¹₁₁ go up');
    await expect(page.getByTestId('class-activity')).toHaveText('Question 1: answer now');
    await expectInFirstScreen(
      page,
      card.getByRole('radio', { name: 'up', exact: true }),
      'the first answer',
    );
    const cardBox = (await card.boundingBox())!;
    const diagramBox = (await page.locator('svg.network').boundingBox())!;
    expect(
      diagramBox.y - (cardBox.y + cardBox.height),
      'diagram right under the question',
    ).toBeLessThan(120);
    await firstScreen(page, testInfo, `phone-${name}-quiz`);
  }
  const grace = phones[0]!.page;
  await grace.getByTestId('quiz-card').getByRole('radio', { name: 'up', exact: true }).check();
  await grace.getByTestId('quiz-card').getByRole('button', { name: 'Send answer' }).click();
  await expect(grace.getByTestId('quiz-card').getByTestId('quiz-message')).toContainText(
    'Answer sent',
  );
  await panel.getByTestId('quiz-reveal').click();
  await expect(grace.getByTestId('quiz-truth')).toBeVisible();
  // The newest result is open while nothing else asks for anything.
  await expect(grace.getByTestId('quiz-card')).toHaveAttribute('data-folded', 'false');

  // Stepping together: the Ready button in the sticky bar, the card first, the old result folded.
  await panel.getByRole('tab', { name: /Class steps/ }).click();
  await panel.getByTestId('class-steps-enabled').check();
  for (const { name, page } of phones) {
    await expect(page.getByTestId('class-steps-card')).toBeVisible();
    await expect(page.getByTestId('quiz-card')).toHaveAttribute('data-folded', 'true');
    const cards = page.locator('[data-testid="class-steps-card"], [data-testid="quiz-card"]');
    await expect(cards.first()).toHaveAttribute('data-testid', 'class-steps-card');
    await expectInFirstScreen(
      page,
      page.getByTestId('bar-ready-button'),
      'the Ready button in the bar',
    );
    await expectInFirstScreen(
      page,
      page.getByTestId('ready-button'),
      'the Ready button in the card',
    );
    await firstScreen(page, testInfo, `phone-${name}-class-steps`);
    await expectNoHorizontalScroll(page);
  }
  // The bar's button and the card's are one readiness: pressing one presses both.
  await grace.getByTestId('bar-ready-button').click();
  await expect(grace.getByTestId('ready-button')).toHaveAttribute('aria-pressed', 'true');
  await expect(host.page.getByTestId('class-steps-status').first()).toHaveText(/^1 of 2 ready/);
  // The bar stays in view however far the page scrolls.
  await grace.mouse.wheel(0, 2000);
  await expect.poll(() => grace.evaluate(() => window.scrollY)).toBeGreaterThan(500);
  const bar = (await grace.getByTestId('student-status-bar').boundingBox())!;
  expect(bar.y).toBe(0);
  await grace.evaluate(() => window.scrollTo(0, 0));

  // The diagram's numbers are at least 11 px and its units a finger wide; the whole
  // network is one tap away.
  for (const { page } of phones) {
    const smallest = await smallestDiagramText(page);
    expect(smallest.px, `the smallest text, "${smallest.text}"`).toBeGreaterThanOrEqual(11);
    const unit = (await page.locator('svg.network .unit-circle').first().boundingBox())!;
    expect(Math.min(unit.width, unit.height)).toBeGreaterThanOrEqual(44);
    const zoom = page.getByTestId('diagram-zoom');
    await zoom.click();
    await expect(zoom).toHaveText('Zoom in to read the numbers');
    const svg = (await page.locator('svg.network').boundingBox())!;
    expect(svg.width).toBeLessThanOrEqual(page.viewportSize()!.width);
    await zoom.click();
  }
  await expectAccessible(grace, 'student view on a phone during class steps', testInfo);

  // A race starts: it comes first, above the folded question.
  await panel.getByTestId('class-steps-enabled').uncheck();
  await panel.getByRole('tab', { name: /Race/ }).click();
  await panel.getByLabel('Steps each').fill('2000');
  await panel.getByTestId('race-start').click();
  for (const { name, page } of phones) {
    await expectInFirstScreen(page, page.getByTestId('race-card').getByRole('heading'), 'the race');
    await firstScreen(page, testInfo, `phone-${name}-race`);
  }

  for (const p of [host, ...phones]) await p.context.close();
});

test('fast play on a phone: the diagram is drawn off the main thread, its numbers back at pause', async ({
  browser,
}, testInfo) => {
  const { host, phone } = await sessionWithPhone(browser, 'Ada');
  const diagram = phone.page.locator('svg.network');
  const picture = phone.page.getByTestId('fast-play-picture');
  await expect(diagram.locator('.bias text').first()).toBeVisible();

  // The default speed (10 steps/s) is faster than a number can be read.
  await host.page.getByRole('button', { name: 'Play' }).click();
  await expect(picture).toBeVisible();
  await expect(phone.page.getByTestId('fast-play-note')).toBeVisible();
  await expect(diagram.locator('.bias')).toHaveCount(0);
  expect(
    await phone.page.evaluate(() =>
      performance.getEntriesByType('resource').some((e) => e.name.includes('paint-worker')),
    ),
    'the page loaded the paint worker',
  ).toBe(true);
  // The worker's canvas holds the weights: the SVG alone (static in play) looks different.
  const drawing = phone.page.locator('figure.diagram .scroller');
  await screenshot(phone.page, testInfo, 'phone-fast-play-390x844');
  const painted = await drawing.screenshot();
  await picture.evaluate((canvas: HTMLCanvasElement) => (canvas.style.visibility = 'hidden'));
  expect(painted.equals(await drawing.screenshot()), 'the picture draws the edges').toBe(false);

  await host.page.getByRole('button', { name: 'Pause' }).click();
  await expect(picture).toHaveCount(0);
  await expect(diagram.locator('.bias text').first()).toBeVisible();
  await expect(phone.page.getByTestId('fast-play-note')).toHaveCount(0);
});

test('in play a phone announces step and loss to screen readers every five seconds, the page unchanged', async ({
  browser,
}) => {
  const host = await person(browser);
  const code = await startSession(host.page);
  const phone = await person(browser, PHONE);
  // What the page hands to assistive technology (ariaNotify, client/src/lib/view/announcer.ts).
  await phone.page.addInitScript(() => {
    type Notify = (this: Document, text: string, options?: object) => void;
    const said: [number, string][] = [];
    (window as unknown as { said: typeof said }).said = said;
    const prototype = Document.prototype as unknown as { ariaNotify: Notify };
    const notify = prototype.ariaNotify;
    prototype.ariaNotify = function (text, options) {
      said.push([performance.now(), text]);
      notify.call(this, text, options);
    };
  });
  await joinSession(phone.page, code, 'Ada');
  const said = () =>
    phone.page.evaluate(() => (window as unknown as { said: [number, string][] }).said);
  await expect.poll(async () => (await said()).length, 'the summary at once').toBeGreaterThan(0);

  await host.page.getByRole('button', { name: 'Play' }).click();
  await expect
    .poll(async () => (await said()).filter(([, text]) => /Step [1-9]/.test(text)).length, {
      timeout: 15_000,
    })
    .toBeGreaterThanOrEqual(2);
  const announced = await said();
  for (let k = 1; k < announced.length; k++)
    expect(announced[k]![0] - announced[k - 1]![0], 'at most every five seconds').toBeGreaterThan(
      4_900,
    );
  expect(announced.at(-1)![1]).toMatch(/^Step \d+.*loss/);
  // Nothing on the page changes for it: no live region to fill.
  await expect(phone.page.getByTestId('live-summary')).toHaveCount(0);
  await host.page.getByRole('button', { name: 'Pause' }).click();
  for (const p of [host, phone]) await p.context.close();
});

/** The step the phone's status bar says (it takes every state of play shown). */
async function barStep(page: Page): Promise<number> {
  const text = await shownText(page.getByTestId('student-status-bar'));
  return Number(/Step ([\d,]+)/.exec(text)?.[1]?.replaceAll(',', '') ?? NaN);
}

test('in play a panel off screen keeps what it showed; scrolled into view it follows play', async ({
  browser,
}) => {
  const { host, phone } = await sessionWithPhone(browser, 'Ada');
  const numbers = phone.page
    .getByRole('heading', { name: 'Numbers', exact: true })
    .locator('xpath=..');
  await host.page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(() => barStep(phone.page)).toBeGreaterThan(0);

  // The numbers panel is below the first screen of a phone: it shows what it had.
  await phone.page.evaluate(() => window.scrollTo(0, 0));
  const box = await numbers.boundingBox();
  expect(box!.y, 'the numbers panel starts below the first screen').toBeGreaterThan(
    phone.page.viewportSize()!.height,
  );
  const offScreen = await shownText(numbers);
  const from = await barStep(phone.page);
  await expect.poll(() => barStep(phone.page), { timeout: 20_000 }).toBeGreaterThan(from + 20);
  expect(await shownText(numbers), 'twenty steps later, off screen').toBe(offScreen);

  // In view it takes the newest state at once, and follows play.
  await numbers.scrollIntoViewIfNeeded();
  await expect.poll(() => shownText(numbers)).not.toBe(offScreen);
  const inView = await shownText(numbers);
  await expect.poll(() => shownText(numbers), { timeout: 20_000 }).not.toBe(inView);

  // So does the status line under the bar, scrolled away with the top of the page (the
  // sticky bar keeps the step): what it draws stays, and back in view it follows play.
  const line = statusLine(phone.page);
  const lineBox = await line.boundingBox();
  expect(lineBox!.y + lineBox!.height, 'the status line is above the screen').toBeLessThan(0);
  const lineOff = await shownText(line, { drawn: true });
  const at = await barStep(phone.page);
  await expect.poll(() => barStep(phone.page), { timeout: 20_000 }).toBeGreaterThan(at + 20);
  expect(await shownText(line, { drawn: true }), 'twenty steps later, off screen').toBe(lineOff);
  await phone.page.evaluate(() => window.scrollTo(0, 0));
  await expect.poll(() => shownText(line, { drawn: true })).not.toBe(lineOff);
  await host.page.getByRole('button', { name: 'Pause' }).click();

  // The bar's figures are drawn (canvases the paint worker has): hidden, the bar looks
  // different. Paused, they stay put once the final state is shown.
  const figures = phone.page.getByTestId('student-status-bar').locator('.figures');
  await phone.page.evaluate(() => window.scrollTo(0, 0));
  await expect
    .poll(async () => (await figures.screenshot()).equals(await figures.screenshot()))
    .toBe(true);
  const drawn = await figures.screenshot();
  await figures
    .locator('canvas')
    .evaluateAll((all) => all.forEach((c) => ((c as HTMLElement).style.visibility = 'hidden')));
  expect(drawn.equals(await figures.screenshot()), 'the figures are drawn').toBe(false);
  for (const p of [host, phone]) await p.context.close();
});

test('a hidden tab takes no frames of play; shown again, it shows the newest at once', async ({
  browser,
}) => {
  const host = await person(browser);
  const code = await startSession(host.page);
  const phone = await person(browser, PHONE);
  // Headless Chromium's tabs are always visible: the test sets the tab's visibility itself,
  // and counts the messages of play frames that reach the page from its socket worker.
  await phone.context.addInitScript(() => {
    const w = window as unknown as { tabHidden: boolean; framesTaken: number };
    w.tabHidden = false;
    w.framesTaken = 0;
    Object.defineProperty(Document.prototype, 'visibilityState', {
      get: () => (w.tabHidden ? 'hidden' : 'visible'),
    });
    const PageWorker = window.Worker;
    window.Worker = class extends PageWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener('message', ({ data }) => {
          const events =
            data?.event === 'session:events' ? (data.args[0] as { type: string }[]) : [];
          if (events.some((e) => e.type === 'frame')) w.framesTaken++;
        });
      }
    };
  });
  await joinSession(phone.page, code, 'Ada');
  const taken = () =>
    phone.page.evaluate(() => (window as unknown as { framesTaken: number }).framesTaken);
  const hostStep = async () =>
    Number(/Step (\d+)/.exec((await statusLine(host.page).textContent()) ?? '')?.[1] ?? NaN);
  const setHidden = (hidden: boolean) =>
    phone.page.evaluate((hidden) => {
      (window as unknown as { tabHidden: boolean }).tabHidden = hidden;
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);

  await host.page.getByRole('button', { name: 'Play' }).click();
  await expect.poll(taken).toBeGreaterThan(2);
  await setHidden(true);
  const atHiding = await taken();
  const stepAtHiding = await hostStep();
  // Two seconds of play (10 steps a second): a frame already on its way may still arrive.
  await expect.poll(hostStep, { timeout: 20_000 }).toBeGreaterThan(stepAtHiding + 20);
  expect(await taken(), 'frames taken by the hidden tab').toBeLessThanOrEqual(atHiding + 1);

  await setHidden(false);
  const stepAtShowing = await hostStep();
  await expect.poll(() => barStep(phone.page)).toBeGreaterThanOrEqual(stepAtShowing);
  expect(await taken()).toBeGreaterThan(atHiding);
  await host.page.getByRole('button', { name: 'Pause' }).click();
  for (const p of [host, phone]) await p.context.close();
});

test('on a phone a tap on the loss chart reads its step until a touch elsewhere', async ({
  browser,
}, testInfo) => {
  const { host, phone } = await sessionWithPhone(browser, 'Ada');
  await host.page.getByRole('heading', { name: 'Learning' }).click();
  for (let k = 0; k < 3; k++) await host.page.keyboard.press('n');
  await expect(statusLine(phone.page)).toHaveText(/^Step 3,/);

  const chart = phone.page.getByRole('region', { name: 'Loss over training steps' });
  const canvas = chart.locator('[data-points] canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  await canvas.tap({ position: { x: box.width - 12, y: box.height / 2 } });
  const readout = chart.getByTestId('chart-readout');
  await expect(readout).toContainText('step 3');
  await expect(readout).toContainText(/training loss \S*\d/);
  const path = testInfo.outputPath('phone-loss-chart-readout.png');
  await chart.screenshot({ path });
  await testInfo.attach('phone-loss-chart-readout', { path, contentType: 'image/png' });
  // The finger has lifted: the readout stays until a touch elsewhere.
  await expect(readout).toBeVisible();
  await statusLine(phone.page).tap();
  await expect(readout).toBeHidden();
  for (const p of [host, phone]) await p.context.close();
});
