// What one decryption request may ask of the seller's key, derived in ONE place from public
// facts only (the listing's column bounds, its row count and the computation's kind) so that the
// service (when it countersigns), the seller's tab (before its key touches anything) and the
// buyer (when it unblinds) agree: how many result values a computation decrypts and how many bits
// of each the seller returns (B, docs/market.md "What a decryption reveals"), and the shape of a
// converted program (kind, rows, thresholds, ell). Nothing here depends on the buyer's secret
// parameters: the seller cannot check what a ciphertext encrypts, so every bound is the largest
// any honest request of that kind could need.

import { ParleyError } from './errors.js';
import type { Column, Computation } from './market.js';

/**
 * Scaled weights and coefficients (round(w · 10^k)) of weighted sums and linear scores are below
 * 2^WEIGHT_BITS in absolute value (checked by the buyer, ERR_OUT_OF_RANGE): the public bound
 * that sizes B for computations with secret weights.
 */
export const WEIGHT_BITS = 40;
/** The widest value (in bits, sign included) a conversion masks: int64 shares with headroom (paillier MAX_SHARE_BITS). */
export const MAX_ELL_BITS = 62;
/** Histogram thresholds (= edges): 2 to 65 (64 bins). */
export const MAX_THRESHOLDS = 65;

/** Kinds whose result the seller decrypts (blinded), and those converted to shares. */
const DECRYPTED: readonly Computation[] = ['sum', 'mean', 'weighted-sum', 'linear-score'];
const CONVERTED: readonly Computation[] = ['threshold-count', 'min', 'max', 'histogram'];

/** The shape of a converted program, signed by the buyer and countersigned by the service. */
export interface ConvertedShape {
  kind: 'threshold-count' | 'min' | 'max' | 'histogram';
  rows: number;
  /** Secret thresholds the buyer inputs (1 for threshold-count, edges for histogram, 0 for min/max). */
  thresholds: number;
  /** Bits of |x| + 1 that the masks are sized for (columnBits + 1). */
  ellBits: number;
}

const bitLength = (x: bigint): number => (x === 0n ? 0 : x.toString(2).length);

/** The largest |value| of a column as a scaled integer (round(x · 10^d)), rounded up. */
function maxAbsScaled(col: Column): bigint {
  return BigInt(Math.ceil(Math.max(Math.abs(col.min), Math.abs(col.max)) * 10 ** col.decimals - 1e-9));
}

/** Bits needed for |v| of any encoded value of the column (for masks and slot sizes). */
export function columnBits(col: Column): number {
  const unit = 10 ** col.decimals;
  const bound = Math.max(Math.abs(col.min), Math.abs(col.max)) * unit;
  return Math.max(1, Math.ceil(Math.log2(bound + 1)));
}

/**
 * B: bits (sign included) of each decrypted result of `computation` on this listing, from the
 * largest |result| any honest request could have: rows · max|x| for sums (the widest column),
 * times 2^WEIGHT_BITS for weighted sums, and (1 + Σ_c max|x_c| at the common scale) · 2^WEIGHT_BITS
 * for a row's linear score. The seller returns z mod 2^B of each blinded value.
 */
export function resultBits(schema: readonly Column[], rows: number, computation: Computation): number {
  let widest = 0n;
  for (const c of schema) {
    const m = maxAbsScaled(c);
    if (m > widest) widest = m;
  }
  const weight = (1n << BigInt(WEIGHT_BITS)) - 1n;
  let bound: bigint;
  switch (computation) {
    case 'sum':
    case 'mean':
      bound = BigInt(rows) * widest;
      break;
    case 'weighted-sum':
      bound = BigInt(rows) * widest * weight;
      break;
    case 'linear-score': {
      const D = Math.max(0, ...schema.map((c) => c.decimals));
      const terms = schema.reduce((a, c) => a + maxAbsScaled(c) * 10n ** BigInt(D - c.decimals), 10n ** BigInt(D));
      bound = terms * weight;
      break;
    }
    default:
      throw new ParleyError('ERR_POLICY', `${computation} decrypts no result values`);
  }
  return bitLength(bound) + 1;
}

/** What a decrypt-request body says about its size and program (see shared/market.ts). */
interface RequestShape {
  kind: 'result' | 'conversion';
  computation: Computation;
  count: number;
  shape?: ConvertedShape | undefined;
}

const refuse = (why: string): never => {
  throw new ParleyError('ERR_POLICY', why);
};

/**
 * Refuses (ERR_POLICY) a request the listing does not offer or that is not the size and program
 * its computation defines: a result request decrypts 1 value (sum, mean, weighted sum) or one per
 * row (linear score) and names no program; a conversion converts every row once and names its
 * program: the same kind, the listing's rows, 1 threshold (threshold count), 2-65 (histogram) or
 * none (min, max), and the ell a column of the listing implies (any up to 62 for a threshold
 * count, which may compare a score).
 */
export function checkRequestShape(
  body: RequestShape,
  listing: { schema: readonly Column[]; rows: number; computations: readonly string[] },
): void {
  const { computation: c, shape } = body;
  if (!listing.computations.includes(c)) refuse(`this listing does not offer ${c}`);
  if (body.kind === 'result') {
    if (!DECRYPTED.includes(c)) refuse(`${c} decrypts no result values`);
    const want = c === 'linear-score' ? listing.rows : 1;
    if (body.count !== want) refuse(`${c} decrypts ${want} value(s), not ${body.count}`);
    if (shape) refuse('a result request names no program');
    return;
  }
  if (!CONVERTED.includes(c)) refuse(`${c} is not computed on converted shares`);
  if (!shape) return refuse('a conversion must name its program (kind, rows, thresholds, ell)');
  if (shape.kind !== c) refuse(`the request is for ${c}, its program is ${shape.kind}`);
  if (shape.rows !== listing.rows || body.count !== listing.rows)
    refuse(`a conversion converts the listing's ${listing.rows} rows once`);
  const t = shape.thresholds;
  const tOk = c === 'threshold-count' ? t === 1 : c === 'histogram' ? t >= 2 && t <= MAX_THRESHOLDS : t === 0;
  if (!tOk)
    refuse(
      `${c} takes ${c === 'histogram' ? `2-${MAX_THRESHOLDS}` : c === 'threshold-count' ? 1 : 0} thresholds, not ${t}`,
    );
  const ells = listing.schema.map((col) => columnBits(col) + 1);
  const ellOk =
    c === 'threshold-count'
      ? Number.isInteger(shape.ellBits) && shape.ellBits >= 1 && shape.ellBits <= MAX_ELL_BITS
      : ells.includes(shape.ellBits);
  if (!ellOk) refuse(`ell = ${shape.ellBits} bits is not what a column of this listing implies`);
}
