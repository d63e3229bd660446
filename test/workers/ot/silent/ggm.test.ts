// GGM trees of silent OT (workers/ot/silent/ggm.ts): known answers for the expansion against a
// node-by-node reference (the JavaScript ChaCha8 of chacha.ts, itself checked against the
// published ChaCha8 test vector in chacha.test.ts),
// pinned leaves as a regression vector, the per-level side sums, and the puncturing property
// (the receiver rebuilds every leaf but α, which stays zero) for random depths, trees and points.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chachaGgmJs } from '../../../../workers/ot/silent/chacha.js';
import { ggmExpand, ggmPuncture } from '../../../../workers/ot/silent/ggm.js';
import { Kernels } from '../../../../workers/ot/silent/kernels.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytesOf = (w: Uint32Array) => new Uint8Array(w.buffer, w.byteOffset, w.byteLength);
const wordsOf = (b: Uint8Array) => new Uint32Array(b.slice().buffer);

const prgOf = () => Kernels.create();

/** The reference PRG: the two children of one 16-byte node, one node at a time. */
function refChildren(s: Uint8Array): [Uint8Array, Uint8Array] {
  const c = bytesOf(chachaGgmJs(wordsOf(s)));
  return [c.slice(0, 16), c.slice(16, 32)];
}

/** Every level (1..h) of the trees under `roots` (16 bytes each), level l as C·2^l nodes. */
function refLevels(roots: Uint8Array, h: number): Uint8Array[] {
  const levels: Uint8Array[] = [];
  let level = roots;
  for (let l = 1; l <= h; l++) {
    const next = new Uint8Array(2 * level.length);
    for (let p = 0; p < level.length / 16; p++) {
      const [a, b] = refChildren(level.subarray(16 * p, 16 * p + 16));
      next.set(a, 32 * p);
      next.set(b, 32 * p + 16);
    }
    levels.push(next);
    level = next;
  }
  return levels;
}

/** XOR of the nodes on `side` (0 even, 1 odd) of tree c's part of one level (16 bytes). */
function refSideSum(level: Uint8Array, c: number, size: number, side: number): Uint8Array {
  const acc = new Uint8Array(16);
  for (let p = c * size + side; p < (c + 1) * size; p += 2)
    for (let i = 0; i < 16; i++) acc[i] = acc[i]! ^ level[16 * p + i]!;
  return acc;
}

describe('the tree PRG', () => {
  it('expands each node s into the first two ChaCha8 blocks under key s, node p → 2p, 2p + 1', async () => {
    const prg = await prgOf();
    const nodes = new Uint8Array(16 * 5).map((_, i) => (i * 37 + 11) & 0xff);
    const out = bytesOf(prg.expand(wordsOf(nodes)));
    expect(out.length).toBe(2 * nodes.length);
    for (let p = 0; p < 5; p++) {
      const [a, b] = refChildren(nodes.subarray(16 * p, 16 * p + 16));
      expect(toHex(out.subarray(32 * p, 32 * p + 16))).toBe(toHex(a));
      expect(toHex(out.subarray(32 * p + 16, 32 * p + 32))).toBe(toHex(b));
    }
  });

  it('is not the identity or symmetric: the children of a zero node are distinct and nonzero', async () => {
    const out = bytesOf((await prgOf()).expand(new Uint32Array(4)));
    expect(toHex(out.subarray(0, 16))).not.toBe(toHex(out.subarray(16)));
    expect(out.some((b) => b !== 0)).toBe(true);
  });
});

describe('ggmExpand known answers', () => {
  // Two trees of depth 3 with fixed roots; the leaves come from the reference, and a few are
  // pinned as literals so that a change to the PRG (keys, order, byte layout) is caught.
  const ROOTS = hex('00112233445566778899aabbccddeeff' + '0f1e2d3c4b5a69788796a5b4c3d2e1f0');
  const H = 3;
  /** Leaves 0, 5, 8 and 15 (tree 1's leaves are 8..15), from the reference. */
  const PINNED = [
    '725f35d7e9ec8a22145783b7cb2ec4f0',
    'b70a5631b51edad8613e15343be4fc83',
    '932f1ec8a01358ab05db1e013a431b7f',
    '2b2d8635759d5e7ff863e223c68be3d6',
  ];

  it('gives the reference leaves and per-level side sums', async () => {
    const { leaves, sums } = ggmExpand(await prgOf(), wordsOf(ROOTS), H);
    const levels = refLevels(ROOTS, H);
    expect(toHex(bytesOf(leaves))).toBe(toHex(levels[H - 1]!));
    expect(sums.length).toBe(4 * 2 * 2 * H);
    const s = bytesOf(sums);
    for (let c = 0; c < 2; c++) {
      for (let l = 1; l <= H; l++) {
        for (const side of [0, 1]) {
          const at = 2 * (c * H + l - 1) + side;
          expect(toHex(s.subarray(16 * at, 16 * at + 16))).toBe(toHex(refSideSum(levels[l - 1]!, c, 1 << l, side)));
        }
      }
    }
  });

  it('reproduces the pinned leaves', async () => {
    const { leaves } = ggmExpand(await prgOf(), wordsOf(ROOTS), H);
    const leaf = (i: number) => toHex(bytesOf(leaves).subarray(16 * i, 16 * i + 16));
    expect([leaf(0), leaf(5), leaf(8), leaf(15)]).toEqual(PINNED);
  });

  it('refuses depths outside 1..20', async () => {
    const prg = await prgOf();
    for (const h of [0, 21, 1.5]) {
      expect(() => ggmExpand(prg, new Uint32Array(4), h)).toThrow(expect.objectContaining({ code: 'ERR_INTERNAL' }));
      expect(() => ggmPuncture(prg, new Uint32Array(1), new Uint32Array(4), h)).toThrow(
        expect.objectContaining({ code: 'ERR_INTERNAL' }),
      );
    }
  });

  it('refuses off-path sums that are not one per tree and level', async () => {
    const prg = await prgOf();
    expect(() => ggmPuncture(prg, new Uint32Array(2), new Uint32Array(4 * 2 * 3 - 4), 3)).toThrow(
      expect.objectContaining({ code: 'ERR_INTERNAL' }),
    );
  });
});

/** The receiver's input: per tree and level, the sender's sum of the side off α's path. */
function offPathOf(sums: Uint32Array, alphas: number[], h: number): Uint32Array {
  const off = new Uint32Array(4 * alphas.length * h);
  alphas.forEach((a, c) => {
    for (let l = 1; l <= h; l++) {
      const j = c * h + l - 1;
      const side = 1 ^ ((a >>> (h - l)) & 1);
      off.set(sums.subarray(4 * (2 * j + side), 4 * (2 * j + side) + 4), 4 * j);
    }
  });
  return off;
}

describe('ggmPuncture', () => {
  it('rebuilds every leaf except α (zero) from the off-path sums, for random depths, trees and α', async () => {
    const prg = await prgOf();
    const trees = fc.integer({ min: 1, max: 6 }).chain((h) =>
      fc.record({
        h: fc.constant(h),
        trees: fc.array(
          fc.record({
            root: fc.uint8Array({ minLength: 16, maxLength: 16 }),
            alpha: fc.oneof(fc.constant(0), fc.constant((1 << h) - 1), fc.integer({ min: 0, max: (1 << h) - 1 })),
          }),
          { minLength: 1, maxLength: 4 },
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(trees, async ({ h, trees }) => {
        const roots = new Uint8Array(16 * trees.length);
        trees.forEach((t, c) => roots.set(t.root, 16 * c));
        const alphas = trees.map((t) => t.alpha);
        const expanded = ggmExpand(prg, wordsOf(roots), h);
        const leaves = expanded.leaves.slice(); // a view of the kernels' memory, reused by the next call
        const sums = expanded.sums;
        const got = ggmPuncture(prg, Uint32Array.from(alphas), offPathOf(sums, alphas, h), h);
        expect(got.length).toBe(leaves.length);
        const want = leaves.slice();
        alphas.forEach((a, c) => want.fill(0, 4 * ((c << h) + a), 4 * ((c << h) + a + 1)));
        expect(Array.from(got)).toEqual(Array.from(want));
        // The punctured leaf is the only one the receiver misses (and it is not zero at the sender).
        alphas.forEach((a, c) =>
          expect(leaves.subarray(4 * ((c << h) + a), 4 * ((c << h) + a + 1)).some((w) => w !== 0)).toBe(true),
        );
      }),
      { numRuns: 40, seed: 13 },
    );
  });

  it('gives a wrong sibling when the sum of the other side is used instead', async () => {
    const prg = await prgOf();
    const h = 4;
    const expanded = ggmExpand(prg, wordsOf(hex('00112233445566778899aabbccddeeff')), h);
    const leaves = expanded.leaves.slice();
    const sums = expanded.sums;
    const alpha = 6;
    const wrongSide = new Uint32Array(4 * h);
    for (let l = 1; l <= h; l++) {
      const side = (alpha >>> (h - l)) & 1; // the path's own side: not what the receiver needs
      wrongSide.set(sums.subarray(4 * (2 * (l - 1) + side), 4 * (2 * (l - 1) + side) + 4), 4 * (l - 1));
    }
    const got = ggmPuncture(prg, Uint32Array.of(alpha), wrongSide, h);
    expect(got[4 * (alpha ^ 1)]).not.toBe(leaves[4 * (alpha ^ 1)]);
  });
});

describe('trees on the JavaScript kernels', () => {
  it('give the same leaves and sums as WebAssembly SIMD, and the same punctured trees', async () => {
    const [simd, js] = [await Kernels.create(), await Kernels.create({ simd: false })];
    const roots = wordsOf(new Uint8Array(16 * 3).map((_, i) => (i * 91 + 7) & 0xff));
    const h = 5;
    const a = ggmExpand(simd, roots, h);
    const [aLeaves, aSums] = [a.leaves.slice(), a.sums];
    const b = ggmExpand(js, roots, h);
    expect(toHex(bytesOf(b.leaves))).toBe(toHex(bytesOf(aLeaves)));
    expect(toHex(bytesOf(b.sums))).toBe(toHex(bytesOf(aSums)));
    const alphas = [0, 17, 31];
    const off = offPathOf(aSums, alphas, h);
    const p = ggmPuncture(simd, Uint32Array.from(alphas), off, h).slice();
    expect(toHex(bytesOf(ggmPuncture(js, Uint32Array.from(alphas), off, h)))).toBe(toHex(bytesOf(p)));
  });
});
