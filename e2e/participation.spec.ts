import { expect, test, type Page } from '@playwright/test';
import {
  BACK_ROW_PX,
  expectChartDrawn,
  PHONE,
  expectAccessible,
  expectNoHorizontalScroll,
  joinSession,
  measureText,
  person,
  screenshot,
  startSession,
  statusLine,
  propose,
  vote,
} from './helpers';

async function answer(page: Page, direction: 'up' | 'down' | 'same'): Promise<void> {
  const card = page.getByTestId('quiz-card');
  await card.getByRole('radio', { name: direction, exact: true }).check();
  await card.getByRole('button', { name: 'Send answer' }).click();
  await expect(card.getByTestId('quiz-message')).toContainText('Answer sent');
}

test('a class proposes rates, votes, steps together and predicts a step before its reveal', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const host = await person(browser);
  const ada = await person(browser);
  const grace = await person(browser, PHONE);
  const alan = await person(browser);
  const students = { Ada: ada.page, Grace: grace.page, Alan: alan.page };
  const everyone = [host.page, ...Object.values(students)];

  const code = await startSession(host.page);
  for (const [name, page] of Object.entries(students)) await joinSession(page, code, name);
  const panel = host.page.getByTestId('class-panel');
  await expect(host.page.getByTestId('participant')).toHaveCount(3);

  // --- Proposals: the host opens the pool, each student proposes from their own device. ---
  await panel.getByTestId('proposals-toggle').click();
  await expect(panel.getByTestId('proposals-toggle')).toHaveText('Close proposals');
  await propose(ada.page, '0.05', 'small steps, safe');
  // A note is the student's own text: shown as text, never as markup.
  await propose(grace.page, '0.2', '<b>faster</b> & bolder');
  await propose(alan.page, '0.05'); // the same rate: Alan supports Ada's proposal
  await expect(alan.page.getByTestId('propose-message')).toContainText('you support it');

  const proposals = panel.getByTestId('proposal');
  await expect(proposals).toHaveCount(2);
  const small = proposals.filter({ hasText: 'α = 0.05' });
  await expect(small).toContainText('2 supporters');
  await expect(small).toContainText('by Ada and Alan');
  await expect(small).toContainText('“small steps, safe”');
  await expect(proposals.filter({ hasText: 'α = 0.2' })).toContainText('“<b>faster</b> & bolder”');
  await expect(panel.locator('b', { hasText: 'faster' })).toHaveCount(0);
  // Everyone sees the pool, with the histogram's text alternative.
  const graceCard = grace.page.getByTestId('propose-card');
  await expect(graceCard.getByTestId('proposal')).toHaveCount(2);
  await expect(graceCard.getByTestId('my-proposal')).toContainText('α = 0.2');
  await expect(graceCard.getByRole('img', { name: /Proposed learning rates/ })).toContainText(
    '3 supporters across 2 rates',
  );
  await expectNoHorizontalScroll(grace.page);
  await screenshot(grace.page, testInfo, 'participation-phone-proposals');

  // --- A vote between the two: live tallies; a ballot can change until the close. -------
  await panel.getByRole('checkbox', { name: 'Put α = 0.05 on the ballot' }).check();
  await panel.getByRole('checkbox', { name: 'Put α = 0.2 on the ballot' }).check();
  await panel.getByTestId('vote-open').click();
  for (const page of Object.values(students)) {
    await expect(page.getByTestId('vote-card')).toBeVisible();
  }
  // On the phone the ballot is the newest activity: its choices are on the first screen.
  await grace.page.evaluate(() => window.scrollTo(0, 0));
  await expect(grace.page.getByTestId('vote-card').getByRole('radio').first()).toBeInViewport({
    ratio: 1,
  });
  await vote(ada.page, /α = 0\.05/, 'Vote');
  await vote(alan.page, /α = 0\.2\b/, 'Vote');
  await vote(grace.page, /α = 0\.2\b/, 'Vote');
  await expect(panel.getByTestId('vote-count')).toHaveText('3 votes so far.');
  await vote(grace.page, /α = 0\.05/, 'Change my vote');
  // A changed ballot still counts once; the tallies move for everyone.
  for (const page of [host.page, ada.page]) {
    const tallies = page.getByTestId('vote').getByTestId('tally');
    await expect(tallies).toHaveText(['2 votes', '1 vote']);
  }
  await expect(
    grace.page.getByTestId('vote-card').getByRole('radio', { name: /α = 0\.05/ }),
  ).toBeChecked();
  await expectAccessible(grace.page, 'student view with an open vote', testInfo);
  await screenshot(grace.page, testInfo, 'participation-phone-vote');

  await panel.getByTestId('vote-close').click();
  await expect(panel.getByTestId('proposals-result')).toHaveText(
    'The vote chose α = 0.05; it is applied.',
  );
  await expect(host.page.locator('#rate-input')).toHaveValue('0.05');
  for (const page of Object.values(students)) {
    await expect(page.getByTestId('vote-result')).toContainText('α = 0.05 won with 2 votes of 3');
  }
  // The loss chart marks the new rate (its caption says in words what the canvas draws).
  await expect(host.page.locator('.loss-chart figcaption')).toContainText('0.05 at step 0');
  await expect(grace.page.locator('.loss-chart figcaption')).toContainText('0.05 at step 0');
  await screenshot(host.page, testInfo, 'participation-host-vote-closed');

  // --- Stepping together: a batch step once more than half are ready. --------------------
  await panel.getByRole('tab', { name: /Class steps/ }).click();
  await panel.getByLabel('One class step is').selectOption('batch');
  await panel.getByTestId('class-steps-enabled').check();
  for (const page of everyone) {
    await expect(page.getByTestId('class-steps-status').first()).toHaveText(
      '0 of 3 ready (2 needed)',
    );
  }
  await expect(statusLine(host.page)).toHaveText(/^Step 0,/);
  const adaReady = ada.page.getByTestId('ready-button');
  await adaReady.click();
  await expect(adaReady).toHaveAttribute('aria-pressed', 'true');
  await expect(grace.page.getByTestId('class-steps-status')).toHaveText('1 of 3 ready (2 needed)');
  await expectAccessible(grace.page, 'student view with class steps', testInfo);
  await screenshot(grace.page, testInfo, 'participation-phone-class-steps');
  await grace.page.getByTestId('ready-button').click();
  // Quorum: the server steps, everyone sees the same new step, and readiness starts over.
  for (const page of everyone) await expect(statusLine(page)).toHaveText(/^Step 1,/);
  const stepped = (await statusLine(host.page).textContent()) ?? '';
  for (const page of Object.values(students)) await expect(statusLine(page)).toHaveText(stepped);
  await expect(adaReady).toHaveAttribute('aria-pressed', 'false');
  await expect(ada.page.getByTestId('class-steps-status')).toHaveText('0 of 3 ready (2 needed)');
  await panel.getByTestId('class-steps-enabled').uncheck();
  await expect(ada.page.getByTestId('class-steps-card')).toHaveCount(0);

  // --- Predict, then reveal: which way will w¹₁₁ go in the next step? ---------------------
  await panel.getByRole('tab', { name: /Quiz/ }).click();
  await panel.getByLabel('Question', { exact: true }).selectOption('direction');
  await panel.getByLabel('Time to answer (seconds)').fill('120');
  await panel.getByTestId('quiz-open').click();
  for (const page of Object.values(students)) {
    await expect(page.getByTestId('quiz-question')).toContainText('Will w¹₁₁ go up');
    await expect(page.getByTestId('quiz-card').getByRole('timer')).toHaveText(/seconds? left/);
  }
  const guesses = { Ada: 'up', Grace: 'down', Alan: 'same' } as const;
  for (const [name, page] of Object.entries(students)) {
    await answer(page, guesses[name as keyof typeof guesses]);
  }
  await expect(panel.getByTestId('quiz-answers')).toHaveText('3 students have answered.');
  await expectAccessible(grace.page, 'student view with an open question', testInfo);
  await screenshot(grace.page, testInfo, 'participation-phone-quiz');

  await panel.getByTestId('quiz-reveal').click();
  // The reveal takes the step.
  for (const page of everyone) await expect(statusLine(page)).toHaveText(/^Step 2,/);
  const truthText = (await panel.getByTestId('quiz-truth').textContent()) ?? '';
  const truth = /went (up|down|stays the same)/.exec(truthText)?.[1];
  expect(truth, `the truth in "${truthText}"`).toBeDefined();
  const right = truth === 'stays the same' ? 'same' : (truth as 'up' | 'down');
  for (const [name, page] of Object.entries(students)) {
    const card = page.getByTestId('quiz-card');
    await expect(card.getByTestId('quiz-truth')).toHaveText(truthText);
    // The right answer is marked in the distribution, with how many gave it.
    const marked = card.locator('[data-testid="quiz-distribution-item"][data-right="true"]');
    await expect(marked).toHaveCount(1);
    await expect(marked).toContainText('✓ right');
    const isRight = guesses[name as keyof typeof guesses] === right;
    await expect(card.getByTestId('quiz-my-result')).toHaveAttribute('data-right', String(isRight));
    await expect(card.getByTestId('quiz-my-result')).toContainText(
      isRight ? 'You got it right: +1 point. You have 1 point (1st).' : 'was not right this time',
    );
  }
  const winner = Object.entries(guesses).find(([, guess]) => guess === right)![0];
  const winnerPage = students[winner as keyof typeof students];

  // "Why?" opens the chain-rule inspector on the weight concerned.
  await winnerPage
    .getByTestId('quiz-card')
    .getByRole('button', { name: /^Why\?/ })
    .click();
  await expect(winnerPage.getByTestId('inspector')).toHaveAttribute('data-selected', 'weight');
  await expect(winnerPage.getByTestId('inspector')).toContainText('∂E/∂w¹₁₁');

  // The leaderboard, once the host shows it: the top places and one's own line.
  await panel.getByTestId('leaderboard-toggle').check();
  for (const page of Object.values(students)) {
    const board = page.getByTestId('leaderboard-card');
    await expect(board.getByTestId('leaderboard-row')).toHaveCount(1);
    await expect(board.getByTestId('leaderboard-row')).toContainText(`1st${winner}`);
  }
  await expect(
    winnerPage.getByTestId('leaderboard-card').getByTestId('leaderboard-row'),
  ).toContainText('(you)');
  for (const [name, page] of Object.entries(students)) {
    if (name !== winner) {
      await expect(page.getByTestId('leaderboard-mine')).toHaveText('No points for you yet.');
    }
  }
  await expectNoHorizontalScroll(grace.page);
  await expectAccessible(grace.page, 'student view with a reveal and the leaderboard', testInfo);
  await expectAccessible(host.page, 'host console with the class panel', testInfo);
  await screenshot(grace.page, testInfo, 'participation-phone-reveal');
  await screenshot(winnerPage, testInfo, 'participation-winner-reveal');
  await screenshot(host.page, testInfo, 'participation-host-reveal');

  // The results download (a fetch with the host's bearer token, handed over as a file).
  const download = host.page.waitForEvent('download');
  await panel.getByRole('button', { name: 'Download the answers (CSV)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`quiz-results-${code}.csv`);

  for (const p of [host, ada, grace, alan]) await p.context.close();
});

test('a learning-rate race runs beside the session and its winner can be adopted', async ({
  browser,
}, testInfo) => {
  const host = await person(browser);
  const phone = await person(browser, PHONE);
  const code = await startSession(host.page);
  await joinSession(phone.page, code, 'Grace');
  const panel = host.page.getByTestId('class-panel');

  await panel.getByRole('tab', { name: /Race/ }).click();
  const rates = ['0.01', '0.1', '10'];
  for (const [k, rate] of rates.entries()) {
    await panel.getByRole('textbox', { name: `Rate ${k + 1}` }).fill(rate);
  }
  await panel.getByLabel('Steps each').fill('100');
  await panel.getByTestId('race-start').click();

  const race = phone.page.getByTestId('race-card');
  await expect(race.getByTestId('race')).toHaveAttribute('data-status', 'finished', {
    timeout: 20_000,
  });
  const forks = race.getByTestId('race-fork');
  await expect(forks).toHaveCount(3);
  await expect(forks.nth(0)).toContainText(/finished, loss [\d.]+/);
  // A rate of 10 explodes on this data: the fork says where, and never prints NaN.
  await expect(forks.nth(2)).toContainText(/diverged at step \d+/);
  await expect(race).not.toContainText('NaN');
  await expectChartDrawn(race, "the student's race chart");
  await expectChartDrawn(panel.getByTestId('race'), "the host's race chart");
  await expectNoHorizontalScroll(phone.page);
  await screenshot(phone.page, testInfo, 'race-phone');

  // On the projector the race is read from the back row, its chart's axes included.
  const projector = await host.context.newPage();
  await projector.setViewportSize({ width: 1920, height: 1080 });
  await projector.goto(`/#/projector/${code}`);
  await projector.getByRole('button', { name: 'Show the network' }).click();
  const cardsToggle = host.page.getByTestId('projector-cards-toggle');
  if ((await cardsToggle.textContent())?.trim() === 'Show') await cardsToggle.click();
  await expect(projector.getByTestId('projector-cards').getByTestId('race')).toBeVisible();
  await expectChartDrawn(projector.getByTestId('projector-cards'), "the projector's race chart");
  const projected = await measureText(projector, 'main');
  expect(projected.small, `projector race: text under ${BACK_ROW_PX} px`).toEqual([]);
  expect(projected.overflowY, 'projector race: vertical overflow').toBeLessThanOrEqual(0);
  await screenshot(projector, testInfo, 'race-projector-1920x1080');
  await projector.close();

  // The session itself did not move; adopting a fork's rate changes only the rate.
  await expect(statusLine(host.page)).toHaveText(/^Step 0,/);
  await panel.getByRole('button', { name: 'Use rate α = 0.01' }).click();
  await expect(host.page.locator('#rate-input')).toHaveValue('0.01');
  await screenshot(host.page, testInfo, 'race-host');
  for (const p of [host, phone]) await p.context.close();
});

test('a rate limit’s message goes when its wait is over', async ({ browser }) => {
  const host = await person(browser);
  const student = await person(browser, PHONE);
  const code = await startSession(host.page);
  await joinSession(student.page, code, 'Ada');
  await host.page.getByTestId('class-panel').getByTestId('proposals-toggle').click();
  await propose(student.page, '0.05');
  // A second proposal at once: one every few seconds.
  const card = student.page.getByTestId('propose-card');
  await card.getByLabel('Learning rate α to propose').fill('0.2');
  await card.getByRole('button', { name: 'Propose' }).click();
  const message = card.getByTestId('propose-message');
  await expect(message).toContainText(/try again in \d s/);
  // Gone once the wait (at most the proposal interval) is over, not a minute later.
  await expect(message).toHaveText('', { timeout: 7_000 });
  for (const p of [host, student]) await p.context.close();
});
