// The buyer's computation on a purchased listing: linear computations homomorphically, then
// blinded with a uniform mask mod n and decrypted by the seller under a countersigned request;
// the others masked statistically, converted into shares and run with the engine. Also the
// free test flow, which decrypts synthetic test data with the published test key only.

import { ParleyError } from '../../shared/errors.js';
import type { LedgerEntry } from '../../shared/ledger.js';
import { type ConvertedShape, columnBits, resultBits } from '../../shared/market-bounds.js';
import type { SellerLink } from './channel.js';
import {
  bytesHash,
  type Computation,
  type ComputationSpec,
  commitParams,
  isLinear,
  type ParamsOpening,
} from './computations.js';
import { planConverted } from './converted.js';
import { type EncryptedTable, evaluateLinear, scoreCiphertexts } from './linear.js';
import {
  blind,
  checkKey,
  ciphertextsToBytes,
  decrypt,
  MAX_SHARE_BITS,
  maskForSharesPacked,
  type PrivateKey,
  type PublicKey,
  PublicRandomness,
  UniformRandomness,
} from './paillier/index.js';
import { evaluatePlain } from './plain.js';
import { scoreColumn } from './score.js';
import type { Column } from './table.js';

/** What the page signs and sends to the service (the page adds the seq). */
export interface DecryptRequestBody {
  kind: 'result' | 'conversion';
  computation: Computation;
  /** The salted commitment to the spec; its opening stays with the buyer. */
  paramsCommitment: string;
  count: number;
  ciphertextsHash: string;
  /** A conversion's program: the seller runs exactly this one. */
  shape?: ConvertedShape;
}

export interface BuyerContext {
  pk: PublicKey;
  table: EncryptedTable;
  /** The listing's whole schema (the table may hold only the columns used): B comes from it. */
  schema: readonly Column[];
  /**
   * Signs the request, has the service append it, returns the countersigned entry. The opening
   * of the request's commitment is the buyer's to keep (the page stores it); it never travels.
   */
  requestDecryption(body: DecryptRequestBody, opening: ParamsOpening): Promise<LedgerEntry>;
  /** The engine session shared with the seller (created on first use). */
  engine(): Parameters<SellerLink['convert']>[5];
  onStage?(
    stage: 'computing' | 'requesting' | 'decrypting' | 'converting' | 'done',
    done?: number,
    total?: number,
  ): void;
}

/** Runs one computation on the purchased ciphertexts; returns the answer (numbers). */
export async function computePurchased(link: SellerLink, spec: ComputationSpec, ctx: BuyerContext): Promise<number[]> {
  const { pk, table } = ctx;
  checkKey(pk, table);
  const { commitment, opening } = await commitParams(spec);
  if (isLinear(spec)) {
    ctx.onStage?.('computing');
    const res = evaluateLinear(pk, spec, table, (d, t) => ctx.onStage?.('computing', d, t));
    if (res.ciphertexts.length === 0) return res.decode([]);
    // Uniform re-randomization: the result's randomness (a product of the seller's randomness
    // raised to the buyer's weights) must not survive into what the seller decrypts.
    const rng = new UniformRandomness(pk);
    const blinded = res.ciphertexts.map((c) => blind(pk, c, rng));
    const bytes = ciphertextsToBytes(
      pk,
      blinded.map((b) => b.blinded),
    );
    ctx.onStage?.('requesting');
    const entry = await ctx.requestDecryption(
      {
        kind: 'result',
        computation: spec.kind,
        paramsCommitment: commitment,
        count: blinded.length,
        ciphertextsHash: await bytesHash(bytes),
      },
      opening,
    );
    ctx.onStage?.('decrypting');
    const low = await link.decrypt(entry, bytes);
    if (low.length !== blinded.length)
      throw new ParleyError('ERR_PROTOCOL', `asked for ${blinded.length} values, got ${low.length}`);
    ctx.onStage?.('done');
    const bits = resultBits(ctx.schema, table.rows, spec.kind);
    return res.decode(low.map((t, i) => unblindBits(t, blinded[i]!.r, bits)));
  }
  // The values to convert: a column's ciphertexts, or a score per row computed on them.
  const source = convertedSource(pk, spec, table, (d, t) => ctx.onStage?.('computing', d, t));
  const plan = planConverted(spec, source.column, table.rows);
  ctx.onStage?.('computing');
  const { ellBits } = plan.shape;
  // A score's packs are re-randomized uniformly (they carry the buyer's coefficients); a column's
  // are the seller's own ciphertexts, where the randomness hides nothing from it anyway.
  const rng = source.derived ? new UniformRandomness(pk) : new PublicRandomness(pk);
  const { masked, shares } = maskForSharesPacked(pk, source.ciphertexts, ellBits, rng);
  const bytes = ciphertextsToBytes(pk, masked);
  ctx.onStage?.('requesting');
  const entry = await ctx.requestDecryption(
    {
      kind: 'conversion',
      computation: spec.kind,
      paramsCommitment: commitment,
      count: table.rows,
      ciphertextsHash: await bytesHash(bytes),
      shape: plan.shape,
    },
    opening,
  );
  ctx.onStage?.('converting');
  const out = await link.convert(entry, bytes, plan.shape, shares, plan.thresholds, ctx.engine());
  ctx.onStage?.('done');
  return plan.decode(out);
}

/**
 * The result m from t = z mod 2^B, where z = (m + r) mod n is what the seller decrypted and r the
 * uniform blinding: z = m + r over the integers except with probability |m|/n < 2^(B−bits(n)+1)
 * (a wrap past n), so t − r ≡ m (mod 2^B), read as a signed B-bit integer (|m| < 2^(B−1)).
 */
function unblindBits(t: bigint, r: bigint, bits: number): bigint {
  if (typeof t !== 'bigint' || t < 0n || t >= 1n << BigInt(bits))
    throw new ParleyError('ERR_PROTOCOL', `a decrypted value must lie in [0, 2^${bits})`);
  return BigInt.asIntN(bits, t - r);
}

function convertedSource(
  pk: PublicKey,
  spec: ComputationSpec,
  table: EncryptedTable,
  onProgress: (d: number, t: number) => void,
) {
  if (spec.kind === 'threshold-count' && spec.score) {
    const column = scoreColumn(spec.score, table.columns);
    if (columnBits(column) + 1 > MAX_SHARE_BITS)
      throw new ParleyError(
        'ERR_OUT_OF_RANGE',
        `the score can reach ${column.max}: too large to compare as int64 shares`,
      );
    return { column, ciphertexts: scoreCiphertexts(pk, spec.score, table, onProgress), derived: true };
  }
  const name = 'column' in spec ? spec.column : undefined;
  const c = table.columns.findIndex((x) => x.name === name);
  if (c < 0) throw new ParleyError('ERR_BAD_REQUEST', `no column named ${name}`);
  return { column: table.columns[c]!, ciphertexts: table.data[c]!, derived: false };
}

/**
 * The test flow: the same computation on the listing's synthetic test data, decrypted with the
 * published test key. Ciphertexts under any other key are refused (ERR_WRONG_KEY).
 */
export function computeTest(testKey: PrivateKey, spec: ComputationSpec, table: EncryptedTable): number[] {
  checkKey(testKey.publicKey, table);
  if (isLinear(spec)) {
    // The same homomorphic evaluation as on purchased data, decrypted here with the test key.
    const res = evaluateLinear(testKey.publicKey, spec, table);
    return res.decode(res.ciphertexts.map((c) => decrypt(testKey, c)));
  }
  const values = table.data.map((col) => col.map((c) => decrypt(testKey, c)));
  return evaluatePlain(spec, table.columns, values, table.rows);
}
