// The WebAssembly exponentiation of hash-to-curve against textbook BigInt square-and-multiply:
// edge values, random field elements, and batches of several sizes (memory growth, in-place
// layout).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pow22523Batch } from '../../../workers/join/field-wasm.js';

const P = (1n << 255n) - 19n;
function pow(base: bigint, e: bigint): bigint {
  let r = 1n;
  for (let b = base % P; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
}
const expected = (z: bigint) => pow(z, (P - 5n) / 8n);

describe('pow22523Batch (z^((p-5)/8) mod 2^255 - 19)', () => {
  it('is exact on edge values', () => {
    const edges = [0n, 1n, 2n, 19n, P - 1n, P - 2n, (1n << 254n) - 1n, 1n << 254n, (1n << 26n) - 1n, 1n << 25n];
    expect(pow22523Batch(edges)).toEqual(edges.map(expected));
    expect(pow22523Batch([])).toEqual([]);
  });

  it('is exact on random elements in batches of any size', () => {
    const element = fc.bigInt({ min: 0n, max: P - 1n });
    fc.assert(
      fc.property(fc.array(element, { maxLength: 40 }), (zs) => {
        expect(pow22523Batch(zs)).toEqual(zs.map(expected));
      }),
      { numRuns: 30 },
    );
    const many = Array.from({ length: 3000 }, (_, i) => (BigInt(i) * 0x9e3779b97f4a7c15f39cc0605cedc834n) % P);
    const got = pow22523Batch(many);
    for (const i of [0, 1, 1637, 2999]) expect(got[i]).toBe(expected(many[i] as bigint));
  });
});
