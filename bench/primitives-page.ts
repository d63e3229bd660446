// The Chromium side of `npm run bench:primitives`: the same checks and measurements as in Node
// (bench/primitives/measure.ts), on the page's main thread, called by bench/primitives.ts.

import { measurePrimitives } from './primitives/measure.js';

(globalThis as unknown as { primitivesBench: typeof measurePrimitives }).primitivesBench = measurePrimitives;
document.getElementById('status')!.textContent = 'ready';
