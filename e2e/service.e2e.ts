// The service's guarantees seen from real tabs: a tab that reloads mid-setup rejoins its job and
// reconnects, both tabs showing one safety code for the pair before and after; a third tab that
// is not a member cannot signal either member; a frozen peer is noticed by heartbeat; key
// rotation survives a reload; a session that the service ends (ticket expiry, key rotation) is
// taken up again by a fresh login; invitation-only admission; relays that swap the SDP or append
// their own fingerprint, a certificate other than the announced one, and a renegotiation after
// authentication are refused.

import { hashInvite } from '../signaling/auth.js';
import { expect, readyJob, test } from './fixtures.js';

test('a tab that reloads mid-setup rejoins its job and the computation succeeds', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyJob(alice, bob, 'bob');
  // Both tabs show one safety code for the pair (each from its own key and the key the peer proved).
  await expect(alice.getByTestId('safety-code')).toHaveText(/^\d{5} \d{5} \d{5} \d{5}$/);
  const code = await alice.getByTestId('safety-code').textContent();
  await expect(bob.getByTestId('safety-code')).toHaveText(code!);
  await bob.reload();
  await expect(bob.getByTestId('me')).toHaveText('bob');
  for (const p of [alice, bob]) await expect(p.getByTestId('link-state')).toHaveText('open', { timeout: 15_000 });
  for (const p of [alice, bob]) await expect(p.getByTestId('safety-code')).toHaveText(code!);
  await expect(bob.getByTestId('job-state')).toHaveText('ready');
  await alice.getByTestId('input').fill('2, 3');
  await bob.getByTestId('input').fill('10, -1');
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();
  await expect(alice.getByTestId('sum')).toHaveText(['12', '2']);
  await expect(alice.getByTestId('product')).toHaveText(['20', '-3']);
});

test('a third tab that is not a member can neither signal nor get tickets for the job', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  const carol = await openParty('carol', { debug: true });
  await readyJob(alice, bob, 'bob');
  const jobId = await alice.getByTestId('job').getAttribute('data-job');
  const refusals = await carol.evaluate(async (id) => {
    const { connection } = (globalThis as any).parley;
    const attempt = (event: string, payload: unknown) =>
      connection.call(event, payload).then(
        () => 'accepted',
        (e: { code: string }) => e.code,
      );
    return {
      toAlice: await attempt('signal', {
        jobId: id,
        to: 'alice',
        data: { link: 'x', signal: { type: 'offer', sdp: 'v=0' } },
      }),
      toBob: await attempt('signal', { jobId: id, to: 'bob', data: {} }),
      tickets: await attempt('job:tickets', { jobId: id }),
    };
  }, jobId);
  expect(refusals).toEqual({ toAlice: 'ERR_NOT_MEMBER', toBob: 'ERR_NOT_MEMBER', tickets: 'ERR_UNKNOWN_JOB' });
  await expect(carol.getByTestId('job')).toHaveCount(0);
  for (const p of [alice, bob]) await expect(p.getByTestId('link-state')).toHaveText('open');
});

test('a frozen peer tab is noticed by heartbeat within seconds', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyJob(alice, bob, 'bob');
  await alice.getByTestId('input').fill('1');
  await alice.getByTestId('compute').click();
  const hang = bob.evaluate(() => {
    const end = Date.now() + 20_000;
    while (Date.now() < end); // the tab hangs: no heartbeats, no goodbye
  });
  hang.catch(() => undefined); // the page is closed while still hanging
  await expect(alice.getByTestId('job-error')).toContainText('ERR_PEER_LEFT', { timeout: 10_000 });
});

test('a rotated key keeps working after a reload', async ({ openParty }) => {
  const alice = await openParty('alice', { debug: true });
  await alice.getByTestId('rotate-key').click();
  await expect(alice.getByTestId('key-note')).toContainText('New key in use');
  // The service closed the old key's session; the tab logged in again with the new key.
  await expect(alice.getByTestId('connection')).toHaveText('online');
  expect(await alice.evaluate(() => (globalThis as any).parley.connection.call('job:list', {}))).toEqual([]);
  await alice.reload();
  await expect(alice.getByTestId('connection')).toHaveText('online');
});

test.describe('short sessions with TURN REST credentials', () => {
  test.use({
    serviceOptions: {
      sessionTtlSeconds: 4,
      turn: { urls: ['turn:turn.invalid:3478'], secret: 'e2e-turn-shared-secret', ttlSeconds: 600 },
    },
  });

  test('a tab whose session ticket expires logs in again by itself, with a fresh TURN credential', async ({
    openParty,
  }) => {
    const alice = await openParty('alice', { debug: true });
    await alice.evaluate(() => {
      const w = globalThis as any;
      w.ends = [];
      w.parley.connection.listen('session:end', (r: { code: string }) => w.ends.push(r.code));
    });
    const turnUser = () =>
      alice.evaluate(
        () =>
          (globalThis as any).parley.connection.config.iceServers.find((s: { username?: string }) => s.username)
            ?.username as string | undefined,
      );
    await expect.poll(turnUser).toMatch(/^\d+:alice$/);
    const first = await turnUser();
    await expect
      .poll(() => alice.evaluate(() => (globalThis as any).ends), { timeout: 15_000 })
      .toContain('ERR_TICKET_EXPIRED');
    await expect(alice.getByTestId('connection')).toHaveText('online');
    await expect.poll(turnUser, { timeout: 10_000 }).not.toBe(first);
    expect(await alice.evaluate(() => (globalThis as any).parley.connection.call('job:list', {}))).toEqual([]);
  });
});

test.describe('invitation-only admission', () => {
  test.use({ serviceOptions: { admission: 'invite' } });

  test('registration needs the operator code', async ({ service, openParty, browser }) => {
    service.store.addInvite(hashInvite('e2e-invite-code'), 1, Date.now() + 60_000, Date.now());
    const page = await (await browser.newContext()).newPage();
    await page.goto(service.url);
    await page.getByTestId('join-name').fill('mallory');
    await expect(page.getByTestId('join-submit')).toBeDisabled();
    await page.getByTestId('join-invite').fill('not-a-valid-code');
    await page.getByTestId('join-submit').click();
    await expect(page.getByTestId('join-error')).toContainText('ERR_ADMISSION');
    await openParty('alice', { invite: 'e2e-invite-code' });
  });
});

test('a second tab of the same participant does not take over a job open in the first', async ({ openParty }) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyJob(alice, bob, 'bob');
  const second = await bob.context().newPage();
  await second.goto(bob.url());
  await expect(second.getByTestId('me')).toHaveText('bob');
  await expect(second.getByTestId('open-elsewhere')).toBeVisible();
  await expect(second.getByTestId('compute')).toHaveCount(0);
  await alice.getByTestId('input').fill('1, 2');
  await bob.getByTestId('input').fill('3, 4');
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();
  await expect(alice.getByTestId('sum')).toHaveText(['4', '6']);
});

test('a service restart mid-job loses nothing: the tabs reconnect and the job completes', async ({
  openParty,
  restartService,
}) => {
  const alice = await openParty('alice');
  const bob = await openParty('bob');
  await readyJob(alice, bob, 'bob');
  await alice.getByTestId('input').fill('5, 6');
  await bob.getByTestId('input').fill('7, 8');
  await restartService();
  for (const p of [alice, bob]) await expect(p.getByTestId('connection')).toHaveText('online', { timeout: 20_000 });
  for (const p of [alice, bob]) await expect(p.getByTestId('job-state')).toHaveText('ready');
  await alice.getByTestId('compute').click();
  await bob.getByTestId('compute').click();
  await expect(alice.getByTestId('sum')).toHaveText(['12', '14']);
  await expect(alice.getByTestId('product')).toHaveText(['35', '48']);
  for (const p of [alice, bob]) await expect(p.getByTestId('job-state')).toHaveText('done');
});

for (const [mode, relay] of [
  ['1', 'whose fingerprints do not match (a relay swapped the SDP)'],
  ['append', "whose SDP carries the relay's own fingerprint after the real one"],
  ['certificate', 'whose negotiated certificate is not the one its SDP announces'],
] as const) {
  test(`a connection ${relay} is refused with ERR_PEER_AUTH`, async ({ openParty, browser, service }) => {
    const alice = await openParty('alice');
    const context = await browser.newContext();
    await context.grantPermissions(['microphone'], { origin: service.url });
    await context.addInitScript((m) => {
      localStorage.setItem('parleyDebug', '1');
      localStorage.setItem('parleySimulateMitm', m);
    }, mode);
    const bob = await context.newPage();
    await bob.goto(service.url);
    await bob.getByTestId('join-name').fill('bob');
    await bob.getByTestId('join-submit').click();
    await expect(bob.getByTestId('connection')).toHaveText('online');
    await alice.getByTestId('propose-peer').fill('bob');
    await alice.getByTestId('propose-submit').click();
    await bob.getByTestId('accept').click();
    await expect(alice.getByTestId('link-error')).toContainText('ERR_PEER_AUTH', { timeout: 15_000 });
    await expect(bob.getByTestId('link-error')).toContainText('ERR_PEER_AUTH');
    if (mode === 'certificate')
      await expect(bob.getByTestId('link-error')).toContainText('certificate DTLS negotiated');
    await expect(alice.getByTestId('compute')).toBeDisabled();
    await expect(alice.getByTestId('safety-code')).toHaveCount(0);
    await context.close();
  });
}

test('a peer that sends a new session description on an authenticated connection is refused', async ({ openParty }) => {
  const alice = await openParty('alice', { debug: true });
  const bob = await openParty('bob');
  // Alice's tab keeps the offer it sends, to replay it once the connection is authenticated.
  await alice.evaluate(() => {
    const { connection } = (globalThis as any).parley;
    const send = connection.sendSignal.bind(connection);
    connection.sendSignal = (jobId: string, to: string, data: any) => {
      if (data?.signal?.sdp) (globalThis as any).lastOffer = { jobId, to, data };
      return send(jobId, to, data);
    };
  });
  await readyJob(alice, bob, 'bob');
  await alice.evaluate(() => {
    const { jobId, to, data } = (globalThis as any).lastOffer;
    return (globalThis as any).parley.connection.sendSignal(jobId, to, data);
  });
  await expect(bob.getByTestId('link-error')).toContainText('ERR_PEER_AUTH');
  await expect(bob.getByTestId('link-error')).toContainText('renegotiate');
  await expect(alice.getByTestId('link-error')).toContainText('ERR_PEER_AUTH');
});
