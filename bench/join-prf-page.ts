// The Chromium side of `npm run bench:join-prf`: the same measurements as in Node
// (bench/join-prf/measure.ts), in a dedicated worker (bench/join-prf/worker.ts), called by
// bench/join-prf.ts.

import type { JoinPrfFigures } from './join-prf/measure.js';

function joinPrfBench(log: (msg: string) => void): Promise<JoinPrfFigures> {
  const worker = new Worker(new URL('./join-prf/worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<string | { figures?: JoinPrfFigures; error?: string }>) => {
      if (typeof data === 'string') return log(data);
      worker.terminate();
      if (data.figures) resolve(data.figures);
      else reject(new Error(data.error));
    };
  });
}

(globalThis as unknown as { joinPrfBench: typeof joinPrfBench }).joinPrfBench = joinPrfBench;
document.getElementById('status')!.textContent = 'ready';
