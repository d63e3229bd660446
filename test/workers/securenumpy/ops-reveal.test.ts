// Raw shares out and back in both rings (ops-reveal.ts toShare/fromShare): in Z_2^64 an int64
// NDArray of the array's shape; in Z_2^128 one of shape [...shape, 2], each element's low word
// then high word. The two parties' shares add up to the value's encoding mod 2^ℓ (bool: XOR in
// bit 0), fromShare takes them back (the array computes on as before), and malformed shares are
// refused: not an NDArray (ERR_BAD_INPUT), not int64 (ERR_DTYPE), no trailing axis of 2 in the
// wide ring (ERR_SHAPE).

import { describe, expect, it } from 'vitest';
import { NDArray } from '../../../shared/ndarray.js';
import { runLocal } from '../../../workers/securenumpy/index.js';
import { mine } from './conformance/harness.js';

const RINGS = [64, 128] as const;
const opts = (ring: 64 | 128) => ({ preprocessing: 'dealer' as const, ring });

/** The element values of a share (one word or a low/high pair each) as unsigned bigints. */
function elements(share: NDArray, ring: 64 | 128): bigint[] {
  const w = Array.from(share.data as BigInt64Array, (v) => BigInt.asUintN(64, v));
  if (ring === 64) return w;
  return Array.from({ length: w.length / 2 }, (_, i) => w[2 * i]! + (w[2 * i + 1]! << 64n));
}

describe.each(RINGS)('ring %i: toShare and fromShare', (ring) => {
  const values = [
    [1.5, -2.25, 3],
    [0, 1000.5, -7],
  ];
  const big = ring === 128 ? 5_000_000.25 : 30_000.25; // natural units in the wide ring

  it('gives shares of the documented layout that add up to the fixed-point encoding mod 2^ℓ', async () => {
    const [s0, s1] = (await runLocal(
      2,
      (snp, p) => snp.array(mine(p, 0, [...values, [big, -big, 0.5]]), 0).toShare(),
      opts(ring),
    )) as NDArray[];
    const shape = ring === 64 ? [3, 3] : [3, 3, 2];
    for (const s of [s0!, s1!]) expect(s).toMatchObject({ shape, dtype: 'int64' });
    const sum = elements(s0!, ring).map((v, i) => BigInt.asIntN(ring, v + elements(s1!, ring)[i]!));
    const expected = [...values.flat(), big, -big, 0.5].map((x) => BigInt(Math.round(x * 2 ** 16)));
    expect(sum).toEqual(expected);
    // Shares look random: party 1's share of the small values uses the high word too.
    if (ring === 128)
      expect(elements(s1!, ring).some((v) => v >> 64n !== 0n && v >> 64n !== (1n << 64n) - 1n)).toBe(true);
  });

  it('takes the shares back with fromShare: float64, int64 and bool arrays compute on', async () => {
    const [r0] = await runLocal(
      2,
      async (snp, p) => {
        const x = snp.array(mine(p, 0, values), 0);
        const k = snp.array(mine(p, 1, [4, -5, 6]), 1, 'int64');
        const b = snp.array(mine(p, 1, [true, false, true]), 1, 'bool');
        const [xs, ks, bs] = await Promise.all([x.toShare(), k.toShare(), b.toShare()]);
        const x2 = snp.fromShare(xs, 'float64');
        const k2 = snp.fromShare(ks, 'int64');
        const b2 = snp.fromShare(bs, 'bool');
        expect(x2.shape).toEqual([2, 3]);
        return Promise.all([x2.mul(2).add(big).revealTo(0), k2.mul(k2).revealTo(0), b2.not().revealTo(0)]);
      },
      opts(ring),
    );
    const [x, k, b] = r0 as NDArray[];
    expect(Array.from(x!.data as Float64Array)).toEqual(values.flat().map((v) => 2 * v + big));
    expect(Array.from(k!.data as BigInt64Array)).toEqual([16n, 25n, 36n]);
    expect(Array.from(b!.data as Uint8Array)).toEqual([0, 1, 0]);
  });

  it('refuses what toShare did not give: ERR_BAD_INPUT, ERR_DTYPE, and in the wide ring ERR_SHAPE', async () => {
    await runLocal(
      2,
      async (snp) => {
        const words = (shape: number[]) =>
          new NDArray(shape, 'int64', new BigInt64Array(shape.reduce((a, d) => a * d, 1)));
        expect(() => snp.fromShare(null as never)).toThrow(expect.objectContaining({ code: 'ERR_BAD_INPUT' }));
        expect(() => snp.fromShare(new NDArray([2], 'float64', new Float64Array(2)))).toThrow(
          expect.objectContaining({ code: 'ERR_DTYPE' }),
        );
        if (ring === 64) {
          expect(snp.fromShare(words([2, 3])).shape).toEqual([2, 3]);
          return;
        }
        expect(snp.fromShare(words([2, 3, 2])).shape).toEqual([2, 3]);
        expect(snp.fromShare(words([2])).shape).toEqual([]);
        for (const shape of [[2, 3], [3], []]) {
          expect(() => snp.fromShare(words(shape))).toThrow(
            expect.objectContaining({ code: 'ERR_SHAPE', message: expect.stringContaining('[...shape, 2]') }),
          );
        }
      },
      opts(ring),
    );
  });
});
