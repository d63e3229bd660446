// The non-linear computations (threshold count, min, max, histogram) on additive shares that
// came from Paillier ciphertexts, run with the SecureNumpy engine between the buyer (party 0,
// who alone receives the result) and the seller (party 1). The buyer's thresholds and edges are
// its secret inputs: the seller learns the computation's kind and sizes, nothing else.

import { ParleyError } from '../../shared/errors.js';
import { type ConvertedShape, columnBits } from '../../shared/market-bounds.js';
import { NDArray } from '../../shared/ndarray.js';
import type { SecureArray } from '../securenumpy/array.js';
import type { ComputationSpec } from './computations.js';
import type { Column } from './table.js';

/** The buyer's secret inputs and how to read the revealed integers. */
export interface ConvertedPlan {
  shape: ConvertedShape;
  thresholds: bigint[];
  decode(revealed: readonly bigint[]): number[];
}

type Snp = {
  fromShare(share: NDArray, dtype?: string): SecureArray;
  array(data: unknown, owner: number, ...rest: unknown[]): SecureArray;
};

const floorScaled = (x: number, d: number) => BigInt(Math.floor(x * 10 ** d + 1e-9 * Math.abs(x) * 10 ** d));
const ceilScaled = (x: number, d: number) => BigInt(Math.ceil(x * 10 ** d - 1e-9 * Math.abs(x) * 10 ** d));

/**
 * Everything reduces to counts of x > u for secret integer thresholds u: x ≥ T ⇔ x > ⌈T⌉ − 1,
 * x > T ⇔ x > ⌊T⌋ (x an integer at the column's scale); < and ≤ are the complements, taken by
 * the buyer after the reveal. `column` is the converted values' column (a score's, for a score):
 * its bound sizes the masks (ell = columnBits + 1).
 */
export function planConverted(spec: ComputationSpec, column: Column, rows: number): ConvertedPlan {
  const d = column.decimals;
  const unit = 10 ** d;
  const ellBits = columnBits(column) + 1;
  switch (spec.kind) {
    case 'threshold-count': {
      const strictAbove = spec.op === 'gt' || spec.op === 'le'; // count(x > T), complement for le
      const u = strictAbove ? floorScaled(spec.threshold, d) : ceilScaled(spec.threshold, d) - 1n;
      const complement = spec.op === 'lt' || spec.op === 'le';
      return {
        shape: { kind: spec.kind, rows, thresholds: 1, ellBits },
        thresholds: [u],
        decode: ([c]) => [complement ? rows - Number(c!) : Number(c!)],
      };
    }
    case 'min':
    case 'max':
      return {
        shape: { kind: spec.kind, rows, thresholds: 0, ellBits },
        thresholds: [],
        decode: ([v]) => [Number(v!) / unit],
      };
    case 'histogram': {
      // NumPy's bins: [e_j, e_j+1) and the last one closed, so its upper count is x > ⌊e_k⌋.
      const k = spec.edges.length - 1;
      const u = spec.edges.map((e, j) => (j < k ? ceilScaled(e, d) - 1n : floorScaled(e, d)));
      return {
        shape: { kind: spec.kind, rows, thresholds: k + 1, ellBits },
        thresholds: u,
        decode: (vs) => vs.map(Number),
      };
    }
    default:
      throw new ParleyError('ERR_BAD_REQUEST', `${spec.kind} is computed homomorphically, not on shares`);
  }
}

/** Runs the agreed program; party 0 gets the revealed integers, party 1 gets null. */
export async function runConverted(
  snp: Snp,
  shape: ConvertedShape,
  shares: BigUint64Array,
  thresholds: bigint[] | null,
): Promise<bigint[] | null> {
  if (shares.length !== shape.rows)
    throw new ParleyError('ERR_PROTOCOL', `expected ${shape.rows} shares, got ${shares.length}`);
  const x = snp.fromShare(new NDArray([shape.rows], 'uint64', shares), 'int64');
  let out: SecureArray;
  if (shape.kind === 'min') out = x.min();
  else if (shape.kind === 'max') out = x.max();
  else {
    const t = shape.thresholds;
    const u = snp.array(thresholds ? [thresholds.map(Number)] : null, 0, 'int64', { shape: [1, t] });
    const counts = x.reshape([shape.rows, 1]).gt(u).astype('int64').sum(0);
    out = shape.kind === 'threshold-count' ? counts : counts.get(`0:${t - 1}`).sub(counts.get(`1:${t}`));
  }
  const r = await out.revealTo(0);
  if (!r) return null;
  return Array.from(r.data as BigInt64Array, (v) => BigInt(v));
}
