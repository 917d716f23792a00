import AxeBuilder from '@axe-core/playwright';
import {
  expect,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
  type TestInfo,
} from '@playwright/test';

/** A phone as a student holds it: small portrait screen, touch, mobile viewport rules. */
export const PHONE = {
  viewport: { width: 375, height: 667 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const;

export const LAPTOP = { viewport: { width: 1280, height: 800 } } as const;

export interface Person {
  context: BrowserContext;
  page: Page;
}

/** A browser context of its own (separate storage: a separate person). */
export async function person(
  browser: Browser,
  options: BrowserContextOptions = LAPTOP,
): Promise<Person> {
  const context = await browser.newContext({ ...options });
  const page = await context.newPage();
  return { context, page };
}

/** Starts a session from the home page; returns its code once the host console shows. */
export async function startSession(page: Page, title = 'E2E lecture'): Promise<string> {
  await page.goto('/');
  await page.getByLabel('Session title').fill(title);
  await page.getByRole('button', { name: 'Start a session' }).click();
  await expect(page).toHaveURL(/#\/host\/[A-Z0-9]{6}$/);
  await expect(page.getByRole('button', { name: 'Stage', exact: true })).toBeVisible();
  const code = /#\/host\/([A-Z0-9]{6})$/.exec(page.url())?.[1];
  if (!code) throw new Error(`no code in ${page.url()}`);
  return code;
}

/** Joins through the join link (as a scanned QR code would) with a display name. */
export async function joinSession(page: Page, code: string, name: string): Promise<void> {
  await page.goto(`/#/join/${code}`);
  await expect(page.getByLabel('Session code')).toHaveValue(code);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`#/s/${code}$`));
  await expect(page.getByTestId('my-name')).toHaveText(name);
}

/** The one-line training summary every view shows (step, epoch, loss). */
export function statusLine(page: Page) {
  return page.getByTestId('status-line');
}

/**
 * A part of the page's text as a reader gets it: a figure (a number drawn on a canvas in a box
 * named by its text, client/src/ui/Figure.svelte) counts as its name. With `drawn`, a figure
 * counts as the text it draws now: in play its name may be up to a second behind
 * (client/src/lib/view/figure-names.ts, which keeps the drawn text as `figureText`).
 */
export async function shownText(
  locator: Locator,
  options?: { timeout?: number; drawn?: boolean },
): Promise<string> {
  return locator.evaluate(
    (element, drawn) => {
      const figures = '.figure[role="img"]';
      const texts = [...element.querySelectorAll(figures)].map((figure) =>
        drawn && 'figureText' in figure
          ? String(figure.figureText)
          : (figure.getAttribute('aria-label') ?? ''),
      );
      const copy = element.cloneNode(true) as Element;
      copy.querySelectorAll(figures).forEach((figure, i) => figure.replaceWith(texts[i] ?? ''));
      return copy.textContent ?? '';
    },
    options?.drawn ?? false,
    options,
  );
}

/** Fails on serious or critical accessibility violations, listing them readably. */
export async function expectAccessible(
  page: Page,
  view: string,
  testInfo: TestInfo,
): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (results.violations.length > 0) {
    await testInfo.attach(`axe-${view}.json`, {
      body: JSON.stringify(results.violations, null, 2),
      contentType: 'application/json',
    });
  }
  const summary = bad.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help}\n` +
      v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').join(' ')}`)
        .join('\n'),
  );
  expect(summary, `accessibility of the ${view}`).toEqual([]);
}

/** A full-page screenshot saved with the test's artifacts and attached to its report. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** What the viewer sees first: the viewport only, unscrolled, saved and attached. */
export async function firstScreen(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** No horizontal scrolling: the page is no wider than its viewport. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, 'horizontal overflow in CSS pixels').toBeLessThanOrEqual(0);
}

/** A student proposes a rate (with an optional note) from their proposal card. */
export async function propose(page: Page, rate: string, note = ''): Promise<void> {
  const card = page.getByTestId('propose-card');
  await card.getByLabel('Learning rate α to propose').fill(rate);
  if (note) await card.getByLabel(/Why this rate/).fill(note);
  await card.getByRole('button', { name: 'Propose' }).click();
  await expect(card.getByTestId('propose-message')).toHaveText(/You proposed|you support it/);
}

export async function vote(
  page: Page,
  rate: RegExp,
  button: 'Vote' | 'Change my vote',
): Promise<void> {
  const card = page.getByTestId('vote-card');
  await card.getByRole('radio', { name: rate }).check();
  await card.getByRole('button', { name: button }).click();
  await expect(card.getByRole('status')).toContainText('is in');
}

/** Text smaller than this at 1080p cannot be read from the back of a lecture hall. */
export const BACK_ROW_PX = 24;

/**
 * How far the page overflows the viewport (px, each way), and the rendered text inside
 * `scope` (a CSS selector): the smallest, and every text under `under` px. Charts drawn on
 * a canvas cannot be read from the DOM: they say their axis font's size in
 * data-axis-font-px, which counts as their text.
 */
export async function measureText(page: Page, scope: string, under = BACK_ROW_PX) {
  return page.evaluate(
    ({ scope, under }) => {
      const doc = document.documentElement;
      const root = document.querySelector(scope) ?? document.body;
      const texts: { text: string; size: number }[] = [];
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
        texts.push({ text: text.slice(0, 40), size });
      }
      for (const chart of Array.from(root.querySelectorAll<HTMLElement>('[data-axis-font-px]'))) {
        if (chart.getBoundingClientRect().height === 0) continue;
        texts.push({ text: `axes of ${chart.className}`, size: Number(chart.dataset.axisFontPx) });
      }
      texts.sort((a, b) => a.size - b.size);
      const below = Array.from(document.querySelectorAll('body *'))
        .filter((e) => e.getBoundingClientRect().bottom > innerHeight + 1)
        .slice(0, 4)
        .map((e) => `${e.tagName}.${e.getAttribute('class') ?? ''}`);
      return {
        below,
        overflowX: doc.scrollWidth - doc.clientWidth,
        overflowY: doc.scrollHeight - doc.clientHeight,
        smallest: texts[0]?.size ?? Infinity,
        smallestText: texts[0]?.text ?? '',
        small: texts.filter((t) => t.size < under).map((t) => `${t.size.toFixed(1)} "${t.text}"`),
      };
    },
    { scope, under },
  );
}

/**
 * A line chart under `scope` has drawn every point it was given (its canvas shows nothing
 * to the DOM: the chart says data-points, what its data holds, and data-drawn-points, what
 * its last draw plotted on a scale with a finite range), and there is at least one.
 */
export async function expectChartDrawn(scope: Locator, what: string): Promise<void> {
  const plot = scope.locator('[data-points]');
  await expect(async () => {
    const points = Number(await plot.getAttribute('data-points'));
    expect(points, `${what}: points in the chart's data`).toBeGreaterThan(0);
    expect(await plot.getAttribute('data-drawn-points'), `${what}: points drawn`).toBe(
      String(points),
    );
  }).toPass({ timeout: 5_000 });
}

/**
 * Waits for the race on `page` to say it finished and returns what its chart showed in
 * that same frame (checked at every animation frame): its points, and those drawn.
 */
export async function raceChartWhenFinished(
  page: Page,
): Promise<{ points: number; drawn: number }> {
  const handle = await page.waitForFunction(
    () => {
      const race = document.querySelector('[data-testid="race"][data-status="finished"]');
      const plot = race?.querySelector<HTMLElement>('[data-points]');
      if (!plot) return null;
      return {
        points: Number(plot.dataset['points']),
        drawn: Number(plot.dataset['drawnPoints'] ?? 0),
      };
    },
    undefined,
    { polling: 'raf', timeout: 20_000 },
  );
  const shown = await handle.jsonValue();
  // waitForFunction returns only once the function gave something truthy.
  if (!shown) throw new Error('no finished race');
  return shown;
}
