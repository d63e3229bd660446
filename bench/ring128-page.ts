// The Chromium side of `npm run bench:ring`: the same checks and measurements as in Node
// (bench/ring128/measure.ts), on the page's main thread, called by bench/ring128.ts.

import { measureRing } from './ring128/measure.js';

(globalThis as unknown as { ringBench: typeof measureRing }).ringBench = measureRing;
document.getElementById('status')!.textContent = 'ready';
