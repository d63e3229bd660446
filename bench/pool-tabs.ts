// The tabs of a message-layer or engine bench run (bench/messages.ts, bench/engine.ts) on the
// bench page bench/pool-page.html: each tab signs in, the first proposes one job with the others
// (the last as the job's dealer when asked), they accept, and every tab connects the job with the
// bench worker, so each page has `window.pool` (see bench/worker/measure.ts).

import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_ROLES, type Role } from '../shared/protocol.js';
import { type BenchWorld, newTab } from './harness.js';

/** The bench page to give startWorld. */
export const POOL_PAGE = resolve(import.meta.dirname, 'pool-page.html');

export async function poolTabs(
  world: BenchWorld,
  names: string[],
  opts: { dealer?: boolean } = {},
): Promise<{ pages: Page[]; jobId: string }> {
  const pages: Page[] = [];
  for (const [i, name] of names.entries()) {
    const page = await newTab(world, name);
    await page.waitForFunction(() => (globalThis as any).poolBench !== undefined);
    const roles: Role[] = opts.dealer && i === names.length - 1 ? [...DEFAULT_ROLES, 'dealer'] : DEFAULT_ROLES;
    await page.evaluate(([n, r]) => (globalThis as any).poolBench.join(n, r), [name, roles] as const);
    pages.push(page);
  }
  const dealer = opts.dealer ? names.at(-1)! : null;
  const peers = names.slice(1, dealer ? -1 : undefined);
  const jobId = await pages[0]!.evaluate(
    ([p, d]) => (globalThis as any).poolBench.propose(p, d ?? undefined) as Promise<string>,
    [peers, dealer] as const,
  );
  for (const p of pages.slice(1)) await p.evaluate((id) => (globalThis as any).poolBench.accept(id), jobId);
  await Promise.all(pages.map((p) => p.evaluate((id) => (globalThis as any).poolBench.open(id), jobId)));
  return { pages, jobId };
}
