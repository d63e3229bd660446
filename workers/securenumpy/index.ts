// parley/securenumpy: NumPy on two-party secret shares. runLocal runs both parties in one
// process; createSession is what a Web Worker uses over the job's Pool; serveDealer runs the
// opt-in dealer. See docs/securenumpy.md for every call, its error codes and its precision.
//
// Module order (a module imports values only from those before it; test/architecture checks that
// there is no cycle):
//   values, array-ops (the ArrayOps seam: an interface and its installer)
//   → array (SecureArray; calls the installed ArrayOps, imports no operation)
//   → protocols, protocols-bool, exchange, correlations and their makers (stock, dealer,
//     dealer-free, preprocessing; the PRG is shared/prg.ts) → session (constructs SecureArrays)
//   → operand (operands, broadcasting, copy, widening casts)
//   → ops-reveal, ops-linalg, ops-arith, math-core, ops-join (snp.privateJoin over ../join/)
//   → ops-compare, ops-order, ops-math
//   → ops-convert (astype; narrowing casts need comparisons) → ops-shape (x[idx] = v may narrow)
//   → ops-reduce, ops-sort → ops-stats → ops-exp
//   → snp (the module functions; installs ArrayOps from the ops-*) → run-local → index.

import type { Pool } from '../pool/pool.js';
import { Session, type SessionOptions, type SessionStats } from './session.js';
import { createSnp, type Snp } from './snp.js';

export { ParleyError } from '../../shared/errors.js';
export { NDArray } from '../../shared/ndarray.js';
export { SecureArray } from './array.js';
export { serveDealer } from './dealer.js';
export type { Needs } from './preprocessing.js';
export { type Program, type RunLocalOptions, runLocal } from './run-local.js';
export type { SecureDType } from './values.js';
export type { SessionOptions, SessionStats, Snp };

export interface SecureSession {
  snp: Snp;
  stats(): SessionStats;
  /** Waits for everything sent to be acknowledged; the pool stays open. */
  close(): Promise<void>;
}

/** One party's session over a job's pool (parties 0 and 1; a dealer, if any, at index 2). */
export function createSession(pool: Pool, options: SessionOptions): SecureSession {
  const session = new Session(pool, options);
  return { snp: createSnp(session), stats: () => session.stats(), close: () => session.close() };
}
