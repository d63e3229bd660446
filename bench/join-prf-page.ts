// The Chromium side of `npm run bench:join-prf`: the same measurements as in Node
// (bench/join-prf/measure.ts), on the page's main thread, called by bench/join-prf.ts.

import { measureJoinPrf } from './join-prf/measure.js';

(globalThis as unknown as { joinPrfBench: typeof measureJoinPrf }).joinPrfBench = measureJoinPrf;
document.getElementById('status')!.textContent = 'ready';
