// Results out (issue 17) between two real tabs: alice (party 0, the features X, named age and
// income in the job's schema) and bob (party 1, y) train the linear-regression preset; alice
// receives theta and sees it as a bar chart labelled with those names,
// checks it on her own rows against actual values she pastes (fitted against actual, one dot per
// row), reloads and still sees the result kept in IndexedDB, exports it as JSON, and proposes the
// same job again with one click. Saves a screenshot of the results view for the README. Then
// HNWC: the count and the average as figures, the share of all customers as a chart, exported as CSV.

import { readFile } from 'node:fs/promises';
import { hnwcData, regressionData, toCsv } from '../examples/data.js';
import { hnwcPlain } from '../workers/programs/hnwc.js';
import { linearRegressionPlain } from '../workers/programs/linear-regression.js';
import { expect, programText, test } from './fixtures.js';
import { expectAccessible, shootScreen } from './screens.js';

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

test('the receiver sees theta charted and checked on its rows, keeps it over a reload, exports JSON and proposes again', async ({
  openParty,
}) => {
  test.setTimeout(120_000);
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  // Plot's inline <style> elements are stripped: the app's CSP (style-src 'self') refuses nothing.
  const refused: string[] = [];
  alice.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) refused.push(m.text());
  });
  // The linear-regression template, with alice's feature columns named age and income.
  await alice.getByTestId('kind-securenumpy').check();
  await alice.getByTestId('propose-peer').fill('bob');
  await alice.getByTestId('schema-me').fill('age, income');
  const text = await programText(alice);
  await alice.getByTestId('propose-submit').click();
  await bob.getByTestId('accept').click();
  for (const p of [alice, bob]) await expect(p.getByTestId('link-state')).toHaveText('open');
  const hash = (await alice.getByTestId('program-hash').textContent())!.replace('sha256', '').trim();

  const n = 12;
  const { X, y } = regressionData(n);
  await alice.getByTestId('csv').setInputFiles(csv('x.csv', toCsv(['age', 'income'], X)));
  await bob.getByTestId('csv').setInputFiles(
    csv(
      'y.csv',
      toCsv(
        ['y'],
        y.map((v) => [v]),
      ),
    ),
  );
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();
  await expect(alice.getByTestId('output-theta')).toHaveCount(3, { timeout: 90_000 });

  // theta (intercept, x1, x2) as a labelled bar chart: three bars, with a caption as its text.
  const chart = alice.getByTestId('chart-theta');
  await expect(chart.locator('svg g[aria-label="bar"] rect')).toHaveCount(3);
  // Labelled with the names the job's schema gives alice's columns.
  await expect(chart.locator('svg[role="img"]')).toHaveAttribute(
    'aria-label',
    /^Coefficients of theta, 3 bars: intercept [-\d.]+, age [-\d.]+, income [-\d.]+$/,
  );
  await expect(chart.locator('svg')).toContainText('income');
  // Bob brought y only (not the features): his tab shows where theta went, and no check.
  await expect(bob.getByTestId('output-elsewhere')).toContainText('alice');

  // The check on alice's own rows: paste the actual values, one dot per row.
  await alice.getByTestId('actual-theta').fill(y.join('\n'));
  const check = alice.getByTestId('check-chart-theta');
  await expect(check.locator('svg g[aria-label="dot"] circle')).toHaveCount(n);
  await expect(check.locator('figcaption')).toContainText(`Fitted against actual values for ${n} rows`);
  await expect(alice.getByTestId('results-kept')).toContainText('Kept in this browser');
  await shootScreen(alice, 'results', alice.getByTestId('results'));
  await expectAccessible(alice, '[data-testid="results"]');
  expect(refused).toEqual([]);

  // A reload: the job is done and its result comes back from IndexedDB.
  await alice.reload();
  await expect(alice.getByTestId('job-state')).toHaveText('done');
  await expect(alice.getByTestId('results-kept')).toContainText('Kept in this browser since');
  await expect(alice.getByTestId('chart-theta').locator('svg g[aria-label="bar"] rect')).toHaveCount(3);
  await expect(alice.getByTestId('output-theta')).toHaveCount(3);

  // JSON export: the program hash, the members and theta close to plaintext.
  const [file] = await Promise.all([alice.waitForEvent('download'), alice.getByTestId('export-json').click()]);
  expect(file.suggestedFilename()).toMatch(/^parley-result-[0-9a-f]{8}\.json$/);
  const exported = JSON.parse(await readFile((await file.path())!, 'utf8'));
  expect(exported.format).toBe('parley-result/1');
  expect(exported.program.hash).toBe(hash);
  expect(exported.members).toEqual(['alice', 'bob']);
  expect(exported.outputs.theta.shape).toEqual([3, 1]);
  const plain = linearRegressionPlain(X, y);
  exported.outputs.theta.values.forEach((t: number, i: number) => expect(Math.abs(t - plain[i]!)).toBeLessThan(1e-2));

  // Propose again: the form is prefilled with the same program, peer, outputs and receiver.
  await alice.getByTestId('propose-again').click();
  await expect(alice.getByTestId('kind-securenumpy')).toBeChecked();
  await expect(alice.getByTestId('propose-peer')).toHaveValue('bob');
  await expect(alice.getByTestId('program-outputs')).toHaveValue('theta');
  await expect.poll(() => programText(alice)).toBe(text);
  await expect(alice.getByTestId('reveal-to-me')).toBeChecked();
  await expect(alice.getByTestId('reveal-to-bob')).not.toBeChecked();
  await expect(alice.getByTestId('ring-64')).toBeChecked();
  await expect(alice.getByTestId('propose-submit')).toBeEnabled();
});

test('HNWC: the receiver sees the count and the average as figures and exports them as CSV', async ({ openParty }) => {
  test.setTimeout(90_000);
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await alice.getByTestId('kind-securenumpy').check();
  await alice.getByTestId('propose-peer').fill('bob');
  await alice.getByTestId('template-hnwc').click();
  await alice.getByTestId('reveal-to-bob').setChecked(true);
  await alice.getByTestId('reveal-to-me').setChecked(false);
  // The proposal screen (template chosen, the named columns each party brings, the dry run's
  // estimate and the link it used) for the README.
  await expect(alice.getByTestId('schema-bob')).toHaveValue(/balance.*wealth/);
  await alice.getByTestId('dry-run-rows').fill('20');
  await alice.getByTestId('dry-run-button').click();
  await expect(alice.getByTestId('dry-run-link')).toContainText('through the service', { timeout: 60_000 });
  const form = alice.locator('form', { has: alice.getByTestId('propose-submit') });
  await expectAccessible(alice, 'form:has([data-testid="propose-submit"])');
  await shootScreen(alice, 'proposal', form);
  await alice.getByTestId('propose-submit').click();
  await bob.getByTestId('accept').click();
  for (const p of [alice, bob]) await expect(p.getByTestId('link-state')).toHaveText('open');
  const { data0, data1 } = hnwcData(20);
  const plain = hnwcPlain(data0, data1);
  await alice.getByTestId('csv').setInputFiles(csv('a.csv', toCsv(['frequency', 'purchase'], data0)));
  await bob.getByTestId('csv').setInputFiles(csv('b.csv', toCsv(['balance', 'wealth'], data1)));
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();

  await expect(bob.getByTestId('figure-count')).toHaveText(`count = ${plain.count}`, { timeout: 60_000 });
  await expect(bob.getByTestId('figure-average')).toContainText('average =');
  // One chart: the HNWC share of bob's 20 customers (the figures themselves are not charted).
  await expect(bob.getByTestId('results').locator('svg')).toHaveCount(1);
  await expect(bob.getByTestId('chart-hnwc-share').locator('figcaption')).toContainText(
    `High-net-worth customers: ${plain.count} of 20 customers`,
  );
  await expect(alice.getByTestId('output-elsewhere')).toHaveCount(2);
  await expect(bob.getByTestId('results-kept')).toContainText('Kept in this browser');
  const [file] = await Promise.all([bob.waitForEvent('download'), bob.getByTestId('export-csv').click()]);
  const lines = (await readFile((await file.path())!, 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('output,row,column,value');
  expect(lines[1]).toBe(`count,0,0,${plain.count}`);
  expect(Math.abs(Number(lines[2]!.split(',')[3]) - plain.average)).toBeLessThan(0.01);
});
