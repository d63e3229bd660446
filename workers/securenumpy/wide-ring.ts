// What the wide ring (`ring: 128`, issue 15) cannot run yet, in one place. The session's ring is
// known to both parties, so each refuses these at the call, the same way, with ERR_UNSUPPORTED:
// no party starts an operation its peer refused. Everything not listed here works in both rings
// (inputs, reveals, constants, shape and indexing ops, add/sub/neg, sum/cumsum/mean/prod,
// average, products (truncated exactly in Z_2^128), public factors, division by public and secret
// values, reciprocal, log, sqrt, var, std, power, matrix products), in dealer mode; dealer-free
// is refused at creation.

import { ParleyError } from '../../shared/errors.js';
import type { Ring } from '../../shared/rings.js';

/** Operations not written for Z_2^128 yet, and why (what they are waiting for). */
const PENDING = {
  comparisons: 'the wide comparison circuit',
  'where, maximum, minimum, clip, abs, sign and relu': 'the wide comparison circuit',
  'max, min, argmax, argmin and ptp': 'the wide comparison circuit',
  'sort, argsort, median and percentile': 'the wide comparison circuit',
  'astype to bool or int64 from float64, and bool to numbers': 'bit conversions',
  'and, or, xor and not': 'bit conversions',
  'exp, sigmoid and softmax': 'the wide bit decomposition and comparison circuit',
  'toShare and fromShare': 'a contract for 128-bit shares',
} as const;

export type PendingOp = keyof typeof PENDING;

/** Refuses `op` in a session on the wide ring (ERR_UNSUPPORTED, at every party alike). */
export function refuseWide(s: { ring: Ring }, op: PendingOp): void {
  if (s.ring.bits === 64) return;
  throw new ParleyError(
    'ERR_UNSUPPORTED',
    `${op}: not available in the wide ring (ring: 128) yet, it needs ${PENDING[op]}; use ring: 64 for it`,
  );
}
