// What the wide ring (`ring: 128`, issue 15) cannot run yet, in one place. The session's ring is
// known to both parties, so each refuses these at the call, the same way, with ERR_UNSUPPORTED:
// no party starts an operation its peer refused. Everything not listed here works in both rings
// (inputs, reveals, constants, shape and indexing ops, add/sub/neg, sum/cumsum/mean/prod,
// average, products (truncated exactly in Z_2^128), public factors, division by public and secret
// values, the math (reciprocal, exp, log, sqrt, sigmoid, softmax, var, std, negative powers),
// matrix products, comparisons and everything built on them, astype, bool logic), in dealer
// mode; dealer-free is refused at creation.

import { ParleyError } from '../../shared/errors.js';
import type { Ring } from '../../shared/rings.js';

/** Operations not written for Z_2^128 yet, and why (what they are waiting for). */
const PENDING = {
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
