// SecureNumpy programs as jobs between real tabs: linear regression by gradient descent with X
// in one tab and y in the other (theta checked against plain gradient descent), dealer-free and
// with a participant dealer in a third tab, and a program that reveals to a party outside the
// reveal list (refused with ERR_REVEAL_DENIED), and a cancel while a program runs (both tabs stop, ERR_CANCELLED).

import { createHash } from 'node:crypto';
import { linearRegressionPlain } from '../workers/programs/linear-regression.js';
import { expect, readyProgramJob, test } from './fixtures.js';
import { expectAccessible, shootScreen } from './screens.js';

/** 40 rows × 2 features in [-1, 1]; y = X·[1.5, -2] + 0.5 + small noise; as CSV text with 6 decimals. */
function regressionCsv(n = 40) {
  const X = Array.from({ length: n }, (_, i) =>
    [Math.sin(i * 0.7), Math.cos(i * 1.1)].map((v) => Number(v.toFixed(6))),
  );
  const y = X.map(([a, b], i) => Number((1.5 * a! - 2 * b! + 0.5 + 0.01 * Math.sin(i * 2.3)).toFixed(6)));
  return {
    X,
    y,
    xCsv: `${['x1,x2', ...X.map((r) => r.join(','))].join('\n')}\n`,
    yCsv: `${['y', ...y.map(String)].join('\n')}\n`,
  };
}

/** Waits until both parties run (each needs the other's shape), then reveals to bob, who is not on the list. */
const DENIED_PROGRAM = `const a = snp.array(party === 0 ? [1, 2] : null, 0);
const b = snp.array(party === 1 ? [3, 4] : null, 1);
await Promise.all([a.ready(), b.ready()]);
return { z: a.add(b).revealTo(1) };
`;

/** Runs for far longer than any test: one secret multiplication (a round trip) after another. */
const ENDLESS_PROGRAM = `const a = snp.array(party === 0 ? [1, 2] : null, 0);
const one = snp.array(party === 1 ? [1, 1] : null, 1);
let z = a;
for (let i = 0; i < 10000000; i++) {
  z = z.mul(one);
  await z.ready();
}
return { z: z.revealTo(0) };
`;

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

test('two tabs train linear regression (X in one, y in the other); theta matches plain gradient descent', async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  const text = await readyProgramJob(alice, bob, 'bob');
  expect(text).toContain('const iterations = 30;');
  expect(text).toContain('const lr = 0.1;');
  const hash = createHash('sha256').update(text).digest('hex');
  for (const p of [alice, bob]) await expect(p.getByTestId('program-hash')).toContainText(hash);

  const { X, y, xCsv, yCsv } = regressionCsv();
  await alice.getByTestId('csv').setInputFiles(csv('x.csv', xCsv));
  await bob.getByTestId('csv').setInputFiles(csv('y.csv', yCsv));
  await expect(alice.getByTestId('input-count')).toHaveText('40 rows × 2 columns ready');
  await expect(bob.getByTestId('input-count')).toHaveText('40 rows × 1 columns ready');
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();

  const cells = alice.getByTestId('output-theta');
  await expect(cells).toHaveCount(3, { timeout: 45_000 });
  const theta = (await cells.allTextContents()).map(Number);
  const expected = linearRegressionPlain(X, y, 30, 0.1);
  theta.forEach((t, i) => expect(Math.abs(t - expected[i]!)).toBeLessThan(1e-2));
  await expect(bob.getByTestId('output-elsewhere')).toContainText('alice');
  await expect(bob.getByTestId('output-theta')).toHaveCount(0);
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('stage')).toHaveText('Done.');
    await expect(p.getByTestId('job-state')).toHaveText('done');
  }
});

test('with a participant dealer (a third tab), the parties train the same theta and the dealer serves and finishes', async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  const dan = await openParty('dan', { roles: ['dealer'] });
  await alice.getByTestId('kind-securenumpy').check();
  await alice.getByTestId('propose-peer').fill('bob');
  await alice.getByTestId('program-triples-dealer').check();
  await alice.getByTestId('program-dealer').fill('dan');
  await expect(alice.getByTestId('dealer-problem')).toHaveCount(0);
  await alice.getByTestId('propose-submit').click();
  await expect(dan.getByTestId('dealer-role')).toContainText('You are the dealer for this job');
  await expect(alice.getByTestId('triple-source')).toContainText('from the dealer dan');
  await bob.getByTestId('accept').click();
  await dan.getByTestId('accept').click();
  for (const p of [alice, bob, dan])
    await expect(p.getByTestId('link-state')).toHaveText(['open', 'open'], { timeout: 20_000 });
  await expect(dan.getByTestId('dealer-stage')).toContainText('Waiting for the parties');
  await expect(dan.getByTestId('compute')).toHaveCount(0);

  const { X, y, xCsv, yCsv } = regressionCsv();
  await alice.getByTestId('csv').setInputFiles(csv('x.csv', xCsv));
  await bob.getByTestId('csv').setInputFiles(csv('y.csv', yCsv));
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();

  const cells = alice.getByTestId('output-theta');
  await expect(cells).toHaveCount(3, { timeout: 45_000 });
  const theta = (await cells.allTextContents()).map(Number);
  const expected = linearRegressionPlain(X, y, 30, 0.1);
  theta.forEach((t, i) => expect(Math.abs(t - expected[i]!)).toBeLessThan(1e-2));
  await expect(bob.getByTestId('output-elsewhere')).toContainText('alice');
  await expect(dan.getByTestId('dealer-stage')).toContainText('Done: served');
  expect(Number(await dan.getByTestId('dealer-requests').textContent())).toBeGreaterThan(0);
  await expect(dan.getByTestId('output')).toHaveCount(0);
  for (const p of [alice, bob]) await expect(p.getByTestId('stage')).toHaveText('Done.');
  for (const p of [alice, bob, dan]) {
    await expect(p.getByTestId('job-state')).toHaveText('done');
    await expect(p.getByTestId('job-error')).toHaveCount(0);
  }
});

test('a program that reveals to a party outside the reveal list fails with ERR_REVEAL_DENIED', async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyProgramJob(alice, bob, 'bob', { outputs: 'z', program: DENIED_PROGRAM });
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('job-error')).toContainText('ERR_REVEAL_DENIED');
    await expect(p.getByTestId('job-state')).toHaveText('failed');
    await expect(p.getByTestId('output')).toHaveCount(0);
  }
});

test('a member cancels a running program: both tabs stop their run and show ERR_CANCELLED', async ({ openParty }) => {
  test.setTimeout(90_000);
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyProgramJob(alice, bob, 'bob', { outputs: 'z', program: ENDLESS_PROGRAM });
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('job-state')).toHaveText('running', { timeout: 30_000 });
    await expect(p.getByTestId('stage')).toHaveText('Running the program…', { timeout: 30_000 });
  }
  // The running job, for the README and the accessibility check.
  await expectAccessible(alice, '[data-testid="job"]');
  await shootScreen(alice, 'running', alice.getByTestId('job'));
  await bob.getByTestId('cancel').click();
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('job-state')).toHaveText('cancelled', { timeout: 30_000 });
    await expect(p.getByTestId('job-error')).toHaveText('ERR_CANCELLED cancelled by bob');
    // The run ended in this tab: no progress, no links, no way to run it again.
    await expect(p.getByTestId('stage')).toHaveCount(0, { timeout: 30_000 });
    await expect(p.getByTestId('link-state')).toHaveCount(0, { timeout: 30_000 });
    await expect(p.getByTestId('cancel')).toHaveCount(0);
  }
});
