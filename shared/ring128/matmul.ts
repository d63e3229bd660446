// The Z_2^128 matrix product of shared/ring128.ts in WebAssembly (MVP, scalar i64), on 2-word
// elements (low word first), by Winograd's inner-product algorithm (S. Winograd, "A new
// algorithm for inner product", IEEE Trans. Computers C-17(7), 1968), which holds in any
// commutative ring: for a row x and a column y of even length k,
//   x·y = Σ_l (x_2l + y_2l+1)(x_2l+1 + y_2l) − ξ(x) − η(y),  ξ(x) = Σ_l x_2l·x_2l+1,  η(y) likewise,
// and for odd k the last term x_k−1·y_k−1 is added directly. ξ and η cost one product per pair
// per row and per column, so the m·n·k/2 products of the sums carry the work: half the products
// of the direct sum, for two 128-bit additions per pair (no wider than Z_2^128: the identity
// holds mod 2^128). Wasm has no 64×64→128 multiply, so a product costs six i64.mul (the four
// 32-bit halves of the low words, then the two cross terms) and that multiply count bounds the
// kernel: measured by `npm run bench:ring` (figures in docs/securenumpy.md) against the direct
// sum (bench/ring128/matmul-direct.ts), 22-bit limbs with deferred carries (eight multiplies,
// slower), a loop tested at the bottom (no faster) and SIMD cross terms (i64x2.mul, emulated on
// x64: no faster); a limb design on i64x2.extmul was estimated slower (V8 emits two shuffles
// per extmul on x64) and not built.
// Per output the products are summed with deferred carries (mac.ts; k < 2^29 keeps the sums exact).
// Nothing here checks its input: shared/ring128.ts does.

import {
  ADD,
  EXTU,
  GTU,
  get,
  I32_ADD,
  I32_SHL,
  i32,
  LTU,
  load,
  loop,
  memoryWords,
  moduleBytes,
  SUB,
  set,
  store,
} from './emit.js';
import { accumulate, clear, finish, inLocals, inMemory, type MacLocals } from './mac.js';

const [I32_AND, I32_SHR_U, IF, VOID, END] = [0x71, 0x76, 0x04, 0x40, 0x0b];

// Params (both functions): o, a, bt, m, k, n, xi, eta — byte offsets of the output, a and b
// transposed, the dimensions, and the byte offsets of ξ (one per row) and η (one per column).
const [o, a, bt, m, k, n, xi, eta] = [0, 1, 2, 3, 4, 5, 6, 7];
// i32 locals i, j, p, pa, pb, ar (row of a), bc (column of b), pe; i64 locals from c0.
const [i, j, p, pa, pb, ar, bc, pe] = [8, 9, 10, 11, 12, 13, 14, 15];
const [c0, c1, h, uL, uH, vL, vH, p00, p01, p10, t, lo, hi] = [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28];
const ML: MacLocals = { c0, c1, h, p00, p01, p10, t, lo, hi };
const LOCALS: [number, number][] = [
  [8, 0x7f],
  [13, 0x7e],
];

/** (L, H) = the element at pa + xo plus the one at pb + yo, mod 2^128. */
// biome-ignore format: one instruction group per line
const sum = (L: number, H: number, xo: number, yo: number) => [
  ...load(pa, xo), ...load(pb, yo), ADD, ...set(L),
  ...load(pa, xo + 8), ...load(pb, yo + 8), ADD, ...get(L), ...load(pa, xo), LTU, EXTU, ADD, ...set(H),
];

/** (lo, hi) −= the element at ptr. */
// biome-ignore format: one instruction group per line
const subtract = (ptr: number) => [
  ...get(hi), ...load(ptr, 8), SUB, ...load(ptr, 0), ...get(lo), GTU, EXTU, SUB, ...set(hi),
  ...get(lo), ...load(ptr, 0), SUB, ...set(lo),
];
const pairs = [...get(k), ...i32(1), I32_SHR_U, ...set(p)];
/** ptr += k elements. */
const skipRow = (ptr: number) => [...get(ptr), ...get(k), ...i32(4), I32_SHL, I32_ADD, ...set(ptr)];

/**
 * o[i][j] = Σ_l (a_i,2l + b_2l+1,j)(a_i,2l+1 + b_2l,j) [+ a_i,k−1·b_k−1,j] − ξ_i − η_j, one pair
 * per loop iteration or (`twoPairs`) two.
 */
function matmulCode(twoPairs: boolean): number[] {
  // biome-ignore format: one instruction group per line
  const pair = (d: number) => [
    ...sum(uL, uH, d, d + 16), ...sum(vL, vH, d + 16, d),
    ...accumulate(ML, inLocals(uL, uH), inLocals(vL, vH)),
  ];
  const step = (ptr: number) => [...get(ptr), ...i32(32), I32_ADD, ...set(ptr)];
  // biome-ignore format: one instruction group per line
  const inner = twoPairs
    ? [
        ...get(k), ...i32(2), I32_SHR_U, ...set(p), ...loop(p, [[pa, 64], [pb, 64]], [...pair(0), ...pair(32)]),
        ...get(k), ...i32(2), I32_AND, IF, VOID, ...pair(0), ...step(pa), ...step(pb), END,
      ]
    : [...pairs, ...loop(p, [[pa, 32], [pb, 32]], pair(0))];
  const odd = [...get(k), ...i32(1), I32_AND, IF, VOID, ...accumulate(ML, inMemory(pa, 0), inMemory(pb, 0)), END];
  // biome-ignore format: one instruction group per line
  const column = [
    ...clear(ML), ...get(ar), ...set(pa), ...get(bc), ...set(pb), ...inner, ...odd, ...finish(ML),
    ...subtract(xi), ...subtract(pe),
    ...store(o, 0, get(lo)), ...store(o, 8, get(hi)), ...skipRow(bc),
  ];
  const row = [...get(bt), ...set(bc), ...get(eta), ...set(pe), ...get(n), ...set(j)];
  // biome-ignore format: one instruction group per line
  return [
    ...get(a), ...set(ar), ...get(m), ...set(i),
    ...loop(i, [[xi, 16]], [...row, ...loop(j, [[o, 16], [pe, 16]], column), ...skipRow(ar)]),
  ];
}

/** o[r] = Σ_l x_r,2l·x_r,2l+1 for each of the m rows (length k) of the matrix at a: ξ, or η of bᵀ. */
function selfPairsCode(): number[] {
  const inner = loop(p, [[pa, 32]], accumulate(ML, inMemory(pa, 0), inMemory(pa, 16)));
  // biome-ignore format: one instruction group per line
  const row = [
    ...clear(ML), ...get(ar), ...set(pa), ...pairs, ...inner, ...finish(ML),
    ...store(o, 0, get(lo)), ...store(o, 8, get(hi)), ...skipRow(ar),
  ];
  return [...get(a), ...set(ar), ...get(m), ...set(i), ...loop(i, [[o, 16]], row)];
}

type Kernel = {
  mem: WebAssembly.Memory;
  matmul1(o: number, a: number, bt: number, m: number, k: number, n: number, xi: number, eta: number): void;
  matmul2(o: number, a: number, bt: number, m: number, k: number, n: number, xi: number, eta: number): void;
  selfPairs(o: number, a: number, bt: number, m: number, k: number): void;
};

const BYTES = moduleBytes([
  { name: 'matmul1', params: 8, locals: LOCALS, code: matmulCode(false) },
  { name: 'matmul2', params: 8, locals: LOCALS, code: matmulCode(true) },
  { name: 'selfPairs', params: 8, locals: LOCALS, code: selfPairsCode() },
]);
/** The module's size in bytes (Chromium compiles at most 4 KiB synchronously on a page's main thread). */
export const MATMUL_WASM_BYTES = BYTES.length;
/** Products needing more memory than this get an instance of their own (wasm memory never shrinks). */
const KEPT_BYTES = 32 * 2 ** 20;
let module: WebAssembly.Module | undefined;
let kept: Kernel | undefined;

const instantiate = () => {
  module ??= new WebAssembly.Module(BYTES);
  return new WebAssembly.Instance(module).exports as unknown as Kernel;
};

const inNode = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node !== undefined;

/**
 * Pairs per loop iteration for inner dimension k, by measurement (`npm run bench:ring`, square
 * products of 64, 96, 128 and 256): Node 20's V8 runs one pair 12–15% faster than two at every
 * size; Chromium 156's (a newer optimising compiler) runs two 4–11% faster from k = 96 on and
 * 20% slower at 64. Both give the same bits.
 */
export function pairsPerStep(k: number): 1 | 2 {
  return inNode || k < 96 ? 1 : 2;
}

/**
 * (m×k)·(k×n) of 2-word elements. The module's memory holds a, b transposed (on the way in), ξ,
 * η and the product: m·k + k·n + m + n + m·n elements.
 */
export function matmul(
  x: BigUint64Array,
  y: BigUint64Array,
  M: number,
  K: number,
  N: number,
  perStep = pairsPerStep(K),
): BigUint64Array {
  if (K === 0) return new BigUint64Array(2 * M * N);
  const words = 2 * (M * K + K * N + M + N + M * N);
  const kern = words * 8 > KEPT_BYTES ? instantiate() : (kept ??= instantiate());
  const mem = memoryWords(kern.mem, words);
  mem.set(x, 0);
  const b0 = 2 * M * K;
  for (let q = 0; q < K; q++) {
    for (let c = 0; c < N; c++) {
      mem[b0 + 2 * (c * K + q)] = y[2 * (q * N + c)]!;
      mem[b0 + 2 * (c * K + q) + 1] = y[2 * (q * N + c) + 1]!;
    }
  }
  const xi0 = b0 + 2 * K * N;
  const eta0 = xi0 + 2 * M;
  const out = eta0 + 2 * N;
  kern.selfPairs(xi0 * 8, 0, 0, M, K);
  kern.selfPairs(eta0 * 8, b0 * 8, 0, N, K);
  // Row blocks of about 2^20 terms: V8 runs a module's first calls in its baseline compiler
  // (Liftoff, about half the speed here) and swaps in the optimised code only between calls.
  const rows = Math.max(1, Math.floor(2 ** 20 / (K * N)));
  const f = perStep === 1 ? kern.matmul1 : kern.matmul2;
  for (let r = 0; r < M; r += rows) {
    const at = (x: number) => x * 8;
    f(at(out + 2 * r * N), at(2 * r * K), at(b0), Math.min(rows, M - r), K, N, at(xi0 + 2 * r), at(eta0));
  }
  return mem.slice(out, out + 2 * M * N);
}
