// A bench page measured in headless Chromium without the service: the page (bench/*.html) is
// bundled into a temporary folder, served from 127.0.0.1, and the function it sets on globalThis
// is called with a logger; its figures come back with the browser's version. Used by the benches
// whose Chromium half needs no app (bench:primitives, bench:ring).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.js';
import { bundlePage } from './harness.js';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** Runs `globalThis[entry](log)` of the page at `html` in Chromium and returns its figures. */
export async function measurePage<T>(
  html: string,
  entry: string,
  log: (msg: string) => void,
): Promise<T & { version: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-page-bench-'));
  await bundlePage(html, dir);
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/bench\//, '');
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    page.on('console', (m) => log(`[chromium] ${m.text()}`));
    await page.goto(`http://127.0.0.1:${port}/bench/${html.split('/').pop()}`);
    await page.waitForFunction((name) => (globalThis as any)[name] !== undefined, entry);
    const figures = (await page.evaluate(
      (name) => (globalThis as any)[name]((m: string) => console.log(m)),
      entry,
    )) as T;
    return { ...figures, version: browser.version() };
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
