// `npx tsx bench/ring-kernels.ts`: times the Z_2^64 kernels of workers/securenumpy/ring.ts against naive BigInt loops, as JSON (ms; first call and best of several).

import { randomRing } from '../shared/random.js';
import { add, msb, mul, ringMatmul, ringMatmulPortable, shiftRightLogical, sub } from '../shared/ring.js';

const REPS = 5;
const round = (x: number) => Math.round(x * 10) / 10;

/** The first call (includes compilation) and the best of `reps` calls, in ms. */
function time<T>(f: () => T, reps = REPS): { first: number; best: number; result: T } {
  let first = 0;
  let best = Infinity;
  let result!: T;
  for (let r = 0; r < reps; r++) {
    const start = performance.now();
    result = f();
    const ms = performance.now() - start;
    if (r === 0) first = ms;
    best = Math.min(best, ms);
  }
  return { first: round(first), best: round(best), result };
}

/** The textbook loop: one BigInt multiply-add per term, truncated each step. */
function naiveMatmul(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array {
  const out = new BigUint64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0n;
      for (let p = 0; p < k; p++) acc = BigInt.asUintN(64, acc + a[i * k + p]! * b[p * n + j]!);
      out[i * n + j] = acc;
    }
  }
  return out;
}

/** The same with exact BigInt sums reduced once per entry: every step allocates. */
function naiveMatmulExact(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array {
  const out = new BigUint64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0n;
      for (let p = 0; p < k; p++) acc += a[i * k + p]! * b[p * n + j]!;
      out[i * n + j] = acc;
    }
  }
  return out;
}

/**
 * Element-wise product from 32-bit words (the design ring.ts measured and dropped): low word
 * by Math.imul, its carry from the float64 product (within 2^11 of exact), cross terms by imul.
 */
function limbMul(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const A = new Int32Array(a.buffer, a.byteOffset, 2 * a.length);
  const B = new Int32Array(b.buffer, b.byteOffset, 2 * b.length);
  const O = new Int32Array(2 * a.length);
  for (let i = 0; i < O.length; i += 2) {
    const aL = A[i]!,
      aH = A[i + 1]!,
      bL = B[i]!,
      bH = B[i + 1]!;
    const lo = Math.imul(aL, bL);
    const q = Math.round(((aL >>> 0) * (bL >>> 0) - (lo >>> 0)) / 4294967296);
    O[i] = lo;
    O[i + 1] = Math.imul(aL, bH) + Math.imul(aH, bL) + q;
  }
  return new BigUint64Array(O.buffer);
}

function naiveMul(a: BigUint64Array, b: BigUint64Array): BigUint64Array {
  const out = new BigUint64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = BigInt.asUintN(64, a[i]! * b[i]!);
  return out;
}

function same(x: BigUint64Array, y: BigUint64Array): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function matmulFigures(size: number) {
  const a = randomRing(size * size);
  const b = randomRing(size * size);
  const naive = time(() => naiveMatmul(a, b, size, size, size));
  const exact = time(() => naiveMatmulExact(a, b, size, size, size), 2);
  const ring = time(() => ringMatmul(a, b, size, size, size));
  const portable = time(() => ringMatmulPortable(a, b, size, size, size));
  if (![ring, portable, exact].every((r) => same(naive.result, r.result))) throw new Error('matmul results differ');
  const { result: _n, ...naiveMs } = naive;
  const { result: _r, ...ringMs } = ring;
  const { result: _p, ...portableMs } = portable;
  const { first, best } = exact;
  return {
    shape: `${size}x${size}x${size}`,
    naiveTruncatedEachStep: naiveMs,
    naiveExactSums: { first, best },
    ringMatmul: ringMs,
    ringMatmulPortable: portableMs,
  };
}

function elementwiseFigures(len: number) {
  const a = randomRing(len);
  const b = randomRing(len);
  const naive = time(() => naiveMul(a, b));
  const fast = time(() => mul(a, b));
  const limb = time(() => limbMul(a, b));
  if (!same(naive.result, fast.result) || !same(naive.result, limb.result)) throw new Error('mul results differ');
  const ms = (f: () => unknown) => {
    const { first, best } = time(f);
    return { first, best };
  };
  return {
    length: len,
    mulNaive: { first: naive.first, best: naive.best },
    mul: { first: fast.first, best: fast.best },
    mulLimbs: { first: limb.first, best: limb.best },
    add: ms(() => add(a, b)),
    sub: ms(() => sub(a, b)),
    shiftRightLogical13: ms(() => shiftRightLogical(a, 13)),
    msb: ms(() => msb(a)),
  };
}

const report = {
  node: process.version,
  matmul: matmulFigures(256),
  elementwise: elementwiseFigures(1_000_000),
};
console.log(JSON.stringify(report, null, 2));
