// The element-wise Z_2^128 kernels of shared/ring128.ts in WebAssembly (MVP, scalar i64): add,
// sub, neg, mul and the right shifts, on 2-word elements (low word first). Chosen over plain
// BigInt, lowered BigInt words and 32-bit limbs by `npm run bench:ring` (figures in
// docs/securenumpy.md). Wasm has no 64×64→128 multiply (the wide-arithmetic proposal's
// i64.mul_wide_u is not in Node 20; wideArithmeticSupported lets the bench ask Chromium), so mul
// builds the high word of aL·bL from 32-bit halves loaded with i64.load32_u.
//
// The kernels work on byte offsets into the module's own memory; elementwise copies its inputs in
// and the result out in chunks of CHUNK elements, so the copies stay in cache. Nothing here checks
// its input: shared/ring128.ts does, before calling.

import { leb } from '../wasm-module.js';
import {
  ADD,
  EXTU,
  type Func,
  GTU,
  get,
  i64,
  LTU,
  lo32,
  load,
  load32u,
  loop,
  MUL,
  memoryWords,
  moduleBytes,
  NE,
  OR,
  SHL,
  SHRS,
  SHRU,
  SUB,
  set,
  shr32,
  store,
  tee,
} from './emit.js';

const CHUNK = 4096;

// Params o, a, b, n (byte offsets and an element count); i64 locals from 4.
const [O, A, B, N] = [0, 1, 2, 3];
const STEP: [number, number][] = [
  [O, 16],
  [A, 16],
  [B, 16],
];

/** a ± b: the high words get the carry (sum < a) or the borrow (b > a) of the low words. */
// biome-ignore format: one instruction group per line
const addCode = (op: number) => loop(N, STEP, [
  ...store(O, 0, [...load(A, 0), ...load(B, 0), op, ...tee(4)]),
  ...store(O, 8, [
    ...load(A, 8), ...load(B, 8), op,
    ...(op === ADD ? [...get(4), ...load(A, 0), LTU] : [...load(B, 0), ...load(A, 0), GTU]), EXTU, op,
  ]),
]);

/** −a: lo = −aL, hi = −aH − (aL ≠ 0). */
// biome-ignore format: one instruction group per line
const negCode = () => loop(N, STEP, [
  ...store(O, 0, [...i64(0n), ...load(A, 0), SUB]),
  ...store(O, 8, [...i64(0n), ...load(A, 8), SUB, ...load(A, 0), ...i64(0n), NE, EXTU, SUB]),
]);

/**
 * Low 128 bits of (aH·2^64 + aL)(bH·2^64 + bL) = aL·bL + 2^64·(aL·bH + aH·bL) mod 2^128, where the
 * high word of aL·bL is a1·b1 + hi(a0·b1) + hi(a1·b0) + hi(hi(a0·b0) + lo(a0·b1) + lo(a1·b0)).
 */
const mulCode = () => {
  const [a0, a1, b0, b1, p01, p10, mid] = [4, 5, 6, 7, 8, 9, 10];
  // biome-ignore format: one instruction group per line
  return loop(N, STEP, [
    ...load32u(A, 0), ...set(a0), ...load32u(A, 4), ...set(a1),
    ...load32u(B, 0), ...set(b0), ...load32u(B, 4), ...set(b1),
    ...get(a0), ...get(b1), MUL, ...set(p01),
    ...get(a1), ...get(b0), MUL, ...set(p10),
    ...shr32([...get(a0), ...get(b0), MUL]), ...lo32(get(p01)), ADD, ...lo32(get(p10)), ADD, ...set(mid),
    ...store(O, 0, [...load(A, 0), ...load(B, 0), MUL]),
    ...store(O, 8, [
      ...get(a1), ...get(b1), MUL, ...shr32(get(p01)), ADD, ...shr32(get(p10)), ADD, ...shr32(get(mid)), ADD,
      ...load(A, 0), ...load(B, 8), MUL, ADD,
      ...load(A, 8), ...load(B, 0), MUL, ADD,
    ]),
  ]);
};

/**
 * a >> s for 1 ≤ s ≤ 63 (`high` false) or a >> (64 + s) for 0 ≤ s ≤ 63 (`high` true), signed (SHRS)
 * or unsigned (SHRU); s comes in the b parameter. Wasm takes shift counts mod 64, hence the ranges.
 */
const shiftCode = (shr: number, high: boolean) => {
  const s = 4;
  const fill = shr === SHRS ? [...load(A, 8), ...i64(63n), SHRS] : i64(0n);
  // biome-ignore format: one instruction group per line
  const body = high
    ? [...store(O, 0, [...load(A, 8), ...get(s), shr]), ...store(O, 8, fill)]
    : [
        ...store(O, 0, [...load(A, 0), ...get(s), SHRU, ...load(A, 8), ...i64(64n), ...get(s), SUB, SHL, OR]),
        ...store(O, 8, [...load(A, 8), ...get(s), shr]),
      ];
  return [
    ...get(B),
    EXTU,
    ...set(s),
    ...loop(
      N,
      [
        [O, 16],
        [A, 16],
      ],
      body,
    ),
  ];
};

const i64s = (n: number): [number, number][] => [[n, 0x7e]];
const FUNCS: Func[] = [
  { name: 'add', params: 4, locals: i64s(1), code: addCode(ADD) },
  { name: 'sub', params: 4, locals: i64s(1), code: addCode(SUB) },
  { name: 'neg', params: 4, locals: [], code: negCode() },
  { name: 'mul', params: 4, locals: i64s(7), code: mulCode() },
  { name: 'sra', params: 4, locals: i64s(1), code: shiftCode(SHRS, false) },
  { name: 'srl', params: 4, locals: i64s(1), code: shiftCode(SHRU, false) },
  { name: 'sraHigh', params: 4, locals: i64s(1), code: shiftCode(SHRS, true) },
  { name: 'srlHigh', params: 4, locals: i64s(1), code: shiftCode(SHRU, true) },
];
const BYTES = moduleBytes(FUNCS);

/** The module's size in bytes (Chromium compiles at most 4 KiB synchronously on a page's main thread). */
export const WASM_BYTES = BYTES.length;

type Op = 'add' | 'sub' | 'neg' | 'mul' | 'sra' | 'srl' | 'sraHigh' | 'srlHigh';
type Kernels = { mem: WebAssembly.Memory } & Record<Op, (o: number, a: number, b: number, n: number) => void>;

let instance: Kernels | undefined;
const kernels = (): Kernels =>
  (instance ??= new WebAssembly.Instance(new WebAssembly.Module(BYTES)).exports as unknown as Kernels);

/**
 * op(a, b) element-wise on 2-word elements. b is another vector, or two words (a scalar used for
 * every element), or a number (the shift count of the shift kernels; neg ignores it). The result
 * goes to `out` from word `at` (a new vector by default).
 */
export function elementwise(
  op: Op,
  a: BigUint64Array,
  b: BigUint64Array | number,
  out = new BigUint64Array(a.length),
  at = 0,
): BigUint64Array {
  const k = kernels();
  const mem = memoryWords(k.mem, 6 * CHUNK);
  const f = k[op];
  const vector = typeof b !== 'number' && (b.length !== 2 || a.length === 2);
  if (typeof b !== 'number' && !vector) for (let i = 0; i < 2 * CHUNK; i += 2) mem.set(b, 2 * CHUNK + i);
  for (let s = 0; s < a.length; s += 2 * CHUNK) {
    const e = Math.min(a.length, s + 2 * CHUNK);
    mem.set(a.subarray(s, e), 0);
    if (vector) mem.set(b.subarray(s, e), 2 * CHUNK);
    f(4 * CHUNK * 8, 0, typeof b === 'number' ? b : 2 * CHUNK * 8, (e - s) / 2);
    out.set(mem.subarray(4 * CHUNK, 4 * CHUNK + e - s), at + s);
  }
  return out;
}

/** Whether this engine validates a module using i64.mul_wide_u (the wide-arithmetic proposal). */
export function wideArithmeticSupported(): boolean {
  const body = [0, ...get(0), ...get(0), 0xfc, 22, 0x1a, 0x1a, 0x0b];
  return WebAssembly.validate(
    new Uint8Array([
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...[1, 5, 1, 0x60, 1, 0x7e, 0],
      ...[3, 2, 1, 0],
      ...[10, ...leb(body.length + 2), 1, ...leb(body.length), ...body],
    ]),
  );
}
