// The preset programs through the app, between two real tabs: the high-net-worth-customer
// analysis on natural units in the wide ring (Company A = alice, party 0; Company B = bob, party
// 1, the only receiver; triples from a dealer tab), the same data refused at its owner in the
// standard range (with the local profile of a table and a header that does not match the job's
// named columns), and logistic regression dealer-free (X at alice, labels at bob; theta to alice).
// The CSV inputs come from examples/data.ts; the revealed outputs are checked against plaintext.

import { createHash } from 'node:crypto';
import type { Page } from '@playwright/test';
import { hnwcData, logisticData, toCsv } from '../examples/data.js';
import { hnwcPlain } from '../workers/programs/hnwc.js';
import {
  LOGISTIC_REGRESSION_DEFAULTS,
  logisticAccuracy,
  logisticRegressionPlain,
} from '../workers/programs/logistic-regression.js';
import { expect, programText, test } from './fixtures.js';

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

/** Alice proposes the chosen template to bob (outputs to `receiver` only), bob accepts, both connect. Returns the text. */
async function proposeTemplate(alice: Page, bob: Page, template: string, receiver: 'me' | 'bob'): Promise<string> {
  await alice.getByTestId('kind-securenumpy').check();
  await alice.getByTestId('propose-peer').fill('bob');
  await alice.getByTestId(`template-${template}`).click();
  await alice.getByTestId('reveal-to-bob').setChecked(receiver === 'bob');
  await alice.getByTestId('reveal-to-me').setChecked(receiver === 'me');
  const text = await programText(alice);
  await alice.getByTestId('propose-submit').click();
  await bob.getByTestId('accept').click();
  const hash = createHash('sha256').update(text).digest('hex');
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('link-state')).toHaveText('open');
    await expect(p.getByTestId('program-hash')).toContainText(hash);
  }
  return text;
}

test('HNWC on natural units in the wide ring: two tabs find them dealer-free; only Company B (bob) learns the count and the average', async ({
  openParty,
}) => {
  test.setTimeout(120_000);
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await alice.getByTestId('kind-securenumpy').check();
  await alice.getByTestId('propose-peer').fill('bob');
  await alice.getByTestId('template-hnwc').click();
  // The template picks the wide number range; the range shown is computed from the engine's bound.
  await expect(alice.getByTestId('ring-128')).toBeChecked();
  await expect(alice.getByTestId('number-range')).toContainText('wide |x| < 1.4·10^14');
  await expect(alice.getByTestId('number-range')).toContainText('standard |x| < 32,768');
  await alice.getByTestId('reveal-to-bob').setChecked(true);
  await alice.getByTestId('reveal-to-me').setChecked(false);
  const text = await programText(alice);
  expect(text).toContain('const receivers = [1];');
  expect(text).toContain('const minBalance = 5000000;');
  expect(text).toContain('const minPurchase = 5000;');
  expect(text).not.toMatch(/thousand/i);
  await expect(alice.getByTestId('program-outputs')).toHaveValue('count, average');
  await alice.getByTestId('propose-submit').click();
  // Bob sees the number range before accepting.
  await expect(bob.getByTestId('accept')).toBeVisible();
  await expect(bob.getByTestId('number-range')).toHaveText('wide |x| < 1.4·10^14');
  await bob.getByTestId('accept').click();
  for (const p of [alice, bob]) await expect(p.getByTestId('link-state')).toHaveText('open', { timeout: 20_000 });
  const hash = createHash('sha256').update(text).digest('hex');
  for (const p of [alice, bob]) await expect(p.getByTestId('program-hash')).toContainText(hash);

  const { data0, data1 } = hnwcData(40);
  const plain = hnwcPlain(data0, data1);
  expect(plain.count).toBeGreaterThan(0);
  expect(Math.max(...data1.map((r) => r[0]!))).toBeGreaterThan(5_000_000);
  await alice.getByTestId('csv').setInputFiles(csv('a.csv', toCsv(['frequency', 'purchase'], data0)));
  await bob.getByTestId('csv').setInputFiles(csv('b.csv', toCsv(['balance', 'wealth'], data1)));
  await expect(alice.getByTestId('input-count')).toHaveText('40 rows × 2 columns ready');
  await expect(bob.getByTestId('input-count')).toHaveText('40 rows × 2 columns ready');
  const started = Date.now();
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();

  await expect(bob.getByTestId('output-average')).toHaveCount(1, { timeout: 90_000 });
  console.log(`HNWC, 40 rows, wide ring, dealer-free: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  expect(Number(await bob.getByTestId('output-count').textContent())).toBe(plain.count);
  const average = Number(await bob.getByTestId('output-average').textContent());
  expect(Math.abs(average - plain.average)).toBeLessThan(0.01); // to the cent, in the data's currency
  await expect(alice.getByTestId('output-elsewhere')).toHaveCount(2);
  await expect(alice.getByTestId('output-elsewhere').first()).toContainText('bob');
  await expect(alice.getByTestId('output-count')).toHaveCount(0);
  for (const p of [alice, bob]) await expect(p.getByTestId('stage')).toHaveText('Done.');
  for (const p of [alice, bob]) await expect(p.getByTestId('job-state')).toHaveText('done');
});

test('in the standard number range, the owner of a balance of millions is stopped before sharing, told the row, column and the wide range; its table is profiled locally and checked against the named columns', async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await alice.getByTestId('kind-securenumpy').check();
  await alice.getByTestId('propose-peer').fill('bob');
  await alice.getByTestId('template-hnwc').click();
  await expect(alice.getByTestId('schema-bob')).toHaveValue('balance, wealth');
  await alice.getByTestId('ring-64').check();
  await alice.getByTestId('propose-submit').click();
  await expect(bob.getByTestId('number-range')).toHaveText('standard |x| < 32,768');
  // Bob sees what each member brings before accepting.
  await expect(bob.getByTestId('schema-member')).toHaveText([
    'alice brings: frequency, purchase',
    'bob brings: balance, wealth',
  ]);
  await bob.getByTestId('accept').click();
  for (const p of [alice, bob]) await expect(p.getByTestId('link-state')).toHaveText('open');
  const { data1 } = hnwcData(5);
  // Columns in the wrong order: refused, naming the column; the profile (computed in the tab) shows
  // each column and the bad row by its line number.
  const swapped = `${toCsv(
    ['wealth', 'balance'],
    data1.map(([b, w]) => [w!, b!]),
  )}1000,\n`;
  await bob.getByTestId('input').fill(swapped);
  await expect(bob.getByTestId('input-error')).toContainText('ERR_SCHEMA');
  await expect(bob.getByTestId('input-error')).toContainText('column "balance" is out of order');
  await expect(bob.getByTestId('data-profile')).toContainText('never leaves this tab');
  const balance = bob.locator('[data-testid="profile-column"][data-name="balance"]');
  await expect(balance.getByTestId('profile-count')).toHaveText('5');
  await expect(balance.getByTestId('profile-missing')).toHaveText('1');
  await expect(balance.getByTestId('profile-max')).toHaveText(
    Math.max(...data1.map((r) => r[0]!)).toLocaleString('en-US', { maximumSignificantDigits: 6 }),
  );
  await expect(balance.getByTestId('profile-histogram')).toBeVisible();
  await expect(bob.getByTestId('profile-bad-row')).toHaveText(['line 7: "balance" is missing']);
  await expect(bob.getByTestId('compute')).toBeDisabled();
  await bob.getByTestId('csv').setInputFiles(csv('b.csv', toCsv(['balance', 'wealth'], data1)));
  const error = bob.getByTestId('input-error');
  await expect(error).toContainText('ERR_OUT_OF_RANGE');
  await expect(error).toContainText(`row 1, column 1 ("balance"): ${data1[0]![0]}`);
  await expect(error).toContainText('propose the job with the wide number range (wide |x| < 1.4·10^14)');
  await expect(bob.getByTestId('compute')).toBeDisabled();
});

test('two tabs train logistic regression (X in one, labels in the other); theta and accuracy match plaintext', async ({
  openParty,
}) => {
  test.setTimeout(90_000);
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  const { epochs, learningRate } = LOGISTIC_REGRESSION_DEFAULTS;
  const text = await proposeTemplate(alice, bob, 'logistic-regression', 'me');
  expect(text).toContain(`const epochs = ${epochs};`);
  expect(text).toContain(`const lr = ${learningRate};`);
  expect(text).toContain('snp.sigmoid(');
  await expect(alice.getByTestId('program-outputs')).toHaveValue('theta');

  const { X, y } = logisticData(40);
  await alice.getByTestId('csv').setInputFiles(csv('x.csv', toCsv(['x1', 'x2'], X)));
  await bob.getByTestId('csv').setInputFiles(
    csv(
      'y.csv',
      toCsv(
        ['label'],
        y.map((v) => [v]),
      ),
    ),
  );
  await expect(alice.getByTestId('input-count')).toHaveText('40 rows × 2 columns ready');
  await expect(bob.getByTestId('input-count')).toHaveText('40 rows × 1 columns ready');
  const started = Date.now();
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();

  const cells = alice.getByTestId('output-theta');
  await expect(cells).toHaveCount(3, { timeout: 75_000 });
  console.log(
    `logistic regression, 40 rows, ${epochs} epochs, dealer-free between tabs: ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const theta = (await cells.allTextContents()).map(Number);
  const plain = logisticRegressionPlain(X, y, epochs, learningRate);
  theta.forEach((t, i) => expect(Math.abs(t - plain[i]!)).toBeLessThan(1e-2));
  expect(logisticAccuracy(theta, X, y)).toBe(logisticAccuracy(plain, X, y));
  await expect(bob.getByTestId('output-elsewhere')).toContainText('alice');
  await expect(bob.getByTestId('output-theta')).toHaveCount(0);
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('stage')).toHaveText('Done.');
    await expect(p.getByTestId('job-state')).toHaveText('done');
  }
});
