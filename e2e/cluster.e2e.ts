// Two real tabs on a real cluster: scripts/cluster-local.sh (PostgreSQL, Redis, two `npm start`
// nodes, Caddy in front), the tabs loading the app through the proxy and landing on different
// nodes. The node of the tab that has already started computing is killed with SIGKILL: the tab
// reconnects through the proxy to the other node, and the job still ends `done` in both tabs
// with the right numbers.

import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type LocalCluster, startLocalCluster } from '../test/helpers/local-cluster.js';

let cluster: LocalCluster;
const contexts: BrowserContext[] = [];
test.beforeAll(async () => {
  cluster = await startLocalCluster({}, 'npm start');
});
test.afterAll(async () => {
  // The tabs go first, so they do not try to reconnect to a proxy that is stopping.
  for (const c of contexts.splice(0)) await c.close();
  await cluster?.stop();
});

async function openParty(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  // A media permission keeps host candidates as plain 127.0.0.1 instead of mDNS names.
  await context.grantPermissions(['microphone'], { origin: cluster.url });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[${name}] ${m.text()}`);
  });
  await page.goto(cluster.url);
  await page.getByTestId('join-name').fill(name);
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('me')).toHaveText(name);
  await expect(page.getByTestId('connection')).toHaveText('online');
  return page;
}

/** The node that holds `name`'s connection, once it is counted somewhere. */
async function nodeOf(name: string): Promise<string> {
  let node: string | null = null;
  await expect.poll(async () => (node = await cluster.nodeOf(name)), { timeout: 30_000 }).not.toBeNull();
  return node!;
}

test('two tabs on two nodes finish a job while the node of one of them is killed', async ({ browser }) => {
  test.setTimeout(180_000);
  const alice = await openParty(browser, 'alice');
  const bob = await openParty(browser, 'bob');
  const [nodeA, nodeB] = [await nodeOf('alice'), await nodeOf('bob')];
  expect(nodeA).not.toBe(nodeB);

  await alice.getByTestId('propose-peer').fill('bob');
  await alice.getByTestId('receiver-me').check();
  await alice.getByTestId('propose-submit').click();
  await bob.getByTestId('accept').click();
  for (const p of [alice, bob]) await expect(p.getByTestId('link-state')).toHaveText('open', { timeout: 30_000 });

  await alice.getByTestId('input').fill('1, 2.5, -3, 1000');
  await alice.getByTestId('compute').click();
  await expect(alice.getByTestId('stage')).toContainText('Waiting for the peer');
  await expect(bob.getByTestId('job-state')).toHaveText('running');

  await cluster.kill(nodeA, 'SIGKILL');
  await expect.poll(() => cluster.nodeOf('alice'), { timeout: 30_000 }).toBe(nodeB);
  await expect(alice.getByTestId('connection')).toHaveText('online');

  await bob.getByTestId('input').fill('4, -0.5, 2, 46.25');
  await bob.getByTestId('compute').click();
  await expect(alice.getByTestId('sum')).toHaveText(['5', '2', '-1', '1046.25'], { timeout: 30_000 });
  await expect(alice.getByTestId('product')).toHaveText(['4', '-1.25', '-6', '46250']);
  await expect(bob.getByTestId('result-elsewhere')).toContainText('alice');
  for (const p of [alice, bob]) await expect(p.getByTestId('job-state')).toHaveText('done', { timeout: 30_000 });
  for (const p of [alice, bob]) await expect(p.getByTestId('job-error')).toHaveCount(0);
});
