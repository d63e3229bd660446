// The dry run (issue 17) between two real tabs. First the link its estimate uses: with no channel
// open to bob, round trips to the service; once alice and bob share a live job, a probe over its
// data channel ("measured to bob: … ms, … MB/s"), which bob's card then reports as measured.
// Then the three presets: alice and bob already share a live job (so the link is measured), alice
// picks the template, runs the dry run on the rows both will bring (every party simulated in her
// tab), proposes with its estimate; bob sees the estimate before accepting; both run on real data
// of that shape while alice's one progress bar is sampled (it only goes up, and reaches 100% at
// done). Each test logs the estimate against the measured time between the tabs ("dry-run
// figures: …"), the issue's factor-of-2 target; the figures are reported, not asserted (timing
// depends on the machine).

import type { Page } from '@playwright/test';
import { hnwcData, logisticData, regressionData, toCsv } from '../examples/data.js';
import { expect, readyJob, test } from './fixtures.js';

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

interface Preset {
  template: string;
  rows: number;
  tables(n: number): [string, string];
  output: string;
}

const PRESETS: Preset[] = [
  {
    template: 'linear-regression',
    rows: 100,
    tables: (n) => {
      const { X, y } = regressionData(n);
      return [
        toCsv(['x1', 'x2'], X),
        toCsv(
          ['y'],
          y.map((v) => [v]),
        ),
      ];
    },
    output: 'output-theta',
  },
  {
    template: 'logistic-regression',
    rows: 40,
    tables: (n) => {
      const { X, y } = logisticData(n);
      return [
        toCsv(['x1', 'x2'], X),
        toCsv(
          ['label'],
          y.map((v) => [v]),
        ),
      ];
    },
    output: 'output-theta',
  },
  {
    template: 'hnwc',
    rows: 100,
    tables: (n) => {
      const { data0, data1 } = hnwcData(n);
      return [toCsv(['frequency', 'purchase'], data0), toCsv(['balance', 'wealth'], data1)];
    },
    output: 'output-count',
  },
];

/** The program job's card (alice and bob also share a sum-and-product job). */
const programCard = (p: Page) => p.getByTestId('job').filter({ hasText: 'SecureNumpy program' });

test('the estimate uses the measured link: the service with no channel open, then the data channel to bob', async ({
  openParty,
}) => {
  test.setTimeout(180_000);
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  const dryRun = async (rows: number) => {
    await alice.getByTestId('kind-securenumpy').check();
    await alice.getByTestId('propose-peer').fill('bob');
    await alice.getByTestId('template-hnwc').click();
    await alice.getByTestId('dry-run-rows').fill(String(rows));
    await alice.getByTestId('dry-run-button').click();
    await expect(alice.getByTestId('dry-run-report')).toBeVisible({ timeout: 120_000 });
    return alice.getByTestId('dry-run-link');
  };
  // No job with bob yet: round trips to the service, for both hops.
  const viaService = await dryRun(20);
  await expect(viaService).toHaveAttribute('data-source', 'service');
  await expect(viaService).toContainText(/through the service: [\d.]+ ms round trip to it/);

  // A live job with bob: its authenticated data channel is probed.
  await alice.getByTestId('kind-sum-product').check();
  await readyJob(alice, bob, 'bob');
  const measured = await dryRun(21);
  await expect(measured).toHaveAttribute('data-source', 'peer');
  await expect(measured).toContainText(/Link: measured to bob: [\d.]+ ms, [\d.]+ (kB|MB|GB)\/s\./);
  console.log(`dry-run link: ${(await measured.textContent())!.trim()}`);
  await alice.getByTestId('propose-submit').click();
  await expect(programCard(bob).getByTestId('job-estimate')).toContainText('on a link measured to a member');
});

for (const preset of PRESETS) {
  test(`${preset.template}: a dry run's estimate travels in the job, and the run's one bar only goes up`, async ({
    openParty,
  }) => {
    test.setTimeout(300_000);
    const alice = await openParty('alice');
    const bob = await openParty('bob');
    // They already share a live job: the dry run measures the link over its data channel.
    await readyJob(alice, bob, 'bob');
    await alice.getByTestId('kind-securenumpy').check();
    await alice.getByTestId('propose-peer').fill('bob');
    await alice.getByTestId(`template-${preset.template}`).click();
    await alice.getByTestId('dry-run-rows').fill(String(preset.rows));
    await alice.getByTestId('dry-run-button').click();
    const report = alice.getByTestId('dry-run-report');
    await expect(report).toBeVisible({ timeout: 120_000 });
    await expect(report).toContainText('rounds');
    await expect(alice.getByTestId('dry-run-outputs')).toContainText(preset.output.replace('output-', ''));
    const estimateText = (await alice.getByTestId('dry-run-estimate').textContent())!;
    const link = alice.getByTestId('dry-run-link');
    await expect(link).toHaveAttribute('data-source', 'peer');
    const linkText = (await link.textContent())!.trim();
    await alice.getByTestId('propose-submit').click();

    // bob reads the estimate before accepting.
    const [aliceCard, bobCard] = [programCard(alice), programCard(bob)];
    const shown = bobCard.getByTestId('job-estimate');
    await expect(shown).toContainText(`Estimated time: ${estimateText}`);
    await expect(shown).toContainText(`${preset.rows} rows per party`);
    await bobCard.getByTestId('accept').click();
    for (const c of [aliceCard, bobCard])
      await expect(c.getByTestId('link-state')).toHaveText('open', { timeout: 20_000 });

    const [mine, theirs] = preset.tables(preset.rows);
    await aliceCard.getByTestId('csv').setInputFiles(csv('a.csv', mine));
    await bobCard.getByTestId('csv').setInputFiles(csv('b.csv', theirs));
    await aliceCard.getByTestId('compute').click();
    await bobCard.getByTestId('compute').click();
    const started = Date.now();

    // Sample alice's bar until the run is done: the fractions never go down.
    const fractions: number[] = [];
    const bar = aliceCard.getByTestId('run-progress');
    for (;;) {
      const f = await bar.getAttribute('data-fraction', { timeout: 60_000 });
      if (f) fractions.push(Number(f));
      if (f === '1') break;
      await alice.waitForTimeout(200); // a sampling interval, not an assertion
    }
    const measured = Date.now() - started;
    await expect(bar).toContainText('100% — done');
    await expect(aliceCard.getByTestId(preset.output).first()).toBeVisible();
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThanOrEqual(fractions[i - 1]!);
    expect(fractions.at(-1)).toBe(1);

    const estimateMs = Number(await aliceCard.getByTestId('job-estimate').getAttribute('data-ms'));
    const counts = (await aliceCard.getByTestId('job-estimate').textContent())!.trim();
    console.log(
      `dry-run figures: ${preset.template} ${preset.rows} rows dealer-free: estimate ${estimateMs} ms, measured ${measured} ms, ratio ${(measured / estimateMs).toFixed(2)} (${counts}; ${linkText})`,
    );
  });
}
