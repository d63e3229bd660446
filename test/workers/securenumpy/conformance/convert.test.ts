// Checks astype conversions that need a protocol against NumPy: float64 → int64 truncates toward zero (exactly), float64/int64 → bool is x != 0.

import { describe, expect, it } from 'vitest';
import type { NDArray } from '../../../../shared/ndarray.js';
import {
  dealerIn,
  MODES,
  type Mode,
  RINGS,
  type RingBits,
  type Rng,
  reveal0,
  rng,
  type SA,
  type Snp,
} from './harness.js';

/** Both modes in ring 64; dealer mode in ring 128. */
const modesIn = (ring: RingBits): Mode[] => (ring === 64 ? MODES : ['dealer']);

/** A hinted float64 secret of party `owner` holding exactly k_i / 2^f (k_i whole). */
function fixedInput(snp: Snp, party: number, owner: number, ks: readonly bigint[], f: number): SA {
  const data = party === owner ? ks.map((k) => Number(k) / 2 ** f) : null;
  return snp.array(data as never, owner, 'float64', { shape: [ks.length] });
}

/** NumPy's astype(int64) of k / 2^f: truncation toward zero (BigInt division truncates toward zero). */
const truncRef = (k: bigint, f: number): bigint => k / (1n << BigInt(f));

const ints = (nd: NDArray): bigint[] => {
  expect(nd.dtype).toBe('int64');
  return Array.from(nd.data as BigInt64Array);
};
const bools = (nd: NDArray): boolean[] => {
  expect(nd.dtype).toBe('bool');
  return Array.from(nd.data as Uint8Array, (v) => v !== 0);
};

/** Uniform whole k with |k| < 2^bits, sign random. */
function randK(r: Rng, bits: number): bigint {
  const hi = BigInt(Math.floor(r() * 2 ** Math.min(bits, 26)));
  const lo = bits > 26 ? BigInt(Math.floor(r() * 2 ** (bits - 26))) : 0n;
  const mag = bits > 26 ? (hi << BigInt(bits - 26)) | lo : hi;
  return r() < 0.5 ? -mag : mag;
}

/** x · 2^e by whole public factors below the public range bound 2^(31−f) (exact, local). */
function scale(x: SA, e: number): SA {
  for (; e > 0; e -= 10) x = x.mul(2 ** Math.min(e, 10));
  return x;
}

describe.each(RINGS)('astype float64 → int64 truncates toward zero, exactly, ring %i', (ring) => {
  it('the NumPy cases: ±0.5, ±1.5, negative fractions, exact integers', async () => {
    const xs = [
      -1.5,
      -0.5,
      0.5,
      1.5,
      -2,
      -0,
      0,
      2.75,
      -2.75,
      -1 / 65536,
      1 / 65536,
      -0.9999847412109375,
      3,
      -3,
      -7.25,
      7.999984741210938,
      -100.5,
    ];
    const want = xs.map((x) => BigInt(Math.trunc(x)));
    for (const mode of modesIn(ring)) {
      const [got] = await reveal0(
        (snp, p) => [
          snp
            .array(p === 0 ? xs : null, 0, 'float64', { shape: [xs.length] })
            .astype('int64')
            .revealTo(0),
        ],
        { preprocessing: mode, ring },
      );
      expect(ints(got!), mode).toEqual(want);
    }
  });

  it('random values with and without fractional parts, negatives, and values at the edge of the range', async () => {
    const r = rng(9101);
    const f = 16;
    const ks: bigint[] = [];
    for (let i = 0; i < 60; i++) ks.push(randK(r, 31)); // |x| < 2^15, any fraction
    for (let i = 0; i < 20; i++) ks.push(randK(r, 15) << 16n); // whole numbers
    for (let i = 0; i < 20; i++) ks.push((randK(r, 14) << 16n) + (r() < 0.5 ? 1n : -1n)); // one ulp off a whole number
    ks.push(
      (1n << 31n) - 1n,
      -((1n << 31n) - 1n),
      (1n << 31n) - (1n << 16n),
      -((1n << 31n) - (1n << 16n)),
      1n << 15n,
      -(1n << 15n),
      0n,
      1n,
      -1n,
    );
    // Scaled by public powers of two (exact, no truncation): X up to 2^63 in magnitude (2^78 in
    // ring 128: past the low word, results still int64).
    const scales = ring === 64 ? [0, 10, 20, 31] : [0, 20, 31, 47];
    const got = await reveal0(
      (snp, p) =>
        scales.map((e) =>
          scale(fixedInput(snp, p, 0, ks, f), e)
            .astype('int64')
            .revealTo(0),
        ),
      dealerIn(ring),
    );
    got.forEach((g, j) => {
      const want = ks.map((k) => truncRef(k << BigInt(scales[j]!), f));
      expect(ints(g!), `scale 2^${scales[j]}`).toEqual(want);
    });
  });

  it('the most negative value, -2^(63-f), and results feeding int64 arithmetic', async () => {
    const [a, b] = await reveal0((snp, p) => {
      const x = snp.array(p === 0 ? [-16384, 16384 - 2 ** -16, -0.5] : null, 0, 'float64', { shape: [3] });
      return [scale(x, 33).astype('int64').revealTo(0), x.astype('int64').mul(3).add(1).revealTo(0)];
    }, dealerIn(ring));
    expect(ints(a!)).toEqual([-(2n ** 47n), 16383n * 2n ** 33n + (2n ** 33n - ((2n ** 33n) >> 16n)), 0n - 2n ** 32n]);
    expect(ints(b!)).toEqual([-49151n, 49150n, 1n]);
  });

  it('set of secret float64 values into an int64 array truncates them toward zero', async () => {
    const [got] = await reveal0((snp, p) => {
      const a = snp.array(p === 1 ? [10, 20, 30] : null, 1, 'int64', { shape: [3] });
      const v = snp.array(p === 0 ? [-2.5, 7.75] : null, 0, 'float64', { shape: [2] });
      return [a.set(['1:'], v).revealTo(0)];
    }, dealerIn(ring));
    expect(ints(got!)).toEqual([10n, -2n, 7n]);
  });

  for (const f of [1, 5, 13, 28]) {
    it(`fracBits ${f}: random values, both modes`, async () => {
      const r = rng(9200 + f);
      const ks: bigint[] = [];
      for (let i = 0; i < 40; i++) ks.push(randK(r, 30)); // |x| < 2^(30-f)
      ks.push(
        1n,
        -1n,
        0n,
        (1n << BigInt(f)) - 1n,
        -((1n << BigInt(f)) - 1n),
        1n << BigInt(f),
        -(1n << BigInt(f)),
        (1n << BigInt(f)) + 1n,
        -((1n << BigInt(f)) + 1n),
      );
      for (const mode of modesIn(ring)) {
        const [got] = await reveal0((snp, p) => [fixedInput(snp, p, 1, ks, f).astype('int64').revealTo(0)], {
          preprocessing: mode,
          fracBits: f,
          ring,
        });
        expect(ints(got!), `${mode} f=${f}`).toEqual(ks.map((k) => truncRef(k, f)));
      }
    });
  }
});

describe.each(RINGS)('astype to bool is x != 0, ring %i', (ring) => {
  it('float64 and int64 → bool, both modes', async () => {
    const fs = [0, -0, 1 / 65536, -1 / 65536, 0.5, -2.75, 32767.5, -32767.5, 3];
    const is = [0, 1, -1, 2 ** 40, -(2 ** 40), 7, 0];
    for (const mode of modesIn(ring)) {
      const [a, b, c] = await reveal0(
        (snp, p) => [
          snp
            .array(p === 0 ? fs : null, 0, 'float64', { shape: [fs.length] })
            .astype('bool')
            .revealTo(0),
          snp
            .array(p === 1 ? is : null, 1, 'int64', { shape: [is.length] })
            .astype('bool')
            .revealTo(0),
          // 2^62 · 4 wraps to 0 as int64 (in ring 128 too: int64 zero tests look at the low words); 2^62 · 2 = -2^63 does not.
          snp
            .array(p === 0 ? [2n ** 62n, 2n ** 61n] : null, 0, 'int64', { shape: [2] })
            .mul(4)
            .astype('bool')
            .revealTo(0),
        ],
        { preprocessing: mode, ring },
      );
      expect(bools(a!), mode).toEqual(fs.map((x) => x !== 0));
      expect(bools(b!), mode).toEqual(is.map((x) => x !== 0));
      expect(bools(c!), mode).toEqual([false, true]);
    }
  });

  it('bool → bool is a copy, and the converted bools drive where', async () => {
    const [a, b] = await reveal0((snp, p) => {
      const x = snp.array(p === 0 ? [-1.5, 0, 2] : null, 0, 'float64', { shape: [3] });
      const m = x.astype('bool');
      return [m.astype('bool').revealTo(0), snp.where(m, 1, 0).revealTo(0)];
    }, dealerIn(ring));
    expect(bools(a!)).toEqual([true, false, true]);
    expect(Array.from(b!.data as BigInt64Array)).toEqual([1n, 0n, 1n]);
  });
});

describe('ring 128 (dealer): values beyond the 64-bit ring', () => {
  it('astype int64 and bool of 5,000,000.75, −4,999,999.5 and values near ±1.4·10^14; bools back to numbers', async () => {
    const big = 140_000_000_000_000.5; // near the input bound 2^47 at f = 16
    const xs = [5_000_000.75, -4_999_999.5, big, -big, -123_456_789_012.25, 0, 1e14, -(2 ** -16)];
    const [i, b, n] = await reveal0((snp, p) => {
      const x = snp.array(p === 0 ? xs : null, 0, 'float64', { shape: [xs.length] });
      const m = x.astype('bool');
      return [x.astype('int64').revealTo(0), m.revealTo(0), m.astype('float64').mul(x).revealTo(0)];
    }, dealerIn(128));
    expect(ints(i!)).toEqual(xs.map((x) => BigInt(Math.trunc(x))));
    expect(bools(b!)).toEqual(xs.map((x) => x !== 0));
    expect(Array.from(n!.data as Float64Array)).toEqual(xs.map((x) => x + 0));
  });
});
