// `npm run bench:join-prf`: the private join's key hashing and OPRF per 100,000 keys, in Node
// and in one headless Chromium page (bench/join-prf-page.html, bundled with Vite and served from
// 127.0.0.1), as JSON. What is measured: bench/join-prf/measure.ts. The figures say how long the
// join's first phase takes per party before any traffic beyond the blinded points: RFC 9380
// hash-to-curve (workers/join/hash-to-curve.ts) and WebCrypto X25519 (workers/join/oprf.ts).

import { resolve } from 'node:path';
import { type JoinPrfFigures, measureJoinPrf } from './join-prf/measure.js';
import { measurePage } from './page-bench.js';

const PAGE = resolve(import.meta.dirname, 'join-prf-page.html');
const log = (msg: string) => console.error(`[bench:join-prf ${new Date().toISOString().slice(11, 19)}] ${msg}`);

log('Node');
const node = await measureJoinPrf((m) => log(`[node] ${m}`));
log('Chromium');
const chromium = await measurePage<JoinPrfFigures>(PAGE, 'joinPrfBench', log);
console.log(
  JSON.stringify(
    {
      bench: 'join-prf',
      unit: 'ms per call on all keys; X25519 operations per second by concurrent chunk size (1 = sequential)',
      node: { version: process.version, ...node },
      chromium: { ...chromium },
    },
    null,
    2,
  ),
);
