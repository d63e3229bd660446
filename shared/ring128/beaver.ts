// Beaver's multiplication (D. Beaver, "Efficient multiparty protocols using circuit
// randomization", CRYPTO 1991) in Z_2^128 as one WebAssembly kernel: a party's share of x·y from
// the opened d = x − a, e = y − b and its triple shares (a, b, c) is c + d·b + e·a, plus d·e at
// party 0. Composed of the element-wise kernels it took six calls, each copying its operands in
// and its result out and allocating a fresh result (5.4× the Z_2^64 loop in Node, measured by
// `npm run bench:ring`); fused, every operand is copied in once and the sum of the products is
// normalised once per element (mac.ts). Nothing here checks its input: shared/ring128.ts does.

import { get, lo32, load, loop, memoryWords, moduleBytes, set, shr32, store } from './emit.js';
import { accumulate, finish, inMemory, type MacLocals } from './mac.js';

const CHUNK = 4096;

// Params o, d, e, a, b, c, n (byte offsets and an element count); i64 locals from 7.
const [O, D, E, A, B, C, N] = [0, 1, 2, 3, 4, 5, 6];
const ML: MacLocals = { c0: 7, c1: 8, h: 9, p00: 10, p01: 11, p10: 12, t: 13, lo: 14, hi: 15 };

/** o = c + d·b + e·a (+ d·e when `de`), element-wise. */
function combineCode(de: boolean): number[] {
  const at = (ptr: number) => inMemory(ptr, 0);
  // biome-ignore format: one instruction group per line
  const body = [
    ...lo32(load(C, 0)), ...set(ML.c0), ...shr32(load(C, 0)), ...set(ML.c1), ...load(C, 8), ...set(ML.h),
    ...accumulate(ML, at(D), at(B)), ...accumulate(ML, at(E), at(A)), ...(de ? accumulate(ML, at(D), at(E)) : []),
    ...finish(ML), ...store(O, 0, get(ML.lo)), ...store(O, 8, get(ML.hi)),
  ];
  return loop(
    N,
    [O, D, E, A, B, C].map((p) => [p, 16] as [number, number]),
    body,
  );
}

const BYTES = moduleBytes([
  { name: 'combine0', params: 7, locals: [[9, 0x7e]], code: combineCode(true) },
  { name: 'combine1', params: 7, locals: [[9, 0x7e]], code: combineCode(false) },
]);

type Combine = (o: number, d: number, e: number, a: number, b: number, c: number, n: number) => void;
type Kernels = { mem: WebAssembly.Memory; combine0: Combine; combine1: Combine };
let instance: Kernels | undefined;

/** Party `party`'s share of x·y from de = [d | e] and its shares a, b, c (2 words per element). */
export function combine(party: 0 | 1, de: BigUint64Array, a: BigUint64Array, b: BigUint64Array, c: BigUint64Array) {
  const k = (instance ??= new WebAssembly.Instance(new WebAssembly.Module(BYTES)).exports as unknown as Kernels);
  const mem = memoryWords(k.mem, 12 * CHUNK);
  const f = party === 0 ? k.combine0 : k.combine1;
  const w = c.length;
  const out = new BigUint64Array(w);
  const region = (r: number) => 2 * CHUNK * r;
  for (let s = 0; s < w; s += 2 * CHUNK) {
    const e = Math.min(w, s + 2 * CHUNK);
    mem.set(de.subarray(s, e), region(1));
    mem.set(de.subarray(w + s, w + e), region(2));
    mem.set(a.subarray(s, e), region(3));
    mem.set(b.subarray(s, e), region(4));
    mem.set(c.subarray(s, e), region(5));
    f(0, region(1) * 8, region(2) * 8, region(3) * 8, region(4) * 8, region(5) * 8, (e - s) / 2);
    out.set(mem.subarray(0, e - s), s);
  }
  return out;
}
