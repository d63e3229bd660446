// The LPN encoder of silent OT (workers/ot/silent/lpn.ts): known answers against a recomputation
// of the code (the JavaScript ChaCha8 keystream, checked against the published test vector in
// chacha.test.ts, and idx = ⌊w·k / 2^32⌋ in exact integer arithmetic, each row the XOR of
// LPN_WEIGHT indexed blocks), pinned indices as a regression vector, linearity, the index range,
// sub-block boundaries, and refusals.

import { describe, expect, it } from 'vitest';
import { chachaStreamJs } from '../../../../workers/ot/silent/chacha.js';
import { FERRET_BOOT, FERRET_MAIN } from '../../../../workers/ot/silent/ferret.js';
import { Kernels } from '../../../../workers/ot/silent/kernels.js';
import { LPN_WEIGHT, LpnCode } from '../../../../workers/ot/silent/lpn.js';
import { seededBytes } from '../../../helpers/seeded.js';

const SEED = Uint8Array.from({ length: 16 }, (_, i) => i);
const keyOf = (seed: Uint8Array) => new Uint32Array(seed.slice().buffer);

async function codeOf(seed: Uint8Array, k: number): Promise<LpnCode> {
  return new LpnCode(await Kernels.create(), keyOf(seed), k);
}

/** The reference indices: rows [0, m) of `stream`, LPN_WEIGHT consecutive keystream words per row. */
function refIndices(seed: Uint8Array, k: number, stream: number, m: number): number[] {
  const ks = chachaStreamJs(keyOf(seed), 0, stream, Math.ceil((LPN_WEIGHT * m) / 16));
  return Array.from({ length: LPN_WEIGHT * m }, (_, i) => Number((BigInt(ks[i]!) * BigInt(k)) >> 32n));
}

/** The reference encoding: row i = e_i ⊕ ⊕_d x[idx(i, d)] (4 words per block). */
function refEncode(e: Uint32Array, m: number, x: Uint32Array, idx: number[]): Uint32Array {
  const out = e.slice();
  for (let i = 0; i < m; i++)
    for (let d = 0; d < LPN_WEIGHT; d++)
      for (let w = 0; w < 4; w++) out[4 * i + w] = out[4 * i + w]! ^ x[4 * idx[LPN_WEIGHT * i + d]! + w]!;
  return out;
}

const randomWords = (rng: (n: number) => Uint8Array, n: number) => new Uint32Array(rng(4 * n).slice().buffer);

describe('LpnCode known answers', () => {
  it.each([
    [FERRET_BOOT.k, 0, 64],
    [FERRET_MAIN.k, 7, 300],
    [1000, 2 ** 31 + 3, 33],
    [FERRET_MAIN.k, 1, 40_000], // crosses the 2^15-row keystream sub-blocks
  ])('k = %i, stream %i: the reference indices and rows', async (k, stream, m) => {
    const code = await codeOf(SEED, k);
    const idx = refIndices(SEED, k, stream, m);
    expect(Array.from(await code.indices(stream, m))).toEqual(idx);
    const rng = seededBytes(k);
    const x = randomWords(rng, 4 * k);
    const e = randomWords(rng, 4 * m);
    const out = e.slice();
    await code.encode(out, m, x, stream);
    expect(Array.from(out)).toEqual(Array.from(refEncode(e, m, x, idx)));
  });

  it('reproduces a pinned first row (k = 124,000, stream 0, key 00..0f; from the reference)', async () => {
    const code = await codeOf(SEED, 124_000);
    expect(LPN_WEIGHT).toBe(10);
    expect(Array.from(await code.indices(0, 1))).toEqual([
      75829, 78146, 29058, 85510, 60450, 119303, 90700, 34934, 66367, 86615,
    ]);
  });

  it('only touches rows [0, m) of the output', async () => {
    const code = await codeOf(SEED, 100);
    const out = new Uint32Array(4 * 8).fill(7);
    await code.encode(out, 5, randomWords(seededBytes(1), 400), 0);
    expect(Array.from(out.subarray(20))).toEqual(Array(12).fill(7));
  });
});

describe('LpnCode properties', () => {
  it('is linear: encode(x ⊕ y) = encode(x) ⊕ encode(y), and encode(e, x) = e ⊕ encode(0, x)', async () => {
    const k = 777;
    const m = 500;
    const code = await codeOf(SEED, k);
    const rng = seededBytes(2);
    const x = randomWords(rng, 4 * k);
    const y = randomWords(rng, 4 * k);
    const e = randomWords(rng, 4 * m);
    const enc = async (v: Uint32Array, init = new Uint32Array(4 * m)) => {
      const out = init.slice();
      await code.encode(out, m, v, 5);
      return out;
    };
    const [ex, ey, exy, eex] = await Promise.all([enc(x), enc(y), enc(x.map((w, i) => w ^ y[i]!)), enc(x, e)]);
    expect(Array.from(exy)).toEqual(Array.from(ex.map((w, i) => w ^ ey[i]!)));
    expect(Array.from(eex)).toEqual(Array.from(ex.map((w, i) => w ^ e[i]!)));
    expect(ex.some((w) => w !== 0)).toBe(true);
  });

  it.each([1, 2, 3, FERRET_BOOT.k, FERRET_MAIN.k, 2 ** 21])('gives indices in [0, %i), spread over it', async (k) => {
    const m = 20_000;
    const idx = await (await codeOf(SEED, k)).indices(9, m);
    expect(idx.length).toBe(LPN_WEIGHT * m);
    let max = 0;
    for (const i of idx) max = Math.max(max, i);
    expect(max).toBeLessThan(k);
    if (k <= 3)
      expect(new Set(idx).size).toBe(k); // every column is hit
    else expect(max).toBeGreaterThan(k * 0.99);
  });

  it('names the matrix by key and stream: the same pair reproduces, another stream or key differs', async () => {
    const k = FERRET_MAIN.k;
    const a = await codeOf(SEED, k);
    const b = await codeOf(
      SEED.map((v) => v ^ 1),
      k,
    );
    const row = async (c: LpnCode, s: number) => Array.from(await c.indices(s, 50));
    expect(await row(a, 4)).toEqual(await row(a, 4));
    expect(await row(a, 4)).not.toEqual(await row(a, 5));
    expect(await row(a, 4)).not.toEqual(await row(b, 4));
  });

  it('refuses wrong block counts and bad dimensions', async () => {
    const code = await codeOf(SEED, 10);
    const bad = (out: Uint32Array, m: number, x: Uint32Array) =>
      expect(() => code.encode(out, m, x, 0)).toThrow(expect.objectContaining({ code: 'ERR_INTERNAL' }));
    bad(new Uint32Array(4 * 4), 4, new Uint32Array(4 * 10 - 4)); // x one block short
    bad(new Uint32Array(4 * 4), 4, new Uint32Array(4 * 11)); // x one block long
    bad(new Uint32Array(4 * 4), 4, new Uint32Array(10)); // x in words, not blocks
    bad(new Uint32Array(4 * 4 - 1), 4, new Uint32Array(4 * 10)); // out too short
    const kernels = await Kernels.create();
    for (const k of [0, -1, 1.5, 2 ** 21 + 1, Number.NaN])
      expect(() => new LpnCode(kernels, keyOf(SEED), k)).toThrow(expect.objectContaining({ code: 'ERR_INTERNAL' }));
    expect(() => new LpnCode(kernels, new Uint32Array(3), 10)).toThrow(
      expect.objectContaining({ code: 'ERR_INTERNAL' }),
    );
  });
});

describe('the LPN kernel in WebAssembly SIMD and JavaScript', () => {
  it('encodes the same rows on both, across keystream sub-blocks', async () => {
    const k = FERRET_MAIN.k;
    const m = 70_000;
    const rng = seededBytes(5);
    const x = randomWords(rng, 4 * k);
    const e = randomWords(rng, 4 * m);
    const [simd, js] = [await Kernels.create(), await Kernels.create({ simd: false })];
    expect([simd.simd, js.simd]).toEqual([true, false]);
    const a = e.slice();
    const b = e.slice();
    new LpnCode(simd, keyOf(SEED), k).encode(a, m, x, 3);
    new LpnCode(js, keyOf(SEED), k).encode(b, m, x, 3);
    expect(a.every((w, i) => w === b[i])).toBe(true);
    expect(a.some((w, i) => w !== e[i])).toBe(true);
  });
});
