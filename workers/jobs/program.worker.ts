// The compute worker of a program job (a SecureNumpy program, the sum-and-product preset, or the
// job's participant dealer; also, started alone, a proposal's dry run): exposes ProgramJobApi,
// and the message-layer diagnostics, to the page with comlink, and reaches the peers through the
// job's Pool. Data stays here. Once its modules have loaded it locks the realm down (SES), so
// that the program it runs, compiled in a Compartment, reaches nothing but the SecureNumpy facade (workers/sandbox/, workers/program.ts).

import * as Comlink from 'comlink';
import { dryRun } from '../dry-run.js';
import { outcome } from '../outcome.js';
import { runProgram } from '../program.js';
import { lockdownRealm } from '../sandbox/lockdown.js';
import { serveDealer } from '../securenumpy/index.js';
import { type DiagnosticsApi, remotePool } from './diagnostics.js';
import { attach, makePool, onPool } from './job-pool.js';
import type { ProgramJobApi } from './program-api.js';

lockdownRealm();

const api: ProgramJobApi & DiagnosticsApi = {
  attach,

  runProgram(job, onProgress) {
    return onPool({}, (pool) => runProgram(pool, { ...job, onProgress: (p) => void onProgress(p) }));
  },

  serveDealer(onServed) {
    let last = 0;
    // On success the parties hold every correction; on failure they learn the code at once.
    return onPool({ flush: 'ok', abort: true }, (pool) =>
      serveDealer(pool, (n) => {
        if (Date.now() - last < 100) return;
        last = Date.now();
        void onServed(n);
      }),
    );
  },

  dryRun(args) {
    return outcome(() => dryRun(args));
  },

  async openPool() {
    return Comlink.proxy(remotePool(makePool()));
  },
};

Comlink.expose(api);
