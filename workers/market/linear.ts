// The offered linear computations, evaluated by the buyer on the seller's ciphertexts without
// any key: sums, means, weighted sums with plaintext weights, linear-model scores. Each returns
// the result ciphertexts and how to turn their decrypted integers back into numbers.

import { ParleyError } from '../../shared/errors.js';
import type { ComputationSpec } from './computations.js';
import { addPlain, type PublicKey, sum, weightedSum } from './paillier/index.js';
import { type Score, scaled, scoreTerms } from './score.js';
import type { Column } from './table.js';

/** A listing's ciphertexts as the buyer holds them: data[c][r] under the listing's key. */
export interface EncryptedTable {
  keyId: string;
  columns: Column[];
  rows: number;
  data: bigint[][];
}

export interface LinearResult {
  /** Ciphertexts to decrypt (blinded); empty when the answer is public (count). */
  ciphertexts: bigint[];
  /** Decrypted signed integers → the answer. */
  decode(values: readonly bigint[]): number[];
}

type Progress = (done: number, total: number) => void;

export function evaluateLinear(
  pk: PublicKey,
  spec: ComputationSpec,
  t: EncryptedTable,
  onProgress?: Progress,
): LinearResult {
  const col = (name: string) => {
    const c = t.columns.findIndex((x) => x.name === name);
    if (c < 0) throw new ParleyError('ERR_BAD_REQUEST', `no column named ${name}`);
    return { index: c, column: t.columns[c]! };
  };
  switch (spec.kind) {
    case 'count':
      return { ciphertexts: [], decode: () => [t.rows] };
    case 'sum':
    case 'mean': {
      const { index, column } = col(spec.column);
      const unit = 10 ** column.decimals;
      const per = spec.kind === 'mean' ? t.rows : 1;
      return { ciphertexts: [sum(pk, t.data[index]!)], decode: ([v]) => [Number(v!) / unit / per] };
    }
    case 'weighted-sum': {
      const { index, column } = col(spec.column);
      if (spec.weights.length !== t.rows)
        throw new ParleyError('ERR_LENGTH_MISMATCH', `weighted-sum needs ${t.rows} weights`);
      const ws = spec.weights.map((w) => scaled(w, spec.weightDecimals));
      const c = weightedSum(pk, t.data[index]!, ws, onProgress);
      const unit = 10 ** (column.decimals + spec.weightDecimals);
      return { ciphertexts: [c], decode: ([v]) => [Number(v!) / unit] };
    }
    case 'linear-score': {
      const ciphertexts = scoreCiphertexts(pk, spec, t, onProgress);
      const unit = 10 ** scoreTerms(spec, t.columns).decimals;
      return { ciphertexts, decode: (vs) => vs.map((v) => Number(v) / unit) };
    }
    default:
      throw new ParleyError('ERR_BAD_REQUEST', `${spec.kind} is not a linear computation`);
  }
}

/** One ciphertext per row of the score β0 + Σ_j β_j x_j, in units of 10^-(D+k) (score.ts). */
export function scoreCiphertexts(pk: PublicKey, score: Score, t: EncryptedTable, onProgress?: Progress): bigint[] {
  const { terms, intercept } = scoreTerms(score, t.columns);
  const ws = terms.map((u) => u.weight);
  const out: bigint[] = [];
  for (let r = 0; r < t.rows; r++) {
    out.push(
      addPlain(
        pk,
        weightedSum(
          pk,
          terms.map((u) => t.data[u.index]![r]!),
          ws,
        ),
        intercept,
      ),
    );
    if (onProgress && (r % 256 === 255 || r === t.rows - 1)) onProgress(r + 1, t.rows);
  }
  return out;
}
