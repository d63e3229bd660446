// The compute worker of a market job: exposes MarketJobApi to the page with comlink and runs the
// seller's or the buyer's end over the job's Pool. The table and the keys stay here.

import * as Comlink from 'comlink';
import { runBuyerJob, runSellerJob } from '../market/job.js';
import { unwrap } from '../outcome.js';
import { attach, onPool } from './job-pool.js';
import type { MarketJobApi } from './market-api.js';

const api: MarketJobApi = {
  attach,

  marketSeller(job, recordDecryption, onServed) {
    return onPool({ flush: 'ok', abort: true }, (pool) =>
      runSellerJob(pool, {
        ...job,
        recordDecryption: (seq) => unwrap(recordDecryption(seq)).then(() => undefined),
        onServed: (op, n) => void onServed(op, n),
      }),
    );
  },

  marketBuyer(job, requestDecryption, onStage) {
    return onPool({ abort: true }, (pool) =>
      runBuyerJob(pool, {
        ...job,
        requestDecryption: (body, opening) => unwrap(requestDecryption(body, opening)),
        onStage: (s, d, t) => void onStage(s, d, t),
      }),
    );
  },
};

Comlink.expose(api);
