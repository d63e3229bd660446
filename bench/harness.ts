// What the browser benchmarks share: the real service on a temporary data folder serving the
// built app (dist/) plus, when asked, a bench page bundled with Vite next to it (under /bench/,
// same origin as the app, so its workers, socket.io and WebRTC behave as the app's do), Chromium
// launched with the loopback-only flags, and one browser context per party. Run inside
// e2e/run-isolated.sh (see ../shared/docs/BROWSER_TESTS.md).

import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.js';
import { createService, type Service } from '../signaling/app.js';
import { createLogger } from '../signaling/log.js';

const DIST = resolve(import.meta.dirname, '../dist');

export interface BenchWorld {
  dir: string;
  service: Service;
  browser: Browser;
  /** The bench page's URL (when a page was bundled). */
  pageUrl: string | null;
  close(): Promise<void>;
}

/**
 * Bundles `html` (a page under bench/, with its module script) into `outDir` with Vite, the app's
 * settings (simple-peer's `global`, ES workers, Svelte for the runes), served under /bench/.
 */
export async function bundlePage(html: string, outDir: string): Promise<void> {
  const { build } = await import('vite');
  const { svelte } = await import('@sveltejs/vite-plugin-svelte');
  await build({
    configFile: false,
    root: dirname(html),
    base: '/bench/',
    logLevel: 'warn',
    define: { global: 'globalThis' },
    plugins: [svelte()], // the app's `.svelte.ts` classes (Connection, PeerConnection) use runes
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
      rollupOptions: { input: html },
    },
  });
}

/** Service + Chromium; with `page`, the app's dist/ plus that page bundled under /bench/. */
export async function startWorld(opts: { page?: string; log?: (msg: string) => void } = {}): Promise<BenchWorld> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  let staticDir = DIST;
  let pageUrl: string | null = null;
  if (opts.page) {
    staticDir = join(dir, 'static');
    cpSync(DIST, staticDir, { recursive: true });
    mkdirSync(join(staticDir, 'bench'));
    const t = performance.now();
    await bundlePage(opts.page, join(staticDir, 'bench'));
    opts.log?.(`bundled ${basename(opts.page)} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const service = await createService({ dbFile: join(dir, 'p.db'), staticDir, logger: createLogger('warn') });
  if (opts.page) pageUrl = `${service.url}/bench/${basename(opts.page)}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return {
    dir,
    service,
    browser,
    pageUrl,
    async close() {
      await browser.close();
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A party's own browser context (own storage) with the media permission ICE needs on loopback. */
export async function newTab(world: BenchWorld, name: string, url = world.pageUrl ?? world.service.url): Promise<Page> {
  const ctx = await world.browser.newContext();
  await ctx.grantPermissions(['microphone'], { origin: world.service.url });
  await ctx.addInitScript(() => localStorage.setItem('parleyDebug', '1'));
  const page = await ctx.newPage();
  if (process.env.TRACE === '1') page.on('console', (m) => console.error(`[${name}] ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[${name}] page error: ${e.message}`));
  await page.goto(url);
  return page;
}
