// The one expensive step of hashing keys to curve25519 (hash-to-curve.ts), in WebAssembly: the
// exponentiation z^((p-5)/8) = z^(2^252 - 3) of Elligator 2's square root (RFC 9380 G.2.1 step 16),
// for a whole batch of field elements. BigInt arithmetic needs ~140 ns per field multiplication
// and this exponentiation takes 265 of them, twice per key; here the multiplication is ref10's
// (Bernstein, Duif, Lange, Schwabe, Yang, "High-speed high-security signatures", CHES 2011):
// p = 2^255 - 19, ten signed limbs of 26, 25, 26, … bits held in i64, 19·2^255 ≡ 19 folded into
// the products, and the carry chain of ref10's fe_mul; the exponentiation is ref10's
// fe_pow22523 addition chain (254 squarings, 11 multiplications). Hand-emitted with the
// project's WebAssembly encoder (shared/ring128/emit.ts); small enough (< 4 KiB) for Chromium to
// compile synchronously on a page's main thread.
//
// Memory: scratch field elements (10 i64 limbs each) at 0, 80, 160, 240; the batch from BATCH,
// 10 i32 limbs per element, read and overwritten in place.

import { ADD, get, i32, i64, loop, MUL, moduleBytes, SHL, SHRS, SUB, set, tee } from '../../shared/ring128/emit.js';

const LIMBS = 10;
/** Bits of limb i: 26 for even i, 25 for odd. */
const BITS = Array.from({ length: LIMBS }, (_, i) => (i % 2 === 0 ? 26 : 25));
/** Bit offset of limb i. */
const OFFSETS = BITS.map((_, i) => BITS.slice(0, i).reduce((a, b) => a + b, 0));
const [T0, T1, T2, Z] = [0, 80, 160, 240];
const BATCH = 320;
const [CALL, I64_LOAD32S, I64_STORE32, I64_LOAD, I64_STORE] = [0x10, 0x34, 0x3e, 0x29, 0x37];
const [F_MUL, F_SQ, F_SQN] = [0, 1, 2];

const loadI64 = (ptr: number, limb: number) => [...get(ptr), I64_LOAD, 3, ...i32Leb(8 * limb)];
const storeI64 = (ptr: number, limb: number, value: number[]) => [
  ...get(ptr),
  ...value,
  I64_STORE,
  3,
  ...i32Leb(8 * limb),
];
function i32Leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** mul(dst, a, b): dst = a·b, each a pointer to 10 i64 limbs; dst may alias a or b. */
function mulCode(): number[] {
  const [DST, A, B] = [0, 1, 2];
  const a = Array.from({ length: LIMBS }, (_, i) => 3 + i);
  const b = a.map((l) => l + LIMBS);
  const b19 = b.map((l) => l + LIMBS); // 19·b_j
  const a2 = b19.map((l) => l + LIMBS); // 2·a_i (used for odd i)
  const h = a2.map((l) => l + LIMBS);
  const carry = (h[9] as number) + 1;
  const code: number[] = [];
  for (let i = 0; i < LIMBS; i++) {
    code.push(...loadI64(A, i), ...set(a[i] as number), ...loadI64(B, i), ...set(b[i] as number));
    code.push(...get(b[i] as number), ...i64(19n), MUL, ...set(b19[i] as number));
    code.push(...get(a[i] as number), ...i64(1n), SHL, ...set(a2[i] as number));
  }
  for (let k = 0; k < LIMBS; k++) {
    for (let i = 0; i < LIMBS; i++) {
      const j = (k - i + LIMBS) % LIMBS;
      const left = i % 2 === 1 && j % 2 === 1 ? a2[i] : a[i];
      const right = i + j >= LIMBS ? b19[j] : b[j];
      code.push(...get(left as number), ...get(right as number), MUL);
      if (i > 0) code.push(ADD);
    }
    code.push(...set(h[k] as number));
  }
  return [...code, ...carryAndStore(h, carry, DST)];
}

/** ref10's carry chain on the ten i64 locals h (rounding, so limbs stay signed and small), then dst = h. */
function carryAndStore(h: number[], carry: number, dst: number): number[] {
  const code: number[] = [];
  // ref10's carry order; (h + 2^(s-1)) >> s rounds, keeping limbs signed and small.
  for (const i of [0, 4, 1, 5, 2, 6, 3, 7, 4, 8, 9, 0]) {
    const s = BITS[i] as number;
    const next = h[(i + 1) % LIMBS] as number;
    code.push(...get(h[i] as number), ...i64(1n << BigInt(s - 1)), ADD, ...i64(BigInt(s)), SHRS, ...set(carry));
    code.push(...get(next), ...get(carry), ...(i === 9 ? [...i64(19n), MUL] : []), ADD, ...set(next));
    code.push(...get(h[i] as number), ...get(carry), ...i64(BigInt(s)), SHL, SUB, ...set(h[i] as number));
  }
  for (let i = 0; i < LIMBS; i++) code.push(...storeI64(dst, i, get(h[i] as number)));
  return code;
}

/** sq(dst, src): dst = src^2 (ref10's fe_sq: 55 products, the symmetric ones doubled). */
function sqCode(): number[] {
  const [DST, SRC] = [0, 1];
  const f = Array.from({ length: LIMBS }, (_, i) => 2 + i);
  const f2 = f.map((l) => l + LIMBS);
  const f19 = f2.map((l) => l + LIMBS);
  const f38 = f19.map((l) => l + LIMBS);
  const h = f38.map((l) => l + LIMBS);
  const carry = (h[9] as number) + 1;
  const code: number[] = [];
  for (let i = 0; i < LIMBS; i++) {
    code.push(...loadI64(SRC, i), ...tee(f[i] as number), ...i64(1n), SHL, ...set(f2[i] as number));
    code.push(
      ...get(f[i] as number),
      ...i64(19n),
      MUL,
      ...tee(f19[i] as number),
      ...i64(1n),
      SHL,
      ...set(f38[i] as number),
    );
  }
  for (let k = 0; k < LIMBS; k++) {
    let first = true;
    for (let i = 0; i < LIMBS; i++) {
      const j = (k - i + LIMBS) % LIMBS;
      if (j < i) continue;
      // coefficient (i < j ? 2 : 1)·(i, j odd ? 2 : 1)·(i + j ≥ 10 ? 19 : 1) = left·right
      const twice = (i < j ? 2 : 1) * (i % 2 === 1 && j % 2 === 1 ? 2 : 1);
      const wrap = i + j >= LIMBS;
      const left = twice === 4 || (twice === 2 && !wrap) ? f2[i] : f[i];
      const rightTwice = twice === 4 ? 2 : twice === 2 && wrap ? 2 : 1;
      const right = wrap ? (rightTwice === 2 ? f38[j] : f19[j]) : rightTwice === 2 ? f2[j] : f[j];
      code.push(...get(left as number), ...get(right as number), MUL);
      if (!first) code.push(ADD);
      first = false;
    }
    code.push(...set(h[k] as number));
  }
  return [...code, ...carryAndStore(h, carry, DST)];
}

const call = (f: number, ...args: number[]) => [...args.flatMap((a) => i32(a)), CALL, f];

/** sqn(dst, src, n): dst = src^(2^n), n ≥ 1. */
function sqnCode(): number[] {
  const [DST, SRC, N] = [0, 1, 2];
  const [I32_SUB] = [0x6b];
  return [
    ...[...get(DST), ...get(SRC), CALL, F_SQ],
    ...[...get(N), ...i32(1), I32_SUB, ...set(N)],
    ...loop(N, [], [...get(DST), ...get(DST), CALL, F_SQ]),
  ];
}

/** pow22523(ptr, count): each of `count` elements at ptr (10 i32 limbs) becomes z^(2^252 - 3). */
function powCode(): number[] {
  const [PTR, COUNT] = [0, 1];
  const load = [
    ...Array.from({ length: LIMBS }, (_, i) => [
      ...i32(Z),
      ...get(PTR),
      I64_LOAD32S,
      2,
      ...i32Leb(4 * i),
      I64_STORE,
      3,
      ...i32Leb(8 * i),
    ]).flat(),
  ];
  const store = Array.from({ length: LIMBS }, (_, i) => [
    ...get(PTR),
    ...i32(T0),
    0x29,
    3,
    ...i32Leb(8 * i),
    I64_STORE32,
    2,
    ...i32Leb(4 * i),
  ]).flat();
  const mul = (d: number, a: number, b: number) => call(F_MUL, d, a, b);
  const sqn = (d: number, s: number, n: number) => call(F_SQN, d, s, n);
  const chain = [
    ...sqn(T0, Z, 1), // z^2
    ...sqn(T1, T0, 2), // z^8
    ...mul(T1, Z, T1), // z^9
    ...mul(T0, T0, T1), // z^11
    ...sqn(T0, T0, 1), // z^22
    ...mul(T0, T1, T0), // z^(2^5 - 1)
    ...sqn(T1, T0, 5),
    ...mul(T0, T1, T0), // z^(2^10 - 1)
    ...sqn(T1, T0, 10),
    ...mul(T1, T1, T0), // z^(2^20 - 1)
    ...sqn(T2, T1, 20),
    ...mul(T1, T2, T1), // z^(2^40 - 1)
    ...sqn(T1, T1, 10),
    ...mul(T0, T1, T0), // z^(2^50 - 1)
    ...sqn(T1, T0, 50),
    ...mul(T1, T1, T0), // z^(2^100 - 1)
    ...sqn(T2, T1, 100),
    ...mul(T1, T2, T1), // z^(2^200 - 1)
    ...sqn(T1, T1, 50),
    ...mul(T0, T1, T0), // z^(2^250 - 1)
    ...sqn(T0, T0, 2),
    ...mul(T0, T0, Z), // z^(2^252 - 3)
  ];
  return loop(COUNT, [[PTR, 4 * LIMBS]], [...load, ...chain, ...store]);
}

const BYTES = moduleBytes([
  { name: 'mul', params: 3, locals: [[5 * LIMBS + 1, 0x7e]], code: mulCode() },
  { name: 'sq', params: 2, locals: [[5 * LIMBS + 1, 0x7e]], code: sqCode() },
  { name: 'sqn', params: 3, locals: [], code: sqnCode() },
  { name: 'pow22523', params: 2, locals: [], code: powCode() },
]);

interface Kernels {
  mem: WebAssembly.Memory;
  pow22523(ptr: number, count: number): void;
}
let instance: Kernels | undefined;
const kernels = (): Kernels =>
  (instance ??= new WebAssembly.Instance(new WebAssembly.Module(BYTES)).exports as unknown as Kernels);

const P = (1n << 255n) - 19n;

/** z^((p-5)/8) mod p for each z (each in [0, p)), canonical. */
export function pow22523Batch(values: readonly bigint[]): bigint[] {
  const k = kernels();
  const need = BATCH + 4 * LIMBS * values.length - k.mem.buffer.byteLength;
  if (need > 0) k.mem.grow(Math.ceil(need / 65536));
  const limbs = new Int32Array(k.mem.buffer, BATCH, LIMBS * values.length);
  values.forEach((z, e) => {
    for (let i = 0; i < LIMBS; i++) {
      limbs[LIMBS * e + i] = Number(BigInt.asUintN(BITS[i] as number, z));
      z >>= BigInt(BITS[i] as number);
    }
  });
  k.pow22523(BATCH, values.length);
  return values.map((_, e) => {
    let x = 0n;
    for (let i = LIMBS - 1; i >= 0; i--) x += BigInt(limbs[LIMBS * e + i] as number) << BigInt(OFFSETS[i] as number);
    x %= P;
    return x < 0n ? x + P : x;
  });
}
