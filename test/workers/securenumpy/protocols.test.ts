// Exact-wrap truncation (protocols.ts) in Z_2^128 on random sharings: the result is ⌊x/2^s⌋ or
// one more (within one unit of x/2^s) for every x with |x| < 2^126 − 2^s, including the edges of
// that range and sharings whose top bits are both set (the wrap the bit product corrects), for
// the shifts the engine uses (f = 16, 32, 40, 56, 62); what party 1 receives (party 0's masked
// top bits) is uniform whatever x is; and the 64-bit ring's truncation gives the same results.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RING64, RING128, type Ring } from '../../../shared/rings.js';
import type { BitProducts } from '../../../workers/securenumpy/correlations.js';
import { Exchange } from '../../../workers/securenumpy/exchange.js';
import { truncate, type Wire } from '../../../workers/securenumpy/protocols.js';
import { poolDuo } from '../../helpers/pools.js';

const random = (bits: number) => {
  const w = crypto.getRandomValues(new BigUint64Array(bits / 64));
  return w.reduce((a, v, i) => a | (v << BigInt(64 * i)), 0n);
};

/** Elements of `ring` as words, low word first. */
function toWords(ring: Ring, xs: readonly bigint[]): BigUint64Array {
  const out = new BigUint64Array(xs.length * ring.words);
  xs.forEach((x, i) => {
    for (let k = 0; k < ring.words; k++) out[i * ring.words + k] = BigInt.asUintN(64, x >> BigInt(64 * k));
  });
  return out;
}

/** Words back to signed elements. */
function fromWords(ring: Ring, w: BigUint64Array): bigint[] {
  return Array.from({ length: w.length / ring.words }, (_, i) => {
    let v = 0n;
    for (let k = 0; k < ring.words; k++) v |= w[i * ring.words + k]! << BigInt(64 * k);
    return BigInt.asIntN(ring.bits, v);
  });
}

/** Bit products made in the clear: α at party 0, β at party 1, z0 + z1 = αβ in the ring. */
function bitProducts(ring: Ring, n: number): [BitProducts, BitProducts] {
  const alpha = BigUint64Array.from({ length: n }, () => random(64) & 1n);
  const beta = BigUint64Array.from({ length: n }, () => random(64) & 1n);
  const z0 = Array.from({ length: n }, () => random(ring.bits));
  const z1 = z0.map((z, i) => alpha[i]! * beta[i]! - z);
  return [
    { mine: alpha, z: toWords(ring, z0) },
    { mine: beta, z: toWords(ring, z1) },
  ];
}

/** Truncates the sharings x0 + x1 of x by `shift` at both parties; the reconstruction and what party 1 received. */
async function run(ring: Ring, x0: readonly bigint[], x1: readonly bigint[], shift: number) {
  const g = poolDuo();
  const received: unknown[] = [];
  try {
    const bp = bitProducts(ring, x0.length);
    const outs = await Promise.all(
      [x0, x1].map((share, p) => {
        const ex = new Exchange(g.pools[p]!, 1 - p);
        if (p === 1) {
          const take = ex.take.bind(ex);
          ex.take = async (key: number) => {
            const v = await take(key);
            received.push(v);
            return v;
          };
        }
        const w: Wire = { party: p as 0 | 1, ex, ring };
        return truncate(w, 7, toWords(ring, share), shift, { kind: 'bits', bits: bp[p]! });
      }),
    );
    const [o0, o1] = outs.map((o) => fromWords(ring, o));
    return { out: o0!.map((v, i) => BigInt.asIntN(ring.bits, v + o1![i]!)), received };
  } finally {
    g.close();
  }
}

/** ⌊x / 2^s⌋ for a signed bigint. */
const floorShift = (x: bigint, s: number) => x >> BigInt(s);

const SHIFTS = [16, 32, 40, 56, 62];

describe('truncation in Z_2^128 (exact wrap)', () => {
  it('is within one unit of x / 2^s for random x across |x| < 2^126 − 2^s and random sharings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SHIFTS),
        // x = ±(m mod 2^k): magnitudes of every size up to the edge, and a random share x0.
        fc.array(
          fc.tuple(
            fc.integer({ min: 1, max: 126 }),
            fc.bigInt({ min: 0n, max: 2n ** 126n - 1n }),
            fc.boolean(),
            fc.bigInt({ min: 0n, max: 2n ** 128n - 1n }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        async (shift, pairs) => {
          const limit = 2n ** 126n - 2n ** BigInt(shift);
          const xs = pairs.map(([k, m, neg]) => {
            const a = m % 2n ** BigInt(k);
            return (neg ? -1n : 1n) * (a >= limit ? limit - 1n : a);
          });
          const x0 = pairs.map(([, , , r]) => r);
          const x1 = xs.map((x, i) => x - x0[i]!);
          const { out } = await run(RING128, x0, x1, shift);
          out.forEach((v, i) => expect(v - floorShift(xs[i]!, shift)).toBeOneOf([0n, 1n]));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('never fails at the edges of the range, with shares whose top bits are both set', async () => {
    for (const shift of SHIFTS) {
      const limit = 2n ** 126n - 2n ** BigInt(shift);
      const xs = [limit - 1n, -limit + 1n, 0n, -1n, 1n, 2n ** 100n + 12345n, -(2n ** 125n)];
      // Party 0's offset makes x' = x + 2^126 + 2^s; x1 = 2^127 + ⌊x'/2⌋ leaves party 0 with
      // x' − x1 ≡ 2^127 + ⌈x'/2⌉: both top bits set, so the shares wrap at 2^128. Or x0 = 0 (party 1's top bit set
      // where x < 0).
      const both = xs.map((x) => 2n ** 127n + (x + 2n ** 126n + 2n ** BigInt(shift)) / 2n);
      for (const x1 of [both, xs.map((x) => BigInt.asUintN(128, x))]) {
        const x0 = xs.map((x, i) => BigInt.asUintN(128, x - x1[i]!));
        if (x1 === both)
          x0.forEach((v, i) => {
            expect(BigInt.asUintN(128, v + 2n ** 126n + 2n ** BigInt(shift)) >> 127n).toBe(1n);
            expect(BigInt.asUintN(128, x1[i]!) >> 127n).toBe(1n);
          });
        const { out } = await run(RING128, x0, x1, shift);
        out.forEach((v, i) => expect(v - floorShift(xs[i]!, shift)).toBeOneOf([0n, 1n]));
      }
    }
  });

  it('sends party 1 only party 0 masked top bits: uniform, whatever x is', async () => {
    const n = 4096;
    for (const x of [0n, 2n ** 125n, -(2n ** 125n)]) {
      const x0 = Array.from({ length: n }, () => random(128));
      const { received } = await run(
        RING128,
        x0,
        x0.map((r) => x - r),
        16,
      );
      expect(received).toHaveLength(1);
      const words = received[0] as BigUint64Array;
      expect(words).toHaveLength(n / 64);
      const ones = Array.from(words).reduce((a, w) => a + w.toString(2).split('1').length - 1, 0);
      // Binomial(4096, 1/2): mean 2048, sd 32; ±200 is over 6 sd.
      expect(Math.abs(ones - n / 2)).toBeLessThan(200);
    }
  });

  it('matches the 64-bit ring within one unit where both take x', async () => {
    const xs = [0n, 1n, -1n, 2n ** 61n - 2n ** 20n, -(2n ** 61n), 123456789n << 16n];
    for (const ring of [RING64, RING128]) {
      const x0 = xs.map(() => random(ring.bits));
      const { out } = await run(
        ring,
        x0,
        xs.map((x, i) => x - x0[i]!),
        16,
      );
      out.forEach((v, i) => expect(v - floorShift(xs[i]!, 16)).toBeOneOf([0n, 1n]));
    }
  });
});
