// `npm run bench:ring`: the Z_2^128 kernel candidates for the wide ring (issue 15) — plain BigInt,
// paired 64-bit words in lowered BigInt, 32-bit limbs and WebAssembly — against the Z_2^64
// kernels of shared/ring.ts in the same run, in Node and in headless Chromium (the page
// bench/ring128-page.html, bundled with Vite and served from 127.0.0.1), as JSON: ms per call
// (best of 7) and the ratio 128/64 for each op, and the dealer's work for a 256³ matrix triple in
// each ring. `--node` measures Node only.

import { resolve } from 'node:path';
import { measurePage } from './page-bench.js';
import { measureRing, type RingFigures } from './ring128/measure.js';

const PAGE = resolve(import.meta.dirname, 'ring128-page.html');
const log = (msg: string) => console.error(`[bench:ring ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** The page measured in headless Chromium. */
const inChromium = () => measurePage<RingFigures>(PAGE, 'ringBench', log);

log('Node');
const node = await measureRing((m) => log(`[node] ${m}`));
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
