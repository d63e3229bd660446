// Arithmetic mod p = 2^255 - 19 in WebAssembly, for hashing join keys to curve25519
// (hash-to-curve-wasm.ts builds the whole map on it). BigInt needs ~140 ns per field
// multiplication; these take ~25-50 ns. The representation and formulas are ref10's (Bernstein,
// Duif, Lange, Schwabe, Yang, "High-speed high-security signatures", CHES 2011): ten signed limbs
// of 26, 25, 26, … bits (radix 2^25.5) held in i64, 2^255 ≡ 19 folded into the products, ref10's
// rounding carry chain after every operation, fe_pow22523's addition chain for z^((p-5)/8), and
// fe_tobytes' full reduction for equality and parity. Hand-emitted with the project's WebAssembly
// encoder (shared/ring128/emit.ts).
//
// A field element is 10 i64 limbs (80 bytes) at a memory address; every function takes i32
// addresses, may be called with the destination equal to an operand, and leaves its result with
// limbs in ref10's carried bounds. FIELD_FUNCS are the module's first functions, in FN's order;
// they use the scratch elements at SCRATCH (8 elements).

import { ADD, type Func, get, i32, i64, loop, MUL, SHL, SHRS, SHRU, SUB, set, tee } from '../../shared/ring128/emit.js';
import { leb } from '../../shared/wasm-module.js';

export const LIMBS = 10;
/** Bits of limb i: 26 for even i, 25 for odd. */
const BITS = Array.from({ length: LIMBS }, (_, i) => (i % 2 === 0 ? 26 : 25));
/** Bit offset of limb i. */
const OFFSETS = BITS.map((_, i) => BITS.slice(0, i).reduce((a, b) => a + b, 0));
/** Bytes of one field element. */
export const FE = 8 * LIMBS;
/** The field functions' own scratch elements (8 of them, from address 0). */
export const SCRATCH_BYTES = 8 * FE;
const [PT0, PT1, PT2, PZ, PIA, PI, PI2] = [0, FE, 2 * FE, 3 * FE, 4 * FE, 5 * FE, 6 * FE] as const;

/** Function indices, in module order. */
export const FN = {
  mul: 0,
  sq: 1,
  sqn: 2,
  add: 3,
  sub: 4,
  copy: 5,
  eq: 6,
  sgn0: 7,
  pow22523: 8,
  invert: 9,
  fromWide: 10,
  toBytes: 11,
};

const [CALL, I64_LOAD, I64_STORE, I64_LOAD8U, I32_STORE, I32_SUB, I64_EQZ, I64_AND, I64_OR] = [
  0x10, 0x29, 0x37, 0x31, 0x36, 0x6b, 0x50, 0x83, 0x84,
];

const loadLimb = (ptr: number, limb: number) => [...get(ptr), I64_LOAD, 3, ...leb(8 * limb)];
const storeLimb = (ptr: number, limb: number, value: number[]) => [
  ...get(ptr),
  ...value,
  I64_STORE,
  3,
  ...leb(8 * limb),
];
/** Calls function f with i32 arguments, each given as code that pushes it. */
export const call = (f: number, ...args: number[][]) => [...args.flat(), CALL, ...leb(f)];
/** An i32 address constant, as call arguments want it. */
export const at = (address: number) => i32(address);

/** ref10's rounding carry chain on the i64 locals h (carry: a spare i64 local). */
function carryCode(h: number[], carry: number): number[] {
  const code: number[] = [];
  for (const i of [0, 4, 1, 5, 2, 6, 3, 7, 4, 8, 9, 0]) {
    const s = BITS[i] as number;
    const next = h[(i + 1) % LIMBS] as number;
    code.push(...get(h[i] as number), ...i64(1n << BigInt(s - 1)), ADD, ...i64(BigInt(s)), SHRS, ...set(carry));
    code.push(...get(next), ...get(carry), ...(i === 9 ? [...i64(19n), MUL] : []), ADD, ...set(next));
    code.push(...get(h[i] as number), ...get(carry), ...i64(BigInt(s)), SHL, SUB, ...set(h[i] as number));
  }
  return code;
}

/** ref10's fe_tobytes reduction on carried limbs h: afterwards the canonical limbs of h mod p. */
function canonCode(h: number[], q: number): number[] {
  const code = [...get(h[9] as number), ...i64(19n), MUL, ...i64(1n << 24n), ADD, ...i64(25n), SHRS, ...set(q)];
  for (let i = 0; i < LIMBS; i++)
    code.push(...get(h[i] as number), ...get(q), ADD, ...i64(BigInt(BITS[i] as number)), SHRS, ...set(q));
  code.push(...get(h[0] as number), ...get(q), ...i64(19n), MUL, ADD, ...set(h[0] as number));
  for (let i = 0; i < LIMBS; i++) {
    const s = BigInt(BITS[i] as number);
    code.push(...get(h[i] as number), ...i64(s), SHRS, ...set(q));
    if (i < LIMBS - 1) code.push(...get(h[i + 1] as number), ...get(q), ADD, ...set(h[i + 1] as number));
    code.push(...get(h[i] as number), ...get(q), ...i64(s), SHL, SUB, ...set(h[i] as number));
  }
  return code;
}

const locals = (first: number) => Array.from({ length: LIMBS }, (_, i) => first + i);
const storeAll = (dst: number, h: number[]) => h.flatMap((l, i) => storeLimb(dst, i, get(l)));

/** mul(dst, a, b): ref10's fe_mul, 100 products. */
function mulCode(): number[] {
  const [DST, A, B] = [0, 1, 2];
  const [a, b, b19, a2, h] = [3, 13, 23, 33, 43].map(locals) as [number[], number[], number[], number[], number[]];
  const code: number[] = [];
  for (let i = 0; i < LIMBS; i++) {
    code.push(...loadLimb(A, i), ...tee(a[i] as number), ...i64(1n), SHL, ...set(a2[i] as number));
    code.push(...loadLimb(B, i), ...tee(b[i] as number), ...i64(19n), MUL, ...set(b19[i] as number));
  }
  for (let k = 0; k < LIMBS; k++) {
    for (let i = 0; i < LIMBS; i++) {
      const j = (k - i + LIMBS) % LIMBS;
      const left = i % 2 === 1 && j % 2 === 1 ? a2[i] : a[i];
      code.push(...get(left as number), ...get((i + j >= LIMBS ? b19[j] : b[j]) as number), MUL);
      if (i > 0) code.push(ADD);
    }
    code.push(...set(h[k] as number));
  }
  return [...code, ...carryCode(h, 53), ...storeAll(DST, h)];
}

/** sq(dst, a): ref10's fe_sq, 55 products (the symmetric ones doubled). */
function sqCode(): number[] {
  const [DST, SRC] = [0, 1];
  const [f, f2, f19, f38, h] = [2, 12, 22, 32, 42].map(locals) as [number[], number[], number[], number[], number[]];
  const code: number[] = [];
  for (let i = 0; i < LIMBS; i++) {
    code.push(...loadLimb(SRC, i), ...tee(f[i] as number), ...i64(1n), SHL, ...set(f2[i] as number));
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
      // coefficient (i < j ? 2 : 1)·(i, j both odd ? 2 : 1)·(i + j ≥ 10 ? 19 : 1), split as left·right
      const twice = (i < j ? 2 : 1) * (i % 2 === 1 && j % 2 === 1 ? 2 : 1);
      const wrap = i + j >= LIMBS;
      const left = twice === 4 || (twice === 2 && !wrap) ? f2[i] : f[i];
      const doubled = twice === 4 || (twice === 2 && wrap);
      const right = wrap ? (doubled ? f38[j] : f19[j]) : doubled ? f2[j] : f[j];
      code.push(...get(left as number), ...get(right as number), MUL);
      if (!first) code.push(ADD);
      first = false;
    }
    code.push(...set(h[k] as number));
  }
  return [...code, ...carryCode(h, 52), ...storeAll(DST, h)];
}

/** sqn(dst, a, n): dst = a^(2^n), n ≥ 1. */
function sqnCode(): number[] {
  const [DST, SRC, N] = [0, 1, 2];
  return [
    ...call(FN.sq, get(DST), get(SRC)),
    ...[...get(N), ...i32(1), I32_SUB, ...set(N)],
    ...loop(N, [], call(FN.sq, get(DST), get(DST))),
  ];
}

/** add(dst, a, b) or sub(dst, a, b): limb by limb, then carried. */
function addCode(op: number): number[] {
  const [DST, A, B] = [0, 1, 2];
  const h = locals(3);
  const code = h.flatMap((l, i) => [...loadLimb(A, i), ...loadLimb(B, i), op, ...set(l)]);
  return [...code, ...carryCode(h, 13), ...storeAll(DST, h)];
}

const copyCode = () => Array.from({ length: LIMBS }, (_, i) => storeLimb(0, i, loadLimb(1, i))).flat();

/** eq(flag, a, b): the i32 at flag becomes 1 if a ≡ b (mod p), else 0. */
function eqCode(): number[] {
  const [FLAG, A, B] = [0, 1, 2];
  const h = locals(3);
  const code = h.flatMap((l, i) => [...loadLimb(A, i), ...loadLimb(B, i), SUB, ...set(l)]);
  code.push(...carryCode(h, 13), ...canonCode(h, 13), ...get(FLAG), ...get(h[0] as number));
  for (let i = 1; i < LIMBS; i++) code.push(...get(h[i] as number), I64_OR);
  return [...code, I64_EQZ, I32_STORE, 2, 0];
}

/** sgn0(flag, a): the i32 at flag becomes the parity of a's canonical value (RFC 9380 sgn0). */
function sgn0Code(): number[] {
  const [FLAG, A] = [0, 1];
  const h = locals(2);
  const code = h.flatMap((l, i) => [...loadLimb(A, i), ...set(l)]);
  return [
    ...code,
    ...canonCode(h, 12),
    ...get(FLAG),
    ...get(h[0] as number),
    ...i64(1n),
    I64_AND,
    0xa7,
    I32_STORE,
    2,
    0,
  ];
}

/** pow22523(dst, a): a^(2^252 - 3), ref10's addition chain. */
function powCode(): number[] {
  const [DST, A] = [0, 1];
  const mul = (d: number, a: number, b: number) => call(FN.mul, at(d), at(a), at(b));
  const sqn = (d: number, s: number, n: number) => call(FN.sqn, at(d), at(s), i32(n));
  return [
    ...call(FN.copy, at(PZ), get(A)),
    ...sqn(PT0, PZ, 1), // z^2
    ...sqn(PT1, PT0, 2), // z^8
    ...mul(PT1, PZ, PT1), // z^9
    ...mul(PT0, PT0, PT1), // z^11
    ...sqn(PT0, PT0, 1), // z^22
    ...mul(PT0, PT1, PT0), // z^(2^5 - 1)
    ...sqn(PT1, PT0, 5),
    ...mul(PT0, PT1, PT0), // z^(2^10 - 1)
    ...sqn(PT1, PT0, 10),
    ...mul(PT1, PT1, PT0), // z^(2^20 - 1)
    ...sqn(PT2, PT1, 20),
    ...mul(PT1, PT2, PT1), // z^(2^40 - 1)
    ...sqn(PT1, PT1, 10),
    ...mul(PT0, PT1, PT0), // z^(2^50 - 1)
    ...sqn(PT1, PT0, 50),
    ...mul(PT1, PT1, PT0), // z^(2^100 - 1)
    ...sqn(PT2, PT1, 100),
    ...mul(PT1, PT2, PT1), // z^(2^200 - 1)
    ...sqn(PT1, PT1, 50),
    ...mul(PT0, PT1, PT0), // z^(2^250 - 1)
    ...sqn(PT0, PT0, 2),
    ...call(FN.mul, get(DST), at(PT0), at(PZ)), // z^(2^252 - 3)
  ];
}

/** invert(dst, a): a^(p - 2) = (a^(2^252 - 3))^8 · a^3. */
function invertCode(): number[] {
  const [DST, A] = [0, 1];
  return [
    ...call(FN.copy, at(PIA), get(A)),
    ...call(FN.pow22523, at(PI), at(PIA)),
    ...call(FN.sqn, at(PI), at(PI), i32(3)),
    ...call(FN.sq, at(PI2), at(PIA)),
    ...call(FN.mul, at(PI2), at(PI2), at(PIA)),
    ...call(FN.mul, get(DST), at(PI), at(PI2)),
  ];
}

/**
 * fromWide(dst, bytes): the 48-byte little-endian number at bytes (64 readable bytes, the last 16
 * zero) mod p: lo + 2^256·hi ≡ lo + 38·hi, lo's bit 255 folded in as 19.
 */
function fromWideCode(): number[] {
  const [DST, BYTES] = [0, 1];
  const h = locals(2);
  const bits = (bitOffset: number, width: number) => [
    ...get(BYTES),
    I64_LOAD,
    0,
    ...leb(bitOffset >> 3),
    ...i64(BigInt(bitOffset & 7)),
    SHRU,
    ...i64((1n << BigInt(width)) - 1n),
    I64_AND,
  ];
  const code: number[] = [];
  for (let i = 0; i < LIMBS; i++) {
    code.push(...bits(OFFSETS[i] as number, BITS[i] as number));
    if (i < 5) code.push(...bits(256 + (OFFSETS[i] as number), BITS[i] as number), ...i64(38n), MUL, ADD);
    if (i === 0) code.push(...get(BYTES), I64_LOAD8U, 0, 31, ...i64(7n), SHRU, ...i64(19n), MUL, ADD);
    code.push(...set(h[i] as number));
  }
  return [...code, ...carryCode(h, 12), ...storeAll(DST, h)];
}

/** toBytes(out, a): the 32 canonical little-endian bytes of a. */
function toBytesCode(): number[] {
  const [OUT, A] = [0, 1];
  const h = locals(2);
  const code = [...h.flatMap((l, i) => [...loadLimb(A, i), ...set(l)]), ...canonCode(h, 12)];
  for (let w = 0; w < 4; w++) {
    code.push(...get(OUT));
    let first = true;
    for (let i = 0; i < LIMBS; i++) {
      const lo = OFFSETS[i] as number;
      const hi = lo + (BITS[i] as number);
      if (hi <= 64 * w || lo >= 64 * (w + 1)) continue;
      const shift = lo - 64 * w;
      code.push(
        ...get(h[i] as number),
        ...(shift >= 0 ? [...i64(BigInt(shift)), SHL] : [...i64(BigInt(-shift)), SHRU]),
      );
      if (!first) code.push(I64_OR);
      first = false;
    }
    code.push(I64_STORE, 3, ...leb(8 * w));
  }
  return code;
}

const I64 = 0x7e;
/** The field functions, in FN's order. */
export const FIELD_FUNCS: Func[] = [
  { name: 'mul', params: 3, locals: [[5 * LIMBS + 1, I64]], code: mulCode() },
  { name: 'sq', params: 2, locals: [[5 * LIMBS + 1, I64]], code: sqCode() },
  { name: 'sqn', params: 3, locals: [], code: sqnCode() },
  { name: 'add', params: 3, locals: [[LIMBS + 1, I64]], code: addCode(ADD) },
  { name: 'sub', params: 3, locals: [[LIMBS + 1, I64]], code: addCode(SUB) },
  { name: 'copy', params: 2, locals: [], code: copyCode() },
  { name: 'eq', params: 3, locals: [[LIMBS + 1, I64]], code: eqCode() },
  { name: 'sgn0', params: 2, locals: [[LIMBS + 1, I64]], code: sgn0Code() },
  { name: 'pow22523', params: 2, locals: [], code: powCode() },
  { name: 'invert', params: 2, locals: [], code: invertCode() },
  { name: 'fromWide', params: 2, locals: [[LIMBS + 1, I64]], code: fromWideCode() },
  { name: 'toBytes', params: 2, locals: [[LIMBS + 1, I64]], code: toBytesCode() },
];

/** The ten limbs of x (0 ≤ x < 2^255), as the field functions store them. */
export function limbsOf(x: bigint): bigint[] {
  return BITS.map((b) => {
    const limb = BigInt.asUintN(b, x);
    x >>= BigInt(b);
    return limb;
  });
}
