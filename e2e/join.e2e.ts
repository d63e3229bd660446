// The private join through the app, between two real tabs over WebRTC: HNWC joined on customer id
// (Company A = alice, party 0; Company B = bob, party 1, the only receiver), each company with
// 10,000 customers of its own in its own order, 30% of them in common, dealer-free; the count and
// the average checked against the plaintext inner join computed here. The job card shows each
// party's key column, the key normalisation and what the join reveals before anyone accepts. And
// the owner's refusals before anything is shared: a missing key (ERR_BAD_INPUT) and a repeated
// key after normalisation (ERR_DUPLICATE_KEY), each naming the line, with the key column profiled
// as text (count, missing, distinct); and a program whose own keys repeat at one party: the join
// fails in both tabs with ERR_DUPLICATE_KEY (no hang).

import type { Page } from '@playwright/test';
import { hnwcJoinData, toKeyedCsv } from '../examples/data.js';
import { JOIN_REVEALS } from '../shared/join-keys.js';
import { HNWC_JOIN_COLUMNS, hnwcJoinPlain } from '../workers/programs/hnwc-join.js';
import { expect, programText, readyProgramJob, test } from './fixtures.js';

const csv = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

/** Alice proposes HNWC joined on customer id to bob (outputs to bob only, keys normalised as `normalise`); bob accepts. */
async function proposeJoin(alice: Page, bob: Page, normalise: 'trim' | 'trim-casefold'): Promise<void> {
  await alice.getByTestId('kind-securenumpy').check();
  await alice.getByTestId('propose-peer').fill('bob');
  await alice.getByTestId('template-hnwc-join').click();
  await expect(alice.getByTestId('ring-128')).toBeChecked();
  await expect(alice.getByTestId('schema-me')).toHaveValue('customer_id, frequency, purchase');
  await expect(alice.getByTestId('schema-bob')).toHaveValue('customer_id, balance, wealth');
  await expect(alice.getByTestId('join-on')).toBeChecked();
  await expect(alice.getByTestId('join-key-me')).toHaveValue('customer_id');
  await expect(alice.getByTestId('join-key-bob')).toHaveValue('customer_id');
  // A key column the member does not bring holds the proposal back.
  await alice.getByTestId('join-key-bob').fill('cid');
  await expect(alice.getByTestId('join-problem')).toContainText('"cid" is not among the columns bob brings');
  await expect(alice.getByTestId('propose-submit')).toBeDisabled();
  await alice.getByTestId('join-key-bob').fill('customer_id');
  await alice.getByTestId(`join-normalise-${normalise}`).check();
  await alice.getByTestId('reveal-to-bob').setChecked(true);
  await alice.getByTestId('reveal-to-me').setChecked(false);
  const text = await programText(alice);
  expect(text).toContain('snp.privateJoin(');
  await alice.getByTestId('propose-submit').click();
  // Bob sees the key columns, the normalisation and what the join reveals before accepting.
  await expect(bob.getByTestId('accept')).toBeVisible();
  await expect(bob.getByTestId('schema-member')).toHaveText([
    'alice brings: customer_id (join key, text), frequency, purchase',
    'bob brings: customer_id (join key, text), balance, wealth',
  ]);
  await expect(bob.getByTestId('job-join')).toContainText("alice's customer_id and bob's customer_id");
  await expect(bob.getByTestId('job-join')).toContainText(normalise === 'trim' ? 'case kept' : 'case-folded');
  await expect(bob.getByTestId('join-reveals')).toHaveText(JOIN_REVEALS);
  await bob.getByTestId('accept').click();
  for (const p of [alice, bob]) await expect(p.getByTestId('link-state')).toHaveText('open', { timeout: 20_000 });
}

test('HNWC joined on customer id: 10,000 × 10,000 customers, 30% in common, two tabs dealer-free; count and average match the plaintext join', async ({
  openParty,
}) => {
  test.setTimeout(600_000);
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await proposeJoin(alice, bob, 'trim');

  const n = 10_000;
  const { a, b } = hnwcJoinData(n, n, 0.3 * n);
  const plain = hnwcJoinPlain(a, b);
  expect(plain.matched).toBe(3000);
  expect(plain.count).toBeGreaterThan(0);
  await alice.getByTestId('csv').setInputFiles(csv('a.csv', toKeyedCsv(HNWC_JOIN_COLUMNS[0]!, a)));
  await bob.getByTestId('csv').setInputFiles(csv('b.csv', toKeyedCsv(HNWC_JOIN_COLUMNS[1]!, b)));
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('input-count')).toHaveText(`${n} rows × 2 columns ready, keyed by customer_id`);
    const key = p.locator('[data-testid="profile-column"][data-name="customer_id"]');
    await expect(key.getByTestId('profile-type')).toHaveText('key');
    await expect(key.getByTestId('profile-distinct')).toHaveText(String(n));
  }
  const started = Date.now();
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();

  await expect(bob.getByTestId('output-average')).toHaveCount(1, { timeout: 570_000 });
  console.log(
    `HNWC joined on customer id, ${n} × ${n}, 30% common, dealer-free: ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  expect(Number(await bob.getByTestId('output-count').textContent())).toBe(plain.count);
  const average = Number(await bob.getByTestId('output-average').textContent());
  expect(Math.abs(average - plain.average)).toBeLessThan(0.01); // to the cent
  await expect(alice.getByTestId('output-count')).toHaveCount(0);
  await expect(alice.getByTestId('output-elsewhere').first()).toContainText('bob');
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('stage')).toHaveText('Done.');
    await expect(p.getByTestId('job-state')).toHaveText('done');
  }
});

test('a missing key or a key repeated after normalisation is refused at its owner, naming the line; the key column is profiled as text', async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await proposeJoin(alice, bob, 'trim-casefold');
  const header = HNWC_JOIN_COLUMNS[1]!.join(',');
  // A key that looks like a number stays text ("007" is not "7"); line 4 has no key.
  await bob.getByTestId('input').fill(`${header}\n007,6000000,10\nC-2,7000000,20\n,8000000,30\n`);
  await expect(bob.getByTestId('input-error')).toHaveText('ERR_BAD_INPUT line 4: the key "customer_id" is missing');
  const key = bob.locator('[data-testid="profile-column"][data-name="customer_id"]');
  await expect(key.getByTestId('profile-type')).toHaveText('key');
  await expect(key.getByTestId('profile-count')).toHaveText('2');
  await expect(key.getByTestId('profile-missing')).toHaveText('1');
  await expect(bob.getByTestId('compute')).toBeDisabled();
  // "c-2 " is "C-2" once trimmed and case-folded, as this job normalises keys.
  await bob.getByTestId('input').fill(`${header}\n007,6000000,10\nC-2,7000000,20\nc-2 ,8000000,30\n`);
  await expect(bob.getByTestId('input-error')).toContainText('ERR_DUPLICATE_KEY line 4');
  await expect(bob.getByTestId('input-error')).toContainText('repeats line 3');
  await expect(key.getByTestId('profile-distinct')).toHaveText('2');
  await expect(bob.getByTestId('profile-bad-row')).toHaveText(['line 4: the key "customer_id" repeats line 3: "c-2"']);
  await expect(bob.getByTestId('compute')).toBeDisabled();
  await bob.getByTestId('input').fill(`${header}\n007,6000000,10\nC-2,7000000,20\nC-3,8000000,30\n`);
  await expect(bob.getByTestId('input-count')).toHaveText('3 rows × 2 columns ready, keyed by customer_id');
  await expect(bob.getByTestId('compute')).toBeEnabled();
});

/** Party 0's keys repeat ("a" twice after trimming): the engine's join refuses them. */
const DUPLICATE_PROGRAM = `const { matched } = await snp.privateJoin(
  party === 0 ? { keys: ['a', 'b', ' a'], values: [[1], [2], [3]] } : null,
  party === 1 ? { keys: ['a', 'c'], values: [[4], [5]] } : null,
  { trim: true },
);
return { n: matched.sum().revealTo(0) };
`;

test('keys that repeat at one party fail the join in both tabs with ERR_DUPLICATE_KEY (no hang)', async ({
  openParty,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyProgramJob(alice, bob, 'bob', { outputs: 'n', program: DUPLICATE_PROGRAM });
  // Bob (party 1) first: alice's side is refused at once, which ends the job for both.
  await bob.getByTestId('compute').click();
  await expect(bob.getByTestId('job-state')).toHaveText('running');
  await alice.getByTestId('compute').click();
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('job-state')).toHaveText('failed', { timeout: 30_000 });
    await expect(p.getByTestId('job-error')).toContainText('ERR_DUPLICATE_KEY');
    await expect(p.getByTestId('output')).toHaveCount(0);
  }
});
