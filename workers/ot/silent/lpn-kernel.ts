// The inner loop of the LPN encoder (lpn.ts) in WebAssembly SIMD, and the same loop in
// JavaScript where SIMD is missing: for each row, XOR into its 128-bit block the D blocks of x at
// idx(d) = ⌊w_d·k / 2^32⌋, w_d = keystream word D·i + d (row i reads D consecutive words). One v128 load per
// index (JavaScript needs four 32-bit loads and a float conversion), so the loop is bound by the
// random reads of x (k blocks, 2 MB for FERRET_MAIN) and not by instructions.

import { leb } from '../../../shared/wasm-module.js';
import { Body, V128_LOAD, V128_STORE, V128_XOR } from './wasm-simd.js';

/** Nonzero entries per column of A (Ferret's d). */
export const LPN_WEIGHT = 10;
const TWO_32 = 2 ** 32;

const [BLOCK, LOOP, BR, BR_IF, END, VOID] = [0x02, 0x03, 0x0c, 0x0d, 0x0b, 0x40];
const I32_LOAD = 0x28;
const I32_EQZ = 0x45;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_SHL = 0x74;
const I32_WRAP_I64 = 0xa7;
const I64_EXTEND_I32_U = 0xad;
const I64_MUL = 0x7e;
const I64_SHR_U = 0x88;
const I64_CONST = 0x42;

/** lpn(out, rows, ks, x, k): rows 16-byte blocks at out, D keystream words per row at ks, x at x. */
export function lpnBody(): number[] {
  const [OUT, ROWS, KS, X, K] = [0, 1, 2, 3, 4];
  const f = new Body(5);
  const acc = f.x[0]!;
  f.op(BLOCK, VOID, LOOP, VOID).get(ROWS).op(I32_EQZ, BR_IF, 1);
  f.get(OUT)
    .op(...V128_LOAD, 4, 0)
    .set(acc);
  for (let d = 0; d < LPN_WEIGHT; d++) {
    f.get(X)
      .get(KS)
      .op(I32_LOAD, 2, ...leb(4 * d), I64_EXTEND_I32_U)
      .get(K)
      .op(I64_EXTEND_I32_U, I64_MUL, I64_CONST, 32, I64_SHR_U, I32_WRAP_I64)
      .const32(4)
      .op(I32_SHL, I32_ADD)
      .op(...V128_LOAD, 4, 0)
      .get(acc)
      .op(...V128_XOR)
      .set(acc);
  }
  f.get(OUT)
    .get(acc)
    .op(...V128_STORE, 4, 0);
  for (const [p, step] of [
    [OUT, 16],
    [KS, 4 * LPN_WEIGHT],
  ] as const)
    f.get(p).const32(step).op(I32_ADD).set(p);
  f.get(ROWS).const32(1).op(I32_SUB).set(ROWS).op(BR, 0, END, END);
  return f.bytes();
}

/** The same loop in JavaScript: rows [0, m) of `out` from keystream words `ks` (D per row). */
export function lpnEncodeJs(out: Uint32Array, o0: number, m: number, ks: Uint32Array, x: Uint32Array, k: number): void {
  for (let i = 0, o = o0; i < m; i++, o += 4) {
    let a0 = out[o]!;
    let a1 = out[o + 1]!;
    let a2 = out[o + 2]!;
    let a3 = out[o + 3]!;
    for (let d = LPN_WEIGHT * i, end = d + LPN_WEIGHT; d < end; d++) {
      const s = 4 * (((ks[d]! * k) / TWO_32) >>> 0);
      a0 ^= x[s]!;
      a1 ^= x[s + 1]!;
      a2 ^= x[s + 2]!;
      a3 ^= x[s + 3]!;
    }
    out[o] = a0;
    out[o + 1] = a1;
    out[o + 2] = a2;
    out[o + 3] = a3;
  }
}
