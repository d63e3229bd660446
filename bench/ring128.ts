// `npm run bench:ring`: the Z_2^128 kernel candidates for the wide ring (issue 15) — plain BigInt,
// paired 64-bit words in lowered BigInt, 32-bit limbs and WebAssembly — against the Z_2^64
// kernels of shared/ring.ts in the same run, in Node and in headless Chromium (the page
// bench/ring128-page.html, bundled with Vite and served from 127.0.0.1), as JSON: ms per call
// (best of 7) and the ratio 128/64 for each op. `--node` measures Node only.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.js';
import { bundlePage } from './harness.js';
import { measureRing, type RingFigures } from './ring128/measure.js';

const PAGE = resolve(import.meta.dirname, 'ring128-page.html');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };

const log = (msg: string) => console.error(`[bench:ring ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** The page bundled into a temporary folder, served on 127.0.0.1, measured in headless Chromium. */
async function inChromium(): Promise<RingFigures & { version: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-ring128-'));
  await bundlePage(PAGE, dir);
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
    await page.goto(`http://127.0.0.1:${port}/bench/ring128-page.html`);
    await page.waitForFunction(() => (globalThis as any).ringBench !== undefined);
    const figures = (await page.evaluate(() =>
      (globalThis as any).ringBench((m: string) => console.log(m)),
    )) as RingFigures;
    return { ...figures, version: browser.version() };
  } finally {
    await browser.close();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

log('Node');
const node = measureRing((m) => log(`[node] ${m}`));
let browser: (RingFigures & { version: string }) | null = null;
if (!process.argv.includes('--node')) {
  log('Chromium');
  browser = await inChromium();
}
console.log(
  JSON.stringify(
    {
      bench: 'ring128',
      unit: 'ms per call (best of 7); ratio = 128-bit ms / 64-bit ms; work = elements, or multiply-adds for matmul',
      node: { version: process.version, ...node },
      chromium: browser,
    },
    null,
    2,
  ),
);
