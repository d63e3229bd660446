// B and the request shapes (shared/market-bounds.ts): the largest honest result of each kind fits
// B bits with its sign, and unblinding the low B bits of (m + r) mod n gives m back for r uniform
// mod n; shapes that do not match the listing are refused with ERR_POLICY.

import { describe, expect, it } from 'vitest';
import type { Column } from '../../shared/market.js';
import { checkRequestShape, columnBits, MAX_ELL_BITS, resultBits, WEIGHT_BITS } from '../../shared/market-bounds.js';
import { MAX_SHARE_BITS } from '../../workers/market/paillier/index.js';

const schema: Column[] = [
  { name: 'age', type: 'int', decimals: 0, min: 18, max: 90 },
  { name: 'income', type: 'decimal', decimals: 2, min: -5000, max: 5000 },
];
const ROWS = 1000;

describe('B, the bits returned per decrypted value', () => {
  it('fits the largest honest result of each kind, with its sign', () => {
    const w = 2n ** BigInt(WEIGHT_BITS) - 1n;
    const extreme = {
      sum: BigInt(ROWS) * 500_000n,
      'weighted-sum': BigInt(ROWS) * 500_000n * w,
      'linear-score': w * (90n * 100n + 500_000n + 100n),
    } as const;
    for (const [kind, m] of Object.entries(extreme)) {
      const B = resultBits(schema, ROWS, kind as keyof typeof extreme);
      expect(m < 1n << BigInt(B - 1)).toBe(true);
      expect(m >= 1n << BigInt(B - 3)).toBe(true); // and not much more
    }
    expect(resultBits(schema, ROWS, 'mean')).toBe(resultBits(schema, ROWS, 'sum'));
    expect(() => resultBits(schema, ROWS, 'min')).toThrow(expect.objectContaining({ code: 'ERR_POLICY' }));
  });

  it('the low B bits of (m + r) mod n, minus r, read signed, are m', () => {
    const n = (1n << 1023n) + 12345n; // any modulus far above 2^B will do for the arithmetic
    const B = resultBits(schema, ROWS, 'sum');
    const r = [0n, 1n, n - 1n, n / 3n, (1n << 600n) + 7n];
    for (const m of [0n, 1n, -1n, BigInt(ROWS) * 500_000n, -BigInt(ROWS) * 500_000n])
      for (const ri of r) {
        const z = (((m % n) + n + ri) % n) % n;
        if (m >= 0n ? ri >= n - m : ri < -m) continue; // the wrap past n: probability |m|/n
        const t = z & ((1n << BigInt(B)) - 1n);
        expect(BigInt.asIntN(B, t - ri)).toBe(m);
      }
  });

  it('the conversions cap agrees with the Paillier share width', () => {
    expect(MAX_ELL_BITS).toBe(MAX_SHARE_BITS);
  });
});

describe('request shapes', () => {
  const listing = { schema, rows: ROWS, computations: ['sum', 'linear-score', 'threshold-count', 'min', 'histogram'] };
  const ell = columnBits(schema[1]!) + 1;
  const conv = (shape: object, extra: object = {}) => ({
    kind: 'conversion' as const,
    computation: 'histogram' as const,
    count: ROWS,
    shape: { kind: 'histogram' as const, rows: ROWS, thresholds: 4, ellBits: ell, ...shape },
    ...extra,
  });
  const refused = (body: Parameters<typeof checkRequestShape>[0]) =>
    expect(() => checkRequestShape(body, listing)).toThrow(expect.objectContaining({ code: 'ERR_POLICY' }));

  it('accepts what the app sends', () => {
    checkRequestShape({ kind: 'result', computation: 'sum', count: 1 }, listing);
    checkRequestShape({ kind: 'result', computation: 'linear-score', count: ROWS }, listing);
    checkRequestShape(conv({}), listing);
    checkRequestShape(
      conv({ kind: 'threshold-count', thresholds: 1, ellBits: 40 }, { computation: 'threshold-count' }),
      listing,
    );
  });

  it('refuses sizes and programs the computation does not define', () => {
    refused({ kind: 'result', computation: 'sum', count: 2 });
    refused({ kind: 'result', computation: 'weighted-sum', count: 1 }); // not offered
    refused({ kind: 'result', computation: 'min', count: 1 });
    refused({ kind: 'conversion', computation: 'sum', count: ROWS });
    refused(conv({ kind: 'min', thresholds: 0 })); // program differs from the request
    refused(conv({}, { count: 10 }));
    refused(conv({ rows: 10 }, { count: 10 }));
    refused(conv({ thresholds: 66 }));
    refused(conv({ thresholds: 1 }));
    refused(conv({ ellBits: ell + 1 }));
    refused(conv({ kind: 'threshold-count', thresholds: 2 }, { computation: 'threshold-count' }));
    refused(conv({ kind: 'threshold-count', thresholds: 1, ellBits: 63 }, { computation: 'threshold-count' }));
    refused({ kind: 'conversion', computation: 'min', count: ROWS });
  });
});
