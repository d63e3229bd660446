// Shared e2e fixtures: a fresh service (temporary SQLite file, serving the built app) per
// test, and helpers that open a party in its own browser context and sign it in.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, test as base, expect, type Page } from '@playwright/test';
import { ROLES, type Role } from '../shared/protocol.js';
import { createService, type Service, type ServiceOptions } from '../signaling/app.js';
import { createLogger } from '../signaling/log.js';

const dist = resolve(import.meta.dirname, '../dist');
/** The live service behind each test's first service object (a restart replaces it). */
const services = new WeakMap<Service, { current: Service; options: ServiceOptions }>();

export interface Fixtures {
  serviceOptions: Partial<ServiceOptions>;
  service: Service;
  /** Stops the service and starts it again on the same port and SQLite file. */
  restartService(): Promise<Service>;
  /** Signs a participant in; `roles` replaces the default roles ticked on the Join form. */
  openParty(name: string, opts?: { invite?: string; debug?: boolean; roles?: Role[] }): Promise<Page>;
}

export const test = base.extend<Fixtures>({
  serviceOptions: [{}, { option: true }],
  service: async ({ serviceOptions }, use) => {
    if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
    const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
    const options = {
      dbFile: join(dir, 'parley.db'),
      staticDir: dist,
      logger: createLogger('warn'),
      graceMs: 3000,
      ...serviceOptions,
    };
    const holder = { current: await createService(options), options };
    services.set(holder.current, holder);
    await use(holder.current);
    await holder.current.close();
    rmSync(dir, { recursive: true, force: true });
  },
  restartService: async ({ service }, use) => {
    await use(async () => {
      const holder = services.get(service)!;
      const port = Number(new URL(holder.current.url).port);
      await holder.current.close();
      holder.current = await createService({ ...holder.options, port });
      return holder.current;
    });
  },
  openParty: async ({ browser, service }, use) => {
    const contexts: Awaited<ReturnType<Browser['newContext']>>[] = [];
    await use(async (name, opts = {}) => {
      const context = await browser.newContext();
      if (opts.debug) await context.addInitScript(() => localStorage.setItem('parleyDebug', '1'));
      // A media permission keeps host candidates as plain 127.0.0.1 instead of mDNS names.
      await context.grantPermissions(['microphone'], { origin: service.url });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') console.log(`[${name}] ${m.text()}`);
      });
      await page.goto(service.url);
      await page.getByTestId('join-name').fill(name);
      if (opts.invite) await page.getByTestId('join-invite').fill(opts.invite);
      if (opts.roles) for (const r of ROLES) await page.getByTestId(`role-${r}`).setChecked(opts.roles.includes(r));
      await page.getByTestId('join-submit').click();
      await expect(page.getByTestId('me')).toHaveText(name);
      await expect(page.getByTestId('connection')).toHaveText('online');
      return page;
    });
    for (const c of contexts) await c.close();
  },
});

export { expect };

/** A proposes a sum-and-product job to B (result to `receiver`), B accepts, both connect. */
export async function readyJob(a: Page, b: Page, peer: string, receiver: 'me' | 'peer' = 'me'): Promise<void> {
  await a.getByTestId('propose-peer').fill(peer);
  await a.getByTestId(receiver === 'me' ? 'receiver-me' : 'receiver-peer').check();
  await a.getByTestId('propose-submit').click();
  await b.getByTestId('accept').click();
  for (const p of [a, b]) await expect(p.getByTestId('link-state')).toHaveText('open');
}

/**
 * The program the proposer's editor holds (CodeMirror renders only the lines in view, so the
 * text is read from the editor's state, which the host of its shadow root offers as `programText`).
 * `getByTestId('program-text')` is the editor's content element: `.fill()` and typing drive it.
 */
export async function programText(page: Page): Promise<string> {
  return page
    .getByTestId('program-text')
    .evaluate((el) => ((el.getRootNode() as ShadowRoot).host as unknown as { programText: string }).programText);
}

/**
 * A proposes a SecureNumpy program job to B (the linear-regression template unless `program`
 * is given, which declares no named columns; outputs revealed to A only), B accepts, both
 * connect. Returns the program text.
 */
export async function readyProgramJob(
  a: Page,
  b: Page,
  peer: string,
  opts: { program?: string; outputs?: string } = {},
): Promise<string> {
  await a.getByTestId('kind-securenumpy').check();
  await a.getByTestId('propose-peer').fill(peer);
  if (opts.outputs) await a.getByTestId('program-outputs').fill(opts.outputs);
  if (opts.program) {
    await a.getByTestId('program-text').fill(opts.program);
    await a.getByTestId('schema-me').fill('');
    await a.getByTestId(`schema-${peer}`).fill('');
  }
  const text = await programText(a);
  await a.getByTestId('propose-submit').click();
  await b.getByTestId('accept').click();
  for (const p of [a, b]) await expect(p.getByTestId('link-state')).toHaveText('open');
  return text;
}

export interface PartyPages {
  pages: Page[];
  jobId: string;
}

/**
 * Opens n tabs (2 to 5), signs them in, forms one job with all of them (party i = tab i),
 * waits until every pair is connected and authenticated, and opens a message-layer pool in
 * each tab as `window.pool`.
 */
export async function formPoolJob(openParty: Fixtures['openParty'], n: number): Promise<PartyPages> {
  const names = Array.from({ length: n }, (_, i) => `party${i}`);
  const pages: Page[] = [];
  for (const name of names) pages.push(await openParty(name, { debug: true }));
  const jobId = await pages[0]!.evaluate(async (peers) => {
    const { connection } = (globalThis as any).parley;
    const job = await connection.call('job:propose', {
      kind: 'securenumpy',
      peers,
      program: 'message layer test',
      reveal: [{ output: 'none', to: ['party0'] }],
    });
    return job.id as string;
  }, names.slice(1));
  for (const p of pages.slice(1)) await p.getByTestId('accept').click();
  for (const p of pages) {
    const rows = p.getByTestId('link-state');
    await expect(rows).toHaveCount(n - 1);
    await expect(rows).toHaveText(Array(n - 1).fill('open'), { timeout: 20_000 });
  }
  for (const p of pages) {
    await p.evaluate(async (id) => {
      const g = globalThis as any;
      g.pool = await g.parley.openPool(id);
    }, jobId);
  }
  return { pages, jobId };
}
