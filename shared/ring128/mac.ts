// The multiply-accumulate of the Z_2^128 kernels that sum products (matmul.ts, beaver.ts), as
// emitted WebAssembly: (c0, c1, h) += x·y mod 2^128 with the carries deferred. c0 and c1 sum the
// parts of weight 1 and 2^32 exactly (each product adds below 3·2^32 to c1, so up to 2^30
// products keep both under 2^63) and h the parts of weight 2^64 mod 2^64; `finish` normalises
// once: the sum is c0 + 2^32·c1 + 2^64·h. A product costs six i64.mul: the four 32-bit halves of
// the low words (Wasm has no 64×64→128 multiply) and the two cross terms aL·bH, aH·bL.

import { ADD, get, i64, lo32, load, load32u, MUL, OR, SHL, set, shr32 } from './emit.js';

/** The i64 locals the emitted code uses. */
export interface MacLocals {
  c0: number;
  c1: number;
  h: number;
  p00: number;
  p01: number;
  p10: number;
  t: number;
  lo: number;
  hi: number;
}

/** An operand's 32-bit halves and 64-bit words, each as the instructions that push it. */
export interface Operand {
  w0: number[];
  w1: number[];
  L: number[];
  H: number[];
}

/** The element at ptr + off in memory. */
export const inMemory = (ptr: number, off: number): Operand => ({
  w0: load32u(ptr, off),
  w1: load32u(ptr, off + 4),
  L: load(ptr, off),
  H: load(ptr, off + 8),
});

/** The element held in the i64 locals L (low word) and H. */
export const inLocals = (L: number, H: number): Operand => ({
  w0: lo32(get(L)),
  w1: shr32(get(L)),
  L: get(L),
  H: get(H),
});

/** (c0, c1, h) = 0. */
export const clear = (l: MacLocals) => [...i64(0n), ...set(l.c0), ...i64(0n), ...set(l.c1), ...i64(0n), ...set(l.h)];

/** (c0, c1, h) += x·y. */
export function accumulate(l: MacLocals, x: Operand, y: Operand): number[] {
  const { c0, c1, h, p00, p01, p10 } = l;
  // biome-ignore format: one instruction group per line
  return [
    ...x.w0, ...y.w0, MUL, ...set(p00), ...x.w0, ...y.w1, MUL, ...set(p01), ...x.w1, ...y.w0, MUL, ...set(p10),
    ...get(c0), ...lo32(get(p00)), ADD, ...set(c0),
    ...get(c1), ...shr32(get(p00)), ADD, ...lo32(get(p01)), ADD, ...lo32(get(p10)), ADD, ...set(c1),
    ...get(h), ...x.w1, ...y.w1, MUL, ADD, ...shr32(get(p01)), ADD, ...shr32(get(p10)), ADD,
    ...x.L, ...y.H, MUL, ADD, ...x.H, ...y.L, MUL, ADD, ...set(h),
  ];
}

/** (lo, hi) = c0 + 2^32·c1 + 2^64·h. */
export function finish(l: MacLocals): number[] {
  const { c0, c1, h, t, lo, hi } = l;
  // biome-ignore format: one instruction group per line
  return [
    ...shr32(get(c0)), ...get(c1), ADD, ...set(t),
    ...lo32(get(c0)), ...get(t), ...i64(32n), SHL, OR, ...set(lo),
    ...get(h), ...shr32(get(t)), ADD, ...set(hi),
  ];
}
