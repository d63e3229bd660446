// The benchmarks' job worker (never shipped: bench/pool-page.ts starts it and bench/harness.ts
// bundles it under /bench/): the job's Pool built as the product's job workers build it
// (workers/jobs/job-pool.ts), driven from the page with the measurements of bench/worker/measure.ts.

import * as Comlink from 'comlink';
import { remotePool } from '../../workers/jobs/diagnostics.js';
import { attach, makePool } from '../../workers/jobs/job-pool.js';
import { type BenchApi, measures } from './measure.js';

const api: BenchApi = {
  attach,
  async openPool() {
    const pool = makePool();
    return Comlink.proxy({ ...remotePool(pool), measure: measures(pool) });
  },
};

Comlink.expose(api);
