// Shared e2e fixtures: a fresh service (temporary SQLite file, serving the built app) per
// test, and helpers that open a party in its own browser context and sign it in.

import { test as base, expect, type Browser, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createService, type Service, type ServiceOptions } from '../signaling/app.js';
import { createLogger } from '../signaling/log.js';

const dist = resolve(import.meta.dirname, '../dist');

export interface Fixtures {
  serviceOptions: Partial<ServiceOptions>;
  service: Service;
  openParty(name: string, opts?: { invite?: string; debug?: boolean }): Promise<Page>;
}

export const test = base.extend<Fixtures>({
  serviceOptions: [{}, { option: true }],
  service: async ({ serviceOptions }, use) => {
    if (!existsSync(join(dist, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
    const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
    const service = await createService({ dbFile: join(dir, 'parley.db'), staticDir: dist, logger: createLogger('warn'), ...serviceOptions });
    await use(service);
    await service.close();
    rmSync(dir, { recursive: true, force: true });
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
