// The buyer's parameter commitment (workers/market/computations.ts): two requests with the same
// spec commit differently (a fresh 256-bit salt each), the opening recomputes the commitment and a
// changed spec or salt does not; and weights beyond the public bound B is sized by are refused.

import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/ledger.js';
import { WEIGHT_BITS } from '../../../shared/market-bounds.js';
import { toBase64Url } from '../../../shared/random.js';
import {
  type ComputationSpec,
  checkSpec,
  commitParams,
  paramsCommitment,
} from '../../../workers/market/computations.js';
import type { Column } from '../../../workers/market/table.js';

const spec: ComputationSpec = { kind: 'threshold-count', column: 'income', op: 'ge', threshold: 4321.57 };
const columns: Column[] = [{ name: 'income', type: 'decimal', decimals: 2, min: 0, max: 5000 }];

describe('parameter commitments', () => {
  it('the same spec twice gives two different commitments, each opened by its own salt', async () => {
    const a = await commitParams(spec);
    const b = await commitParams(spec);
    expect(a.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(a.commitment).not.toBe(b.commitment);
    expect(a.opening.salt).not.toBe(b.opening.salt);
    expect(a.opening.spec).toBe(canonicalJson(spec));
    expect(await paramsCommitment(a.opening)).toBe(a.commitment);
    expect(await paramsCommitment(b.opening)).toBe(b.commitment);
    // Binding: another threshold, or another salt, does not open it.
    const other = canonicalJson({ ...spec, threshold: 4321.58 });
    expect(await paramsCommitment({ ...a.opening, spec: other })).not.toBe(a.commitment);
    expect(await paramsCommitment({ ...a.opening, salt: b.opening.salt })).not.toBe(a.commitment);
    await expect(paramsCommitment({ ...a.opening, salt: toBase64Url(new Uint8Array(8)) })).rejects.toMatchObject({
      code: 'ERR_BAD_REQUEST',
    });
  });
});

describe('weights within the public bound', () => {
  const offered = ['weighted-sum', 'linear-score', 'threshold-count'];
  it(`refuses a weight or coefficient of 2^${WEIGHT_BITS} or more at its decimals`, () => {
    const big = 2 ** WEIGHT_BITS / 100;
    expect(() =>
      checkSpec({ kind: 'weighted-sum', column: 'income', weights: [1, big], weightDecimals: 2 }, columns, 2, offered),
    ).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() =>
      checkSpec(
        { kind: 'linear-score', coefficients: { income: 1 }, intercept: big, weightDecimals: 2 },
        columns,
        2,
        offered,
      ),
    ).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(
      checkSpec(
        { kind: 'weighted-sum', column: 'income', weights: [1, big - 1], weightDecimals: 2 },
        columns,
        2,
        offered,
      ),
    ).toMatchObject({ kind: 'weighted-sum' });
  });
});
