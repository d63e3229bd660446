// The done-when (issue 17), walked as a first-time analyst would: from the first screen to
// a chart of the HNWC result by following the screen alone. Every step finds its control by what
// the screen says (labels, button names, headings), not by test ids: alice and bob each join from
// the first screen; alice picks "SecureNumpy program", names bob, picks the High-net-worth
// customers template, dry-runs it on 200 rows and proposes; bob reads the proposal (who brings
// which columns, the estimate) and accepts; both load their CSV (and see its local profile) and run.
// alice, who receives, sees the count and the average as figures and the HNWC share of all
// customers as a bar chart: the count against the other n − count customers, where n is the
// input size every member knows, so the chart reveals nothing beyond the two outputs. The result
// passes the accessibility check and is the README's HNWC screenshot.

import type { Browser, Page } from '@playwright/test';
import { hnwcData, toCsv } from '../examples/data.js';
import { hnwcPlain } from '../workers/programs/hnwc.js';
import { expect, test } from './fixtures.js';
import { expectAccessible, shootScreen } from './screens.js';

const ROWS = 200;

/** A new analyst's tab: the first screen, a name typed, Join. */
async function join(browser: Browser, url: string, name: string): Promise<Page> {
  const context = await browser.newContext();
  // A media permission keeps host candidates as plain 127.0.0.1 instead of mDNS names.
  await context.grantPermissions(['microphone'], { origin: url });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await expect(page.getByText('online', { exact: true })).toBeVisible();
  return page;
}

test('a first-time analyst goes from the first screen to a chart of the HNWC result by following the screen', async ({
  browser,
  service,
}) => {
  test.setTimeout(240_000);
  const alice = await join(browser, service.url, 'alice');
  const bob = await join(browser, service.url, 'bob');

  // alice proposes: the analysis, the peer, the template, a dry run, Propose.
  await alice.getByRole('radio', { name: /SecureNumpy program/ }).check();
  await alice.getByLabel('Peers, in party order').fill('bob');
  await alice.getByRole('button', { name: /^High-net-worth customers(?!, joined)/ }).click();
  await expect(alice.getByRole('button', { name: /^High-net-worth customers(?!, joined)/ })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await alice.getByLabel('Rows per party').fill(String(ROWS));
  await alice.getByRole('button', { name: 'Dry run' }).click();
  await expect(alice.getByText('Estimated time between tabs:')).toBeVisible({ timeout: 120_000 });
  await alice.getByRole('button', { name: 'Propose', exact: true }).click();

  // bob reads who brings what and the estimate, then accepts.
  const proposal = bob.getByRole('article').filter({ hasText: 'SecureNumpy program' });
  await expect(proposal).toContainText('bob brings: balance, wealth');
  await expect(proposal).toContainText(`from a dry run on ${ROWS} rows per party`);
  await bob.getByRole('button', { name: 'Accept' }).click();

  // Both load their CSV, see its local profile, and run.
  const { data0, data1 } = hnwcData(ROWS);
  const tables: [Page, string][] = [
    [alice, toCsv(['frequency', 'purchase'], data0)],
    [bob, toCsv(['balance', 'wealth'], data1)],
  ];
  for (const [page, text] of tables) {
    await page.getByLabel('…or load a CSV file').setInputFiles({
      name: 'customers.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(text),
    });
    await expect(page.getByRole('region', { name: 'Profile of your table' })).toBeVisible();
    await expect(page.getByText(`${ROWS} rows × 2 columns ready`)).toBeVisible();
  }
  for (const [page] of tables) {
    const run = page.getByRole('button', { name: 'Run program' });
    await expect(run).toBeEnabled({ timeout: 20_000 }); // once the peer link is open
    await run.click();
  }

  // alice receives: the two figures and the share chart, with the numbers the plaintext gives.
  const plain = hnwcPlain(data0, data1);
  expect(plain.count).toBeGreaterThan(0);
  const results = alice.getByRole('region', { name: 'Results' });
  await expect(results.getByText(`count = ${plain.count}`)).toBeVisible({ timeout: 120_000 });
  await expect(results.getByText('average =')).toBeVisible();
  await expect(results.getByRole('heading', { name: 'Share of all customers' })).toBeVisible();
  const share = results.getByRole('img', { name: /^High-net-worth customers:/ });
  await expect(share).toBeVisible();
  const pct = String(Number(((100 * plain.count) / ROWS).toPrecision(4)));
  await expect(share).toHaveAttribute(
    'aria-label',
    `High-net-worth customers: ${plain.count} of ${ROWS} customers (${pct}%); ${ROWS - plain.count} others`,
  );
  // Two bars: the high-net-worth customers and the others.
  await expect(share.locator('g[aria-label="bar"] rect')).toHaveCount(2);
  await expect(share).toContainText('high-net-worth');
  await expect(share).toContainText('other customers');
  await expectAccessible(alice, '[data-testid="results"]');
  await shootScreen(alice, 'hnwc-result', results);
  // bob sees where the outputs went, and no chart of them.
  await expect(bob.getByText('was revealed to alice only').first()).toBeVisible();
  await expect(bob.getByRole('img', { name: /^High-net-worth customers:/ })).toHaveCount(0);
  for (const page of [alice, bob]) await page.context().close();
});
