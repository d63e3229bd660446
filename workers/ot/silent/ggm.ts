// GGM trees for silent OT: the sender expands many random roots into full binary trees of 2^h
// leaves and publishes, per level, the XOR of its left and of its right nodes (through OT); the
// receiver, who learns the sums of the sides off its secret path, rebuilds every leaf except one
// (the punctured point α). This is the single-point COT of Ferret (Yang, Weng, Lan, Zhang, Wang,
// "Ferret: Fast Extension for coRRElated oT with small communication", CCS 2020, Fig. 4, after
// Boyle et al., CCS 2019), here the tree part only; ferret.ts adds the OTs and the correction.
//
// PRG. G(s) = the first two blocks of ChaCha8 keyed by s (chacha.ts, WebAssembly SIMD), one
// call per level for every tree at once.
//
// LAYOUT. A level of C trees is one Uint32Array of C·2^l blocks (4 words each), tree c's nodes
// at [c·2^l, (c+1)·2^l); node p's children are 2p and 2p + 1, so expanding the whole array keeps
// every tree contiguous. Level l = 1..h; the leaves are level h. α's path at level l is node
// α >> (h − l); its bit α_l = (α >> (h − l)) & 1 says which side (0 = left = even) it is on.

import { ParleyError } from '../../../shared/errors.js';
import type { Kernels } from './kernels.js';

/**
 * XORs into `acc` at block `a` the nodes of one tree's level that are on `side` (0: even, 1: odd),
 * nodes [first, first + count) of `level`.
 */
function sideSum(level: Uint32Array, first: number, count: number, side: number, acc: Uint32Array, a: number): void {
  let x0 = 0;
  let x1 = 0;
  let x2 = 0;
  let x3 = 0;
  for (let p = first + side; p < first + count; p += 2) {
    const w = 4 * p;
    x0 ^= level[w]!;
    x1 ^= level[w + 1]!;
    x2 ^= level[w + 2]!;
    x3 ^= level[w + 3]!;
  }
  acc[4 * a] = x0;
  acc[4 * a + 1] = x1;
  acc[4 * a + 2] = x2;
  acc[4 * a + 3] = x3;
}

function checkDepth(h: number): void {
  if (!Number.isInteger(h) || h < 1 || h > 20) throw new ParleyError('ERR_INTERNAL', `bad GGM depth ${h}`);
}

/** Both side sums of one tree's level in one pass: even nodes at block a, odd nodes at a + 1. */
function bothSums(level: Uint32Array, first: number, count: number, acc: Uint32Array, a: number): void {
  let e0 = 0;
  let e1 = 0;
  let e2 = 0;
  let e3 = 0;
  let o0 = 0;
  let o1 = 0;
  let o2 = 0;
  let o3 = 0;
  for (let w = 4 * first, end = 4 * (first + count); w < end; w += 8) {
    e0 ^= level[w]!;
    e1 ^= level[w + 1]!;
    e2 ^= level[w + 2]!;
    e3 ^= level[w + 3]!;
    o0 ^= level[w + 4]!;
    o1 ^= level[w + 5]!;
    o2 ^= level[w + 6]!;
    o3 ^= level[w + 7]!;
  }
  acc[4 * a] = e0;
  acc[4 * a + 1] = e1;
  acc[4 * a + 2] = e2;
  acc[4 * a + 3] = e3;
  acc[4 * a + 4] = o0;
  acc[4 * a + 5] = o1;
  acc[4 * a + 6] = o2;
  acc[4 * a + 7] = o3;
}

/**
 * The sender's trees: all 2^h leaves of each of the C = roots.length / 4 trees, and per tree and
 * level the sums K0 (left nodes) and K1 (right nodes), at block 2·(c·h + l − 1) + side of `sums`.
 * The leaves are a view of the kernels' memory (Kernels.tree), valid until their next call.
 */
export function ggmExpand(
  prg: Kernels,
  roots: Uint32Array,
  h: number,
  extraBytes = 0,
): { leaves: Uint32Array; sums: Uint32Array } {
  checkDepth(h);
  const C = roots.length / 4;
  const sums = new Uint32Array(4 * 2 * C * h);
  const onLevel = (level: Uint32Array, l: number) => {
    const size = 1 << l;
    for (let c = 0; c < C; c++) {
      bothSums(level, c * size, size, sums, 2 * (c * h + l - 1));
    }
  };
  return { leaves: prg.tree(roots, h, onLevel, extraBytes), sums };
}

/**
 * The receiver's trees: every leaf except α_c's of each tree c (that one is left zero), given
 * per tree and level the sum of the side off the path, K_{1 − α_l}, at block c·h + l − 1 of
 * `offPath`. The leaves are a view of the kernels' memory, as for ggmExpand.
 */
export function ggmPuncture(
  prg: Kernels,
  alphas: Uint32Array,
  offPath: Uint32Array,
  h: number,
  extraBytes = 0,
): Uint32Array {
  checkDepth(h);
  const C = alphas.length;
  if (offPath.length !== 4 * C * h) throw new ParleyError('ERR_INTERNAL', 'expected one sum per tree and level');
  const scratch = new Uint32Array(4);
  // Level 1 has just the path node and its sibling; below, the garbage children of the unknown
  // path node are the new path node and its sibling, which the sum corrects.
  const fix = (level: Uint32Array, l: number) => {
    const size = 1 << l;
    for (let c = 0; c < C; c++) {
      const path = alphas[c]! >>> (h - l);
      const sib = path ^ 1;
      const first = c * size;
      sideSum(level, first, size, sib & 1, scratch, 0); // includes the sibling's garbage
      const s = 4 * (first + sib);
      const k = 4 * (c * h + l - 1);
      for (let i = 0; i < 4; i++) level[s + i] = offPath[k + i]! ^ scratch[i]! ^ level[s + i]!;
      level.fill(0, 4 * (first + path), 4 * (first + path) + 4);
    }
  };
  const first = new Uint32Array(8 * C);
  fix(first, 1);
  return prg.tree(first, h - 1, (level, i) => fix(level, i + 1), extraBytes);
}
