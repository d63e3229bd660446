// The spine end to end: two Chromium contexts, the real service, a real WebRTC data channel and
// real workers. Asserts the revealed numbers and the coded error paths.

import { expect, readyJob, test } from './fixtures.js';

test('two analysts compute a secure sum and product; only the receiver sees it', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');

  // A reload keeps the identity (key pair in IndexedDB) and logs in again.
  await alice.reload();
  await expect(alice.getByTestId('me')).toHaveText('alice');
  await expect(alice.getByTestId('connection')).toHaveText('online');

  await readyJob(alice, bob, 'bob');
  await expect(bob.getByTestId('job-receiver')).toHaveText('alice');
  await expect(bob.getByTestId('triple-source')).toContainText('dealer-free');

  await alice.getByTestId('input').fill('1, 2.5, -3, 1000');
  await bob.getByTestId('csv').setInputFiles({
    name: 'bob.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('value\n4\n-0.5\n2\n46.25\n'),
  });
  await expect(bob.getByTestId('input-count')).toHaveText('4 values ready');
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();

  await expect(alice.getByTestId('result')).toBeVisible();
  await expect(alice.getByTestId('sum')).toHaveText(['5', '2', '-1', '1046.25']);
  await expect(alice.getByTestId('product')).toHaveText(['4', '-1.25', '-6', '46250']);
  await expect(bob.getByTestId('result-elsewhere')).toContainText('alice');
  await expect(bob.getByTestId('result')).toHaveCount(0);
  for (const p of [alice, bob]) await expect(p.getByTestId('job-state')).toHaveText('done');

  const [file] = await Promise.all([alice.waitForEvent('download'), alice.getByTestId('download').click()]);
  const text = await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8');
  expect(text).toBe('index,sum,product\n1,5,4\n2,2,-1.25\n3,-1,-6\n4,1046.25,46250\n');
});

test('mismatched lengths fail in both tabs with ERR_LENGTH_MISMATCH', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyJob(alice, bob, 'bob');
  await alice.getByTestId('input').fill('1, 2, 3');
  await bob.getByTestId('input').fill('1, 2');
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('job-error')).toContainText('ERR_LENGTH_MISMATCH', { timeout: 5000 });
    await expect(p.getByTestId('job-state')).toHaveText('failed');
  }
});

test('non-numeric input is refused at once with ERR_BAD_INPUT', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyJob(alice, bob, 'bob');
  await alice.getByTestId('input').fill('1, two, 3');
  await expect(alice.getByTestId('input-error')).toContainText('ERR_BAD_INPUT');
  await expect(alice.getByTestId('input-error')).toContainText('"two"');
  await expect(alice.getByTestId('compute')).toBeDisabled();
  await alice.getByTestId('input').fill('1, 99999');
  await expect(alice.getByTestId('input-error')).toContainText('ERR_OUT_OF_RANGE');
});

test('a peer that leaves mid-job fails the other tab with ERR_PEER_LEFT', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyJob(alice, bob, 'bob');
  await alice.getByTestId('input').fill('1, 2');
  await alice.getByTestId('compute').click();
  await expect(alice.getByTestId('stage')).toContainText('Waiting for the peer');
  await bob.close();
  await expect(alice.getByTestId('job-error')).toContainText('ERR_PEER_LEFT', { timeout: 5000 });
  await expect(alice.getByTestId('job-state')).toHaveText('failed');
});

test('the proposer can name the peer as receiver; only the peer sees the result', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyJob(alice, bob, 'bob', 'peer');
  await alice.getByTestId('input').fill('3\n-7');
  await bob.getByTestId('input').fill('0.5 0.25');
  await bob.getByTestId('compute').click();
  await alice.getByTestId('compute').click();
  await expect(bob.getByTestId('sum')).toHaveText(['3.5', '-6.75']);
  await expect(bob.getByTestId('product')).toHaveText(['1.5', '-1.75']);
  await expect(alice.getByTestId('result-elsewhere')).toContainText('bob');
  await expect(alice.getByTestId('result')).toHaveCount(0);
});

test('any member can cancel a ready job; both tabs show it at once', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyJob(alice, bob, 'bob');
  await bob.getByTestId('cancel').click();
  for (const p of [alice, bob]) {
    await expect(p.getByTestId('job-state')).toHaveText('cancelled');
    await expect(p.getByTestId('job-error')).toHaveText('ERR_CANCELLED cancelled by bob');
    await expect(p.getByTestId('compute')).toHaveCount(0);
  }
});
