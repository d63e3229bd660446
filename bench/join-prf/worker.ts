// The Chromium side of `npm run bench:join-prf` runs here, in a dedicated worker as the join
// itself does (the engine's worker): WebAssembly modules over 4 KiB compile synchronously only
// off the page's main thread. Posts the figures, and log lines as strings, to the page.

import { measureJoinPrf } from './measure.js';

const post = (message: unknown) => (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(message);
measureJoinPrf((m) => post(m)).then(
  (figures) => post({ figures }),
  (e: unknown) => post({ error: String(e) }),
);
