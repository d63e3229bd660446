// Candidate (a) of `npm run bench:ring`: Z_2^128 kernels in plain BigInt (each element joined into
// one bigint, the result cut with BigInt.asUintN(128, …) and split again). Every step allocates;
// it is also the reference the other candidates are checked against.

const join = (w: BigUint64Array, i: number) => w[2 * i]! | (w[2 * i + 1]! << 64n);

function put(out: BigUint64Array, i: number, v: bigint): void {
  out[2 * i] = v; // the store keeps the low 64 bits
  out[2 * i + 1] = v >> 64n;
}

function zip(a: BigUint64Array, b: BigUint64Array, f: (x: bigint, y: bigint) => bigint): BigUint64Array {
  const out = new BigUint64Array(a.length);
  for (let i = 0; i < a.length / 2; i++) put(out, i, BigInt.asUintN(128, f(join(a, i), join(b, i))));
  return out;
}

export const bigAdd = (a: BigUint64Array, b: BigUint64Array) => zip(a, b, (x, y) => x + y);
export const bigSub = (a: BigUint64Array, b: BigUint64Array) => zip(a, b, (x, y) => x - y);
export const bigMul = (a: BigUint64Array, b: BigUint64Array) => zip(a, b, (x, y) => x * y);

/** Arithmetic shift right by `bits` of each element read as a signed 128-bit value. */
export function bigShiftRightArithmetic(a: BigUint64Array, bits: number): BigUint64Array {
  const out = new BigUint64Array(a.length);
  const s = BigInt(bits);
  for (let i = 0; i < a.length / 2; i++) put(out, i, BigInt.asUintN(128, BigInt.asIntN(128, join(a, i)) >> s));
  return out;
}

/** Fixed point with f fractional bits, rounded half up as Math.round (no range check). */
export function bigEncodeFixed(x: Float64Array, f: number): BigUint64Array {
  const out = new BigUint64Array(2 * x.length);
  const scale = 2 ** f;
  for (let i = 0; i < x.length; i++) put(out, i, BigInt.asUintN(128, BigInt(Math.round(x[i]! * scale))));
  return out;
}

export function bigDecodeFixed(a: BigUint64Array, f: number): Float64Array {
  const out = new Float64Array(a.length / 2);
  const scale = 2 ** -f;
  for (let i = 0; i < out.length; i++) out[i] = Number(BigInt.asIntN(128, join(a, i))) * scale;
  return out;
}

/** The textbook triple loop over joined bigints, reduced once per entry. */
export function bigMatmul(a: BigUint64Array, b: BigUint64Array, m: number, k: number, n: number): BigUint64Array {
  const A = Array.from({ length: m * k }, (_, i) => join(a, i));
  const B = Array.from({ length: k * n }, (_, i) => join(b, i));
  const out = new BigUint64Array(2 * m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0n;
      for (let p = 0; p < k; p++) acc += A[i * k + p]! * B[p * n + j]!;
      put(out, i * n + j, BigInt.asUintN(128, acc));
    }
  }
  return out;
}
