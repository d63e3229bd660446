// Candidate "direct" of `npm run bench:ring`: the Z_2^128 matrix product shared/ring128.ts used
// until December 2026 (WebAssembly MVP, scalar i64, on 2-word elements, low word first), kept to
// time the Winograd kernel of shared/ring128/matmul.ts against. Per output, c0 and c1 sum the
// parts of the products of weight 1 and 2^32 exactly (each term adds below 3·2^32, so k < 2^29
// keeps them under 2^63) and h the parts of weight 2^64 mod 2^64; the output is c0 + 2^32·c1 + 2^64·h. Each term costs six i64.mul (a0·b0,
// a0·b1, a1·b0, a1·b1 on 32-bit halves, then aL·bH and aH·bL). Measured and not kept
// (`npm run bench:ring`, December 2026): the two cross terms as one i64x2.mul (WebAssembly SIMD),
// no faster in Node and slower in Chromium; two columns per pass sharing a's loads, no faster.
// Inputs as shared/ring128.ts checks them (k < 2^29, a, b and the result within 2 GiB).

import {
  ADD,
  get,
  I32_ADD,
  I32_SHL,
  i32,
  i64,
  lo32,
  load,
  load32u,
  loop,
  MUL,
  memoryWords,
  moduleBytes,
  OR,
  SHL,
  set,
  shr32,
  store,
} from '../../shared/ring128/emit.js';

// Params o, a, bt, m, k, n (byte offsets of out, a and b transposed; the dimensions).
const [o, a, bt, m, k, n] = [0, 1, 2, 3, 4, 5];
// i32 locals i, j, p, pa, pb, ar; i64 locals c0, c1, h, p00, p01, p10, t.
const [i, j, p, pa, pb, ar] = [6, 7, 8, 9, 10, 11];
const [c0, c1, h, p00, p01, p10, t] = [12, 13, 14, 15, 16, 17, 18];
const LOCALS: [number, number][] = [
  [6, 0x7f],
  [7, 0x7e],
];
const prod = (x: number, y: number) => [...load32u(pa, x), ...load32u(pb, y), MUL];

function code(): number[] {
  // biome-ignore format: one instruction group per line
  const inner = loop(p, [[pa, 16], [pb, 16]], [
    ...prod(0, 0), ...set(p00), ...prod(0, 4), ...set(p01), ...prod(4, 0), ...set(p10),
    ...get(c0), ...lo32(get(p00)), ADD, ...set(c0),
    ...get(c1), ...shr32(get(p00)), ADD, ...lo32(get(p01)), ADD, ...lo32(get(p10)), ADD, ...set(c1),
    ...get(h), ...prod(4, 4), ADD, ...shr32(get(p01)), ADD, ...shr32(get(p10)), ADD, ...set(h),
    ...get(h), ...load(pa, 0), ...load(pb, 8), MUL, ADD, ...load(pa, 8), ...load(pb, 0), MUL, ADD, ...set(h),
  ]);
  // biome-ignore format: one instruction group per line
  const column = [
    ...i64(0n), ...set(c0), ...i64(0n), ...set(c1), ...i64(0n), ...set(h),
    ...get(ar), ...set(pa), ...get(k), ...set(p),
    ...inner,
    ...shr32(get(c0)), ...get(c1), ADD, ...set(t),
    ...store(o, 0, [...lo32(get(c0)), ...get(t), ...i64(32n), SHL, OR]),
    ...store(o, 8, [...get(h), ...shr32(get(t)), ADD]),
  ];
  const row = [...get(bt), ...set(pb), ...get(n), ...set(j), ...loop(j, [[o, 16]], column)];
  // biome-ignore format: one instruction group per line
  return [...get(a), ...set(ar), ...get(m), ...set(i), ...loop(i, [], [...row, ...get(ar), ...get(k), ...i32(4), I32_SHL, I32_ADD, ...set(ar)])];
}

type Kernel = {
  mem: WebAssembly.Memory;
  matmul(o: number, a: number, bt: number, m: number, k: number, n: number): void;
};

const BYTES = moduleBytes([{ name: 'matmul', params: 6, locals: LOCALS, code: code() }]);
/** Products needing more memory than this get an instance of their own (wasm memory never shrinks). */
const KEPT_BYTES = 32 * 2 ** 20;
let module: WebAssembly.Module | undefined;
let kept: Kernel | undefined;

const instantiate = () => {
  module ??= new WebAssembly.Module(BYTES);
  return new WebAssembly.Instance(module).exports as unknown as Kernel;
};

/** (m×k)·(k×n) of 2-word elements; b is transposed into the module's memory on the way in. */
export function matmulDirect(x: BigUint64Array, y: BigUint64Array, M: number, K: number, N: number): BigUint64Array {
  const words = 2 * (M * K + K * N + M * N);
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
  const out = b0 + 2 * K * N;
  kern.matmul(out * 8, 0, b0 * 8, M, K, N);
  return mem.slice(out, out + 2 * M * N);
}
