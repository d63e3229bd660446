// The catalogue of computations a listing can offer: their parameters (validated), how many
// values each one decrypts or converts, and the salted commitment to the parameters that goes on
// the ledger (SHA-256 over a domain, a fresh 256-bit salt the buyer keeps, and the canonical
// spec: hiding while the salt stays secret, binding by collision resistance). Linear ones run
// homomorphically on ciphertexts; the others convert ciphertexts to shares.

import { z } from 'zod';
import { ParleyError } from '../../shared/errors.js';
import { canonicalJson } from '../../shared/ledger.js';
import { COMPUTATIONS, type Computation } from '../../shared/market.js';
import { MAX_THRESHOLDS, WEIGHT_BITS } from '../../shared/market-bounds.js';
import { fromBase64Url, randomBytes, toBase64Url } from '../../shared/random.js';
import type { Column } from './table.js';

export { COMPUTATIONS, type Computation };

const LINEAR: readonly Computation[] = ['count', 'sum', 'mean', 'weighted-sum', 'linear-score'];

const column = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/);
const finite = z.number().refine(Number.isFinite, 'must be finite');
const weightDecimals = z.number().int().min(0).max(6);
const score = z.strictObject({ coefficients: z.record(column, finite), intercept: finite, weightDecimals });

const computationSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('count') }),
  z.strictObject({ kind: z.literal('sum'), column }),
  z.strictObject({ kind: z.literal('mean'), column }),
  /** Σ w_i x_i over the rows, with the buyer's plaintext weights (one per row). */
  z.strictObject({
    kind: z.literal('weighted-sum'),
    column,
    weights: z.array(finite).min(1).max(1_000_000),
    weightDecimals,
  }),
  /** β0 + Σ_j β_j x_ij for each row. */
  z.strictObject({ kind: z.literal('linear-score'), ...score.shape }),
  /**
   * How many rows compare to the threshold; the threshold stays the buyer's secret. Compares a
   * column, or a linear score per row (computed on ciphertexts, so the seller learns neither the
   * coefficients nor any score).
   */
  z.strictObject({
    kind: z.literal('threshold-count'),
    column: column.optional(),
    score: score.optional(),
    op: z.enum(['gt', 'ge', 'lt', 'le']),
    threshold: finite,
  }),
  z.strictObject({ kind: z.literal('min'), column }),
  z.strictObject({ kind: z.literal('max'), column }),
  /** Counts per bin [e_k, e_k+1); the edges stay the buyer's secret. */
  z.strictObject({ kind: z.literal('histogram'), column, edges: z.array(finite).min(2).max(MAX_THRESHOLDS) }),
]);
export type ComputationSpec = z.infer<typeof computationSpec>;

/** Validates a spec against the listing's columns, rows and offered computations. */
export function checkSpec(
  raw: unknown,
  columns: readonly Column[],
  rows: number,
  offered: readonly string[],
): ComputationSpec {
  const parsed = computationSpec.safeParse(raw);
  if (!parsed.success)
    throw new ParleyError('ERR_BAD_REQUEST', `computation: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const spec = parsed.data;
  if (!offered.includes(spec.kind)) throw new ParleyError('ERR_POLICY', `this listing does not offer ${spec.kind}`);
  if (spec.kind === 'threshold-count' && (spec.column === undefined) === (spec.score === undefined)) {
    throw new ParleyError('ERR_BAD_REQUEST', 'threshold-count compares either a column or a score');
  }
  const named = columnsRead(spec);
  for (const n of named) {
    if (!columns.some((c) => c.name === n)) throw new ParleyError('ERR_BAD_REQUEST', `no column named ${n}`);
  }
  if (spec.kind === 'weighted-sum' && spec.weights.length !== rows) {
    throw new ParleyError(
      'ERR_LENGTH_MISMATCH',
      `weighted-sum needs ${rows} weights (one per row), got ${spec.weights.length}`,
    );
  }
  if (spec.kind === 'histogram' && spec.edges.some((e, i) => i > 0 && e <= spec.edges[i - 1]!)) {
    throw new ParleyError('ERR_BAD_REQUEST', 'histogram edges must increase');
  }
  checkWeights(spec);
  return spec;
}

/** Weights, coefficients and intercepts must scale below 2^WEIGHT_BITS (the public bound B is sized by). */
function checkWeights(spec: ComputationSpec): void {
  const score = spec.kind === 'linear-score' ? spec : spec.kind === 'threshold-count' ? spec.score : undefined;
  const [ws, k] =
    spec.kind === 'weighted-sum'
      ? [spec.weights, spec.weightDecimals]
      : score
        ? [[...Object.values(score.coefficients), score.intercept], score.weightDecimals]
        : [[], 0];
  const limit = 2 ** WEIGHT_BITS;
  if (ws.some((w) => Math.abs(Math.round(w * 10 ** k)) >= limit))
    throw new ParleyError(
      'ERR_OUT_OF_RANGE',
      `weights and coefficients times 10^${k} must stay below 2^${WEIGHT_BITS} in absolute value`,
    );
}

export const isLinear = (spec: ComputationSpec): boolean => LINEAR.includes(spec.kind);

/** The columns a computation reads. */
export function columnsRead(spec: ComputationSpec): string[] {
  if (spec.kind === 'linear-score') return Object.keys(spec.coefficients);
  if (spec.kind === 'threshold-count')
    return spec.score ? Object.keys(spec.score.coefficients) : spec.column ? [spec.column] : [];
  return 'column' in spec ? [spec.column] : [];
}

/** Whether the computation reads the column (only those columns travel to the buyer). */
export function usesColumn(spec: ComputationSpec, name: string): boolean {
  return columnsRead(spec).includes(name);
}

/** Result values the buyer will have decrypted: what counts against the budget. */
export function resultCount(spec: ComputationSpec, rows: number): number {
  if (spec.kind === 'count') return 0; // the row count is public
  if (spec.kind === 'linear-score') return rows;
  if (spec.kind === 'histogram') return spec.edges.length - 1;
  return 1;
}

/** Ciphertexts turned into shares for the engine (the conversion budget). */
export function conversionCount(spec: ComputationSpec, rows: number): number {
  return isLinear(spec) ? 0 : rows;
}

const PARAMS_DOMAIN = 'parley/market/params-commitment/v1\0';
const SALT_BYTES = 32;

/** What opens a commitment: the canonical spec and the salt (base64url). The buyer keeps it. */
export interface ParamsOpening {
  spec: string;
  salt: string;
}

/** Hex SHA-256(domain ‖ salt ‖ canonical spec) of an opening; anyone given the opening recomputes it. */
export async function paramsCommitment(opening: ParamsOpening): Promise<string> {
  const salt = fromBase64Url(opening.salt);
  if (salt.length !== SALT_BYTES) throw new ParleyError('ERR_BAD_REQUEST', `the salt must be ${SALT_BYTES} bytes`);
  const text = new TextEncoder();
  return bytesHash(concat([text.encode(PARAMS_DOMAIN), salt, text.encode(opening.spec)]));
}

/**
 * Commits to a spec under a fresh 256-bit salt: the ledger records the commitment; without the
 * salt nobody can test guesses of the parameters against it (unlike an unsalted hash).
 */
export async function commitParams(spec: ComputationSpec): Promise<{ commitment: string; opening: ParamsOpening }> {
  const opening = { spec: canonicalJson(spec), salt: toBase64Url(randomBytes(SALT_BYTES)) };
  return { commitment: await paramsCommitment(opening), opening };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.length);
  return out;
}

/** Hex SHA-256 of bytes (ciphertexts in a decryption request). */
export async function bytesHash(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
