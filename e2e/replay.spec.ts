import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import {
  LAPTOP,
  PHONE,
  expectAccessible,
  expectNoHorizontalScroll,
  joinSession,
  person,
  screenshot,
  startSession,
  statusLine,
  propose,
  vote,
  shownText,
} from './helpers';

/** What the class sees at a moment: the status line, the numbers panel and every unit. */
interface Seen {
  status: string;
  numbers: string;
  units: string[];
}

function numbersPanel(page: Page) {
  return page.getByRole('region', { name: 'Numbers of the shown sample' });
}

async function seen(page: Page): Promise<Seen> {
  return {
    status: (await statusLine(page).textContent()) ?? '',
    numbers: await shownText(numbersPanel(page)),
    // Each unit of the diagram is a button named with its value: "output unit 1, output 0.59, …".
    units: await page
      .getByRole('button', { name: /unit \d+/ })
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? '')),
  };
}

/** The replay shows exactly what the live session showed. */
async function expectSeen(page: Page, expected: Seen): Promise<void> {
  await expect(statusLine(page)).toHaveText(expected.status);
  await expect.poll(() => shownText(numbersPanel(page))).toBe(expected.numbers);
  await expect
    .poll(async () => (await seen(page)).units, { message: 'unit values' })
    .toEqual(expected.units);
}

/** Clicks Stage until the status line says the step is complete. */
async function stepByStages(page: Page, step: number): Promise<void> {
  const status = statusLine(page);
  let text = (await status.textContent()) ?? '';
  for (let stage = 0; !text.startsWith(`Step ${step},`); stage++) {
    expect(stage, 'stages in one step').toBeLessThan(20);
    await page.getByRole('button', { name: 'Stage', exact: true }).click();
    await expect(status).not.toHaveText(text);
    text = (await status.textContent()) ?? '';
  }
}

function moments(page: Page) {
  return page.getByTestId('markers');
}

test('a live session is recorded and replays exactly as the class saw it', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const host = await person(browser);
  const student = await person(browser, PHONE);
  const code = await startSession(host.page, 'Replay lecture');
  await joinSession(student.page, code, 'Ada');
  const second = await person(browser);
  await joinSession(second.page, code, 'Lin');

  // --- Record: a step by stage, a learning-rate change, markers, two more steps. ----------
  await stepByStages(host.page, 1);
  const atStep1 = await seen(host.page);
  expect(atStep1.status).toMatch(/^Step 1, .*last stage: Update/);
  await expect(statusLine(student.page)).toHaveText(atStep1.status);

  const rate = host.page.getByLabel('Learning rate α', { exact: true });
  // The default of the house-price data is 0.1.
  await rate.fill('0.05');
  await rate.press('Enter');
  await expect(numbersPanel(host.page)).toContainText(/Learning rate α\s*0\.05/);

  await host.page.getByLabel('Marker label').fill('Watch the hidden layer');
  await host.page.getByRole('button', { name: 'Drop marker' }).click();
  await expect(host.page.getByText('Marker “Watch the hidden layer” dropped')).toBeVisible();
  const atMarker = await seen(host.page);
  // The M key drops one too (focus outside any field), with a default label.
  await host.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await host.page.keyboard.press('m');
  await expect(host.page.getByText('Marker “Marker at step 1” dropped')).toBeVisible();

  await host.page.getByRole('button', { name: 'Sample', exact: true }).click();
  await expect(statusLine(host.page)).toHaveText(/^Step 2,/);
  await host.page.getByRole('button', { name: 'Sample', exact: true }).click();
  await expect(statusLine(host.page)).toHaveText(/^Step 3,/);
  const atStep3 = await seen(host.page);

  // --- A vote: two proposals on the ballot, both students vote, the winner is applied. ---
  const panel = host.page.getByTestId('class-panel');
  await panel.getByTestId('proposals-toggle').click();
  await propose(student.page, '0.02');
  await propose(second.page, '0.2');
  await panel.getByRole('checkbox', { name: 'Put α = 0.02 on the ballot' }).check();
  await panel.getByRole('checkbox', { name: 'Put α = 0.2 on the ballot' }).check();
  await panel.getByTestId('vote-open').click();
  await vote(student.page, /α = 0\.02/, 'Vote');
  await vote(second.page, /α = 0\.02/, 'Vote');
  await panel.getByTestId('vote-close').click();
  await expect(panel.getByTestId('proposals-result')).toHaveText(
    'The vote chose α = 0.02; it is applied.',
  );
  await expect(numbersPanel(host.page)).toContainText(/Learning rate α\s*0\.02/);
  const atEnd = await seen(host.page);

  // --- While live, the console links to the replay (a new tab), which says it is live. ---
  const [live] = await Promise.all([
    host.context.waitForEvent('page'),
    host.page.getByTestId('replay-link').click(),
  ]);
  await expect(live.getByRole('heading', { name: 'Replay: Replay lecture' })).toBeVisible();
  await expect(live.getByText('still live')).toBeVisible();
  await live.close();

  // --- End: host and student are offered the replay. --------------------------------------
  await host.page.getByRole('button', { name: 'End session' }).click();
  await host.page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
  await expect(host.page.getByRole('heading', { name: 'This session has ended' })).toBeVisible();
  await expect(student.page.getByRole('link', { name: 'Watch the replay' })).toBeVisible();
  await host.page.getByRole('link', { name: 'Watch the replay' }).click();

  // --- The replay: starts at the beginning, with the moments listed. ----------------------
  const page = host.page;
  await expect(page).toHaveURL(/#\/replay\/[A-Za-z0-9_-]+$/);
  const replayUrl = new URL(page.url()).hash;
  await expect(page.getByRole('heading', { name: 'Replay: Replay lecture' })).toBeVisible();
  await expect(statusLine(page)).toHaveText(/^Step 0,/);
  await expect(moments(page)).toContainText('Ada joined');
  await expect(moments(page)).toContainText('Learning rate 0.1 → 0.05');
  await expect(moments(page)).toContainText('Host marker: Watch the hidden layer');
  await expect(moments(page)).toContainText('Host marker: Marker at step 1');
  await expect(moments(page)).toContainText('Session ended');

  // The vote replays as the class saw it: the result, next to the rate it applied.
  await moments(page)
    .getByRole('button', { name: /Vote closed: 0\.02 won/ })
    .click();
  await expect(page.getByTestId('vote-result')).toContainText('α = 0.02 won with 2 votes of 2');

  // Play at 8×: it runs to the end and stops on what the class saw last.
  // With idle stretches skipped the rest may take less time than an assertion's poll, so
  // the button's texts are collected as they change rather than caught in passing.
  await page.getByRole('button', { name: '8 times' }).click();
  await page.getByTestId('play-button').evaluate((button) => {
    const texts: string[] = [];
    (window as unknown as { playButtonTexts: string[] }).playButtonTexts = texts;
    new MutationObserver(() => texts.push(button.textContent ?? '')).observe(button, {
      subtree: true,
      childList: true,
      characterData: true,
    });
  });
  await page.getByTestId('play-button').click();
  await expect
    .poll(
      async () => {
        const texts = await page.evaluate(
          () => (window as unknown as { playButtonTexts: string[] }).playButtonTexts,
        );
        const paused = texts.findIndex((text) => /Pause/.test(text));
        return paused >= 0 && texts.slice(paused).some((text) => /Play/.test(text));
      },
      { message: 'the play button said Pause, then Play again', timeout: 30_000 },
    )
    .toBe(true);
  await expect(page.getByTestId('play-button')).toHaveText(/Play/);
  await expectSeen(page, atEnd);

  // Seek to the marker: the numbers of that moment.
  await moments(page)
    .getByRole('button', { name: /Host marker: Watch the hidden layer/ })
    .click();
  await expectSeen(page, atMarker);
  await expect(
    moments(page).getByRole('button', { name: /Host marker: Watch the hidden layer/ }),
  ).toHaveAttribute('aria-current', 'true');

  // Jump to a training step: the numbers the live session showed at that step.
  await page.getByLabel('Go to step').fill('1');
  await page.getByRole('button', { name: 'Go to step' }).click();
  await expectSeen(page, atStep1);

  // ← and → walk one recorded event back and on (focus outside any field).
  await statusLine(page).click();
  await page.keyboard.press('ArrowLeft');
  await expect(statusLine(page)).not.toHaveText(atStep1.status);
  await page.keyboard.press('ArrowRight');
  await expectSeen(page, atStep1);
  // Space plays and pauses.
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play-button')).toHaveText(/Pause/);
  await page.keyboard.press('k');
  await expect(page.getByTestId('play-button')).toHaveText(/Play/);

  // The scrubber: dragging to the end shows the end.
  const scrubber = page.getByLabel('Position in the recording');
  await scrubber.focus();
  await page.keyboard.press('End');
  await expectSeen(page, atEnd);
  await page.keyboard.press('Home');
  await expect(statusLine(page)).toHaveText(/^Step 0,/);

  await page.setViewportSize(LAPTOP.viewport);
  await moments(page)
    .getByRole('button', { name: /Host marker: Watch the hidden layer/ })
    .click();
  await expectSeen(page, atMarker);
  await expectAccessible(page, 'replay player', testInfo);
  await screenshot(page, testInfo, 'replay-1280');

  // The same replay on a phone.
  const phone = await person(browser, PHONE);
  await phone.page.goto(`/${replayUrl}`);
  await expect(phone.page.getByRole('heading', { name: 'Replay: Replay lecture' })).toBeVisible();
  await phone.page.getByLabel('Go to step').fill('3');
  await phone.page.getByRole('button', { name: 'Go to step' }).click();
  await expect(statusLine(phone.page)).toHaveText(atStep3.status);
  await expectNoHorizontalScroll(phone.page);
  await expectAccessible(phone.page, 'replay player on a phone', testInfo);
  await screenshot(phone.page, testInfo, 'replay-375');
  // What a phone shows at once: the player bar fixed at the bottom of the screen.
  const viewport = testInfo.outputPath('replay-375-viewport.png');
  await phone.page.screenshot({ path: viewport });
  await testInfo.attach('replay-375-viewport', { path: viewport, contentType: 'image/png' });

  // --- The recordings page lists it (this browser hosted it: it may delete it). -----------
  await page.goto('/#/recordings');
  const card = page.getByTestId('recording').filter({ hasText: 'Replay lecture' }).first();
  await expect(card).toContainText('You hosted it');
  await expect(card).toContainText('House prices');
  await expect(card.getByRole('button', { name: 'Delete Replay lecture' })).toBeVisible();
  await card.getByRole('button', { name: 'Verify' }).click();
  await expect(card.getByTestId('verify-result')).toContainText('Verified', { timeout: 20_000 });
  await expectAccessible(page, 'recordings page', testInfo);
  await screenshot(page, testInfo, 'recordings-1280');

  // Export, anonymized: a file download that imports back.
  await card.getByLabel('Anonymize names').check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('button', { name: 'Export Replay lecture' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/-anonymized\.ndjson$/);
  const text = await readFile((await download.path())!, 'utf8');
  const lines = text.trimEnd().split('\n');
  expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'backprop-live-recording' });
  expect(text).not.toContain('"Ada"');

  // A broken file is refused with the line and the reason.
  const broken = [...lines.slice(0, 2), ...lines.slice(3)].join('\n') + '\n';
  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.ndjson',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(broken),
  });
  await expect(page.getByTestId('import-error')).toContainText(
    /Could not import “broken\.ndjson”: line 3: .*(missing|follows)/,
  );
  await page.getByTestId('import-file').setInputFiles({
    name: 'notes.ndjson',
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from('hello\n'),
  });
  await expect(page.getByTestId('import-error')).toContainText('line 1');

  // The export itself imports back.
  await page.getByTestId('import-file').setInputFiles({
    name: download.suggestedFilename(),
    mimeType: 'application/x-ndjson',
    buffer: Buffer.from(text),
  });
  await expect(page.getByText(`Imported “${download.suggestedFilename()}”`).first()).toBeVisible();
  await expect(page.getByTestId('import-error')).toHaveCount(0);
  const imported = page.getByTestId('recording').filter({ hasText: 'You imported it' });
  await expect(imported).toHaveCount(1);
  await expect(imported).toContainText('Replay lecture');
  await expect(imported).toContainText(`From the file ${download.suggestedFilename()}`);
  await expect(imported.getByText('Anonymized', { exact: true })).toBeVisible();
  await screenshot(page, testInfo, 'recordings-after-import');

  // The imported copy replays the same numbers (names anonymized).
  await imported.getByRole('link', { name: /^Open/ }).click();
  await expect(page.getByRole('heading', { name: 'Replay: Replay lecture' })).toBeVisible();
  await expect(moments(page)).toContainText('Student 1 joined');
  await page.getByLabel('Go to step').fill('1');
  await page.getByRole('button', { name: 'Go to step' }).click();
  await expectSeen(page, atStep1);

  // Opening the recordings page on a phone.
  await phone.page.goto('/#/recordings');
  await expect(phone.page.getByRole('heading', { name: 'Recordings', exact: true })).toBeVisible();
  await expect(phone.page.getByTestId('recording').first()).toContainText('Replay lecture');
  await expectNoHorizontalScroll(phone.page);
  await screenshot(phone.page, testInfo, 'recordings-375');

  // Delete the imported copy (this browser holds its delete token).
  await page.goto('/#/recordings');
  const copy = page.getByTestId('recording').filter({ hasText: 'You imported it' });
  await copy.getByRole('button', { name: /^Delete/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete recording' }).click();
  await expect(page.getByText('Deleted “Replay lecture”.')).toBeVisible();
  await expect(page.getByTestId('recording').filter({ hasText: 'You imported it' })).toHaveCount(0);
  await expect(page.getByTestId('recording').filter({ hasText: 'You hosted it' })).toHaveCount(1);

  for (const p of [host, student, phone]) await p.context.close();
});

test('a replay link that leads nowhere says so', async ({ page }) => {
  await page.goto('/#/replay/AAAAAAAAAAAAAAAAAAAAAA');
  await expect(page.getByRole('heading', { name: 'No recording at this link' })).toBeVisible();
  await page.goto('/#/recordings');
  await expect(page.getByRole('heading', { name: 'Recordings', exact: true })).toBeVisible();
  await expect(page.getByText('No recordings yet')).toBeVisible();
});

test('a replay paused inside recorded play shows the diagram with its numbers', async ({
  browser,
}) => {
  const host = await person(browser);
  await startSession(host.page, 'Played lecture');
  // The default speed (10 steps/s) is fast play: live, the diagram hides its numbers.
  await host.page.getByRole('button', { name: 'Play' }).click();
  await expect(host.page.getByTestId('fast-play-picture')).toBeVisible();
  await expect(statusLine(host.page)).toHaveText(/^Step ([3-9]\d|\d{3,}),/, { timeout: 20_000 });
  await host.page.getByRole('button', { name: 'End session' }).click();
  await host.page.getByRole('dialog').getByRole('button', { name: 'End session' }).click();
  await host.page.getByRole('link', { name: 'Watch the replay' }).click();

  // Paused on a step recorded in play: the numbers are there to read.
  const page = host.page;
  await page.getByLabel('Go to step').fill('20');
  await page.getByRole('button', { name: 'Go to step' }).click();
  await expect(statusLine(page)).toHaveText(/^Step 20, .*playing/);
  await expect(page.locator('svg.network .bias text').first()).toBeVisible();
  await expect(page.getByTestId('fast-play-picture')).toHaveCount(0);
  // Played back, the recorded play is fast play again.
  await page.getByTestId('play-button').click();
  await expect(page.getByTestId('fast-play-picture')).toBeVisible();
});
