// The data marketplace between real tabs: a seller publishes a small table (keys made and the
// table encrypted in the tab); buyers try a computation on the test data, buy, compute a
// weighted sum and a threshold count (checked against the CSV), hit the decryption budget
// (ERR_BUDGET), confirm, cancel and dispute (the operator resolves), and verify the ledger (each
// buyer reads its own purchases in full, the other's only as links of the chain); and
// a buyer computes while the seller is offline (ciphertexts from the service blob) until the
// seller's tab comes back in the same browser and serves with the key kept in IndexedDB; and a
// listing whose key is the review's crafted modulus is refused before any money moves.

import type { Page } from '@playwright/test';
import { newNonce, signRequest } from '../shared/ledger.js';
import { grantCredits } from '../signaling/ledger-store.js';
import { resolveDispute } from '../signaling/market-settle.js';
import { call, connectAs, makeIdentity } from '../test/helpers/client.js';
import { listingBody } from '../test/helpers/market.js';
import { craftedListingKey } from '../test/workers/market/crafted-keys.js';
import { expect, test } from './fixtures.js';
import { expectAccessible, shootScreen } from './screens.js';

const ROWS = 40;
/** 40 rows: age (int) and income (decimal, 2 places), as CSV text and as exact integers. */
function table() {
  const age = Array.from({ length: ROWS }, (_, i) => 20 + ((i * 17) % 45));
  const cents = Array.from({ length: ROWS }, (_, i) => 2_500_000 + ((i * 791_937) % 5_000_000) + (i % 7) + 1);
  const csv = `${['age,income', ...age.map((a, i) => `${a},${(cents[i]! / 100).toFixed(2)}`)].join('\n')}\n`;
  return { age, cents, csv };
}

const PRICE = 10;
const GUARANTEE = 5;

async function publish(seller: Page, csv: string, title: string): Promise<string> {
  await seller.getByTestId('tab-sell').click();
  await seller.getByTestId('sell-csv-text').fill(csv);
  await seller.getByTestId('sell-csv-load').click();
  await expect(seller.getByTestId('sell-rows')).toHaveText(String(ROWS));
  await expect(seller.getByTestId('sell-column')).toHaveCount(2);
  // Public bounds lie beyond the data (ages 20-64, incomes 25,000-75,000): the listing hides the extremes.
  await expect(seller.getByTestId('sell-min-age')).toHaveValue('0');
  await expect(seller.getByTestId('sell-max-age')).toHaveValue('100');
  await expect(seller.getByTestId('sell-max-income')).toHaveValue('100000');
  // The encryption randomness for all 80 values is made in the background while the form is filled in.
  await expect(seller.getByTestId('sell-background')).toContainText(`/ ${2 * ROWS}`);
  await seller.getByTestId('sell-title').fill(title);
  await seller.getByTestId('sell-price').fill(String(PRICE));
  await seller.getByTestId('sell-guarantee').fill(String(GUARANTEE));
  await seller.getByTestId('sell-budget').fill('5');
  await seller.getByTestId('sell-conversion-budget').fill('100');
  await expect(seller.getByTestId('sell-test-rows')).toHaveValue(String(ROWS));
  await seller.getByTestId('sell-publish').click();
  const card = seller.getByTestId(/^listing-[0-9a-f-]{36}$/);
  await expect(card).toHaveCount(1, { timeout: 30_000 });
  await expect(card.getByTestId('listing-uploads')).toContainText(
    /table:\s+uploaded \(\d+ bytes\);\s+test data:\s+uploaded/,
  );
  await expect(seller.getByTestId('sell-error')).toHaveCount(0);
  return (await card.getAttribute('data-listing'))!;
}

async function balance(p: Page, credits: number, escrow: number) {
  await expect(p.getByTestId('balance-credits')).toHaveText(String(credits));
  await expect(p.getByTestId('balance-escrow')).toHaveText(String(escrow));
}

async function buy(p: Page) {
  const before = await p.getByTestId('purchase').count();
  await p.getByTestId('buy-purchase').click();
  await expect(p.getByTestId('purchase')).toHaveCount(before + 1);
  return p.getByTestId('purchase').first(); // newest first
}

test('sell, test, buy, compute (weighted sum, threshold count), budget, confirm, cancel, dispute, ledger', async ({
  openParty,
  service,
}) => {
  test.setTimeout(150_000);
  const { age, cents, csv } = table();
  const sam = await openParty('sam', { roles: ['seller'] });
  const amy = await openParty('amy', { roles: ['buyer'] });
  const ben = await openParty('ben', { roles: ['buyer'] });
  await grantCredits(service.ledger, 'amy', 100);
  await grantCredits(service.ledger, 'ben', 100);

  await publish(sam, csv, 'Incomes 2024');

  // Buyer A: the listing, a weighted sum on the test data, then buys.
  await amy.getByTestId('tab-market').click();
  await amy.getByTestId('market-refresh').click();
  const row = amy.getByTestId('market-listing');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('listing-title')).toHaveText('Incomes 2024');
  await expect(row.getByTestId('listing-seller')).toHaveText('sam');
  await expect(row.getByTestId('listing-rows')).toHaveText(String(ROWS));
  await expect(row.getByTestId('listing-budget')).toContainText('5 values, 100 conversions');
  await balance(amy, 100, 0);

  const weights = Array.from({ length: ROWS }, (_, i) => (i % 3) + 1);
  await amy.getByTestId('buy-kind').selectOption('weighted-sum');
  await amy.getByTestId('buy-column').selectOption('income');
  await amy.getByTestId('buy-weights').fill(weights.join(', '));
  await amy.getByTestId('buy-test').click();
  await expect(amy.getByTestId('test-result')).toHaveText(/^-?\d+(\.\d+)?$/, { timeout: 20_000 });

  const purchase = await buy(amy);
  await expect(purchase.getByTestId('purchase-state')).toHaveText('active');
  await balance(amy, 100 - PRICE - GUARANTEE, PRICE + GUARANTEE);

  // The weighted sum on the real (encrypted) table, decrypted blinded by the seller's tab.
  await purchase.getByTestId('purchase-compute').click();
  const result = purchase.getByTestId('purchase-result');
  await expect(result).toBeVisible({ timeout: 30_000 });
  const expectedSum = weights.reduce((s, w, i) => s + w * cents[i]!, 0) / 100;
  expect(Math.abs(Number(await result.textContent()) - expectedSum)).toBeLessThan(1e-6);
  await expect(purchase.getByTestId('purchase-budget')).toContainText('Budget used: 1 / 5 result values');
  // The marketplace as a buyer sees it (listing, test, purchase with its result), for the README.
  await expectAccessible(amy, '[data-testid="market-panel"]');
  await shootScreen(amy, 'market', amy.getByTestId('market-panel'));

  // A threshold count (converted to shares, compared securely).
  await amy.getByTestId('buy-kind').selectOption('threshold-count');
  await amy.getByTestId('buy-column').selectOption('age');
  await amy.getByTestId('buy-op').selectOption('gt');
  await amy.getByTestId('buy-threshold').fill('40');
  await purchase.getByTestId('purchase-compute').click();
  await expect(result).toHaveText(String(age.filter((a) => a > 40).length), { timeout: 60_000 });
  await expect(purchase.getByTestId('purchase-budget')).toContainText('40 / 100 conversions');

  // A threshold on a score per row (age + 0.001 · income), computed on ciphertexts, then converted.
  await amy.getByTestId('buy-score-coefficients').fill('age=1 income=0.001');
  await amy.getByTestId('buy-threshold').fill('70');
  await purchase.getByTestId('purchase-compute').click();
  // Exactly, in units of 10^-5: 100000 · age + cents > 70 · 10^5.
  const above = age.filter((a, i) => 100_000 * a + cents[i]! > 7_000_000).length;
  await expect(result).toHaveText(String(above), { timeout: 60_000 });
  await expect(purchase.getByTestId('purchase-budget')).toContainText('80 / 100 conversions');

  // A score per row would decrypt 40 values: beyond the budget of 5.
  await amy.getByTestId('buy-kind').selectOption('linear-score');
  await amy.getByTestId('buy-coefficients').fill('age=1');
  await purchase.getByTestId('purchase-compute').click();
  await expect(purchase.getByTestId('purchase-error')).toContainText('ERR_BUDGET', { timeout: 30_000 });
  await expect(purchase.getByTestId('purchase-budget')).toContainText('Budget used: 1 / 5 result values');

  // Confirm: the price goes to the seller, the guarantee comes back.
  await purchase.getByTestId('purchase-confirm').click();
  await expect(purchase.getByTestId('purchase-state')).toHaveText('confirmed');
  await balance(amy, 100 - PRICE, 0);
  await sam.getByTestId('tab-market').click();
  await sam.getByTestId('market-refresh').click();
  await balance(sam, PRICE, 0);

  // Buyer B: buys, cancels (full refund); buys again, disputes; the operator resolves to B.
  await ben.getByTestId('tab-market').click();
  await ben.getByTestId('market-refresh').click();
  const first = await buy(ben);
  await balance(ben, 100 - PRICE - GUARANTEE, PRICE + GUARANTEE);
  await first.getByTestId('purchase-cancel').click();
  await expect(first.getByTestId('purchase-state')).toHaveText('cancelled');
  await balance(ben, 100, 0);
  const second = await buy(ben);
  const secondId = (await second.getAttribute('data-purchase'))!;
  await second.getByTestId('purchase-dispute-reason').fill('the sums do not match the description');
  await second.getByTestId('purchase-dispute').click();
  const disputed = ben.locator(`[data-purchase="${secondId}"]`);
  await expect(disputed.getByTestId('purchase-state')).toHaveText('disputed');
  await balance(ben, 100 - PRICE - GUARANTEE, PRICE + GUARANTEE);
  const disputeEntry = (await service.ledger.store.ledgerEntries(1, 1000)).find(
    (e) => e.type === 'dispute' && e.purchase === secondId,
  )!;
  expect(JSON.parse(disputeEntry.request).body).toEqual({ reason: 'the sums do not match the description' });
  await resolveDispute(service.ledger, secondId, 'buyer');
  await ben.getByTestId('market-refresh').click();
  await expect(disputed.getByTestId('purchase-state')).toHaveText('resolved-buyer');
  await balance(ben, 100, 0);

  // The seller disputes a sale too; resolved to the seller, price and guarantee go to the seller.
  const third = await buy(ben);
  const thirdId = (await third.getAttribute('data-purchase'))!;
  await sam.getByTestId('market-refresh').click();
  await sam.locator('[data-testid="sold-purchase"][data-state="active"]').getByTestId('sold-dispute').click();
  await expect(sam.locator('[data-testid="sold-purchase"][data-state="disputed"]')).toHaveCount(1);
  await resolveDispute(service.ledger, thirdId, 'seller');
  await ben.getByTestId('market-refresh').click();
  await expect(ben.locator(`[data-purchase="${thirdId}"]`).getByTestId('purchase-state')).toHaveText('resolved-seller');
  await balance(ben, 100 - PRICE - GUARANTEE, 0);
  await sam.getByTestId('market-refresh').click();
  await balance(sam, 2 * PRICE + GUARANTEE, 0);

  // The ledger verifies in a tab.
  await ben.getByTestId('tab-ledger').click();
  await ben.getByTestId('ledger-verify').click();
  const total = await service.ledger.store.ledgerCount();
  await expect(ben.getByTestId('ledger-status')).toHaveText(`verified: ${total} entries`);
  await expect(ben.getByTestId('ledger-entry')).toHaveCount(total);
  // Amy's decryptions are not ben's business: he sees them only as links of the chain.
  await expect(ben.locator('[data-testid="ledger-entry"][data-type="decryption"]')).toHaveCount(0);
  await expect(ben.locator('[data-testid="ledger-entry"][data-type="decrypt-request"]')).toHaveCount(0);
  await expect(ben.locator('[data-testid="ledger-entry"][data-type="redacted"]')).not.toHaveCount(0);
  await amy.getByTestId('tab-ledger').click();
  await amy.getByTestId('ledger-verify').click();
  await expect(amy.getByTestId('ledger-status')).toHaveText(`verified: ${total} entries`);
  await expect(amy.locator('[data-testid="ledger-entry"][data-type="decryption"]')).toHaveCount(3);
  await expect(amy.locator('[data-testid="ledger-entry"][data-type="dispute"]')).toHaveCount(0);

  // Jobs stay the default view; market sessions show as compact cards only.
  await amy.getByTestId('tab-jobs').click();
  await expect(amy.getByTestId('market-job').first()).toBeVisible();
  await expect(amy.getByTestId('job')).toHaveCount(0);
});

test('a buyer computes while the seller is offline: ciphertexts from the service, then the seller comes back', async ({
  openParty,
  service,
}) => {
  test.setTimeout(90_000);
  const { cents, csv } = table();
  let sam = await openParty('sam', { roles: ['seller'] });
  const amy = await openParty('amy', { roles: ['buyer'] });
  await grantCredits(service.ledger, 'amy', 50);
  await publish(sam, csv, 'Incomes offline');
  const context = sam.context();
  await sam.close(); // the seller goes away; the key stays in this browser's IndexedDB

  await amy.getByTestId('tab-market').click();
  await amy.getByTestId('market-refresh').click();
  await expect(amy.getByTestId('market-listing')).toHaveCount(1);
  const purchase = await buy(amy);
  await amy.getByTestId('buy-kind').selectOption('sum');
  await amy.getByTestId('buy-column').selectOption('income');
  await purchase.getByTestId('purchase-compute').click();
  await expect(purchase.getByTestId('purchase-status')).toContainText('waiting for the seller to come online');
  await expect(purchase.getByTestId('purchase-fetched')).toBeVisible();
  await expect(purchase.getByTestId('purchase-result')).toHaveCount(0);

  // The seller's tab comes back (same browser: same identity and listing key) and serves.
  sam = await context.newPage();
  await sam.goto(service.url);
  await expect(sam.getByTestId('connection')).toHaveText('online');
  const expected = cents.reduce((s, c) => s + c, 0) / 100;
  await expect(purchase.getByTestId('purchase-result')).toBeVisible({ timeout: 30_000 });
  expect(Math.abs(Number(await purchase.getByTestId('purchase-result').textContent()) - expected)).toBeLessThan(1e-6);
  await expect(purchase.getByTestId('purchase-error')).toHaveCount(0);
  await sam.getByTestId('tab-sell').click();
  await expect(sam.getByTestId('listing-served')).toContainText('amy: done');
});

test('a seller tab whose listing key is gone (storage cleared) refuses with ERR_KEY_UNAVAILABLE, and the buyer sees it', async ({
  openParty,
  service,
}) => {
  const { csv } = table();
  const sam = await openParty('sam', { roles: ['seller'] });
  const amy = await openParty('amy', { roles: ['buyer'] });
  await grantCredits(service.ledger, 'amy', 50);
  await publish(sam, csv, 'Keys lost');
  // The listing keys live only in this browser's IndexedDB: clear them as "clear site data" would.
  await sam.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('parley-market-keys');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('keys', 'readwrite');
          tx.objectStore('keys').clear();
          tx.oncomplete = () => (open.result.close(), resolve());
        };
      }),
  );
  await amy.getByTestId('tab-market').click();
  await amy.getByTestId('market-refresh').click();
  const purchase = await buy(amy);
  await amy.getByTestId('buy-kind').selectOption('sum');
  await amy.getByTestId('buy-column').selectOption('income');
  await purchase.getByTestId('purchase-compute').click();
  await expect(purchase.getByTestId('purchase-error')).toContainText('ERR_KEY_UNAVAILABLE', { timeout: 15_000 });
  await expect(purchase.getByTestId('purchase-result')).toHaveCount(0);
  await expect(sam.getByTestId('listing-served')).toContainText('ERR_KEY_UNAVAILABLE');
  // Nothing was decrypted, so the buyer can still cancel for a full refund.
  await purchase.getByTestId('purchase-cancel').click();
  await expect(purchase.getByTestId('purchase-state')).toHaveText('cancelled');
  await balance(amy, 50, 0);
});

test("a listing under the review's crafted modulus (SECURITY_REVIEW #4) is refused at buy with ERR_BAD_KEY: no escrow", async ({
  openParty,
  service,
}) => {
  // The attacker publishes from its own client: four 32-bit primes dividing q - 1, times q, with
  // the best proof its factors allow (the service only checks that a proof field is there).
  const mallory = await makeIdentity('mallory', ['seller']);
  const socket = await connectAs(service.url, mallory);
  const { json } = await craftedListingKey('mallory');
  const body = listingBody(Date.now(), { title: 'Crafted key', publicKey: { ...json, proof: json.proof! } });
  const at = Date.now();
  await call(
    socket,
    'market:publish',
    await signRequest(mallory.keys.privateKey, {
      actor: 'mallory',
      nonce: newNonce(),
      at,
      type: 'publish',
      body,
    }),
  );
  const amy = await openParty('amy', { roles: ['buyer'] });
  await grantCredits(service.ledger, 'amy', 100);
  await amy.getByTestId('tab-market').click();
  await amy.getByTestId('market-refresh').click();
  await expect(amy.getByTestId('market-listing').getByTestId('listing-seller')).toHaveText('mallory');
  await balance(amy, 100, 0);
  await amy.getByTestId('buy-purchase').click();
  await expect(amy.getByTestId('buy-error')).toContainText('ERR_BAD_KEY', { timeout: 20_000 });
  await expect(amy.getByTestId('purchase')).toHaveCount(0);
  await balance(amy, 100, 0);
  socket.close();
});
