// Checks SecureNumpy's comparisons (lt le gt ge eq ne), where, relu, abs, sign, maximum, minimum
// and clip against the NumPy reference: secret and public operands, broadcasting, promotion,
// ties, zero, negatives and the edges of the float64 input range; all exact (comparisons look at
// the encoded values, so inputs are multiples of the fixed-point unit).

import { describe, it } from 'vitest';
import {
  type Case,
  dealerIn,
  exact,
  input,
  type Mode,
  partnerShape,
  pick,
  publicNd,
  RINGS,
  type Rng,
  randInt,
  randShape,
  rng,
  runCases,
  type SA,
  type Snp,
  U,
} from './harness.js';
import * as R from './reference.js';

const EDGE = 32768 - U; // the largest float64 input at f = 16
/** Values with many ties: small whole numbers, halves, zero, the unit and the range's edges. */
const POOL = [0, 1, -1, 2, -2, 0.5, -0.5, U, -U, 3.25, -3.25, 100, -100, EDGE, -EDGE, EDGE - U, -(EDGE - U)];
const randVals = (r: Rng, shape: readonly number[]): R.Arr => ({
  shape: [...shape],
  data: Array.from({ length: R.sizeOf(shape) }, () =>
    r() < 0.7 ? pick(r, POOL) : Math.round(((r() - 0.5) * 2e4) / U) * U,
  ),
});
const randWhole = (r: Rng, shape: readonly number[], big: number): R.Arr => ({
  shape: [...shape],
  data: Array.from({ length: R.sizeOf(shape) }, () =>
    r() < 0.5 ? randInt(r, -3, 3) : pick(r, [big, -big, big - 1, -(big - 1), 0]),
  ),
});

type Op = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';
const OPS: Op[] = ['lt', 'le', 'gt', 'ge', 'eq', 'ne'];
const REF: Record<Op, (a: R.Operand, b: R.Operand) => R.Arr> = {
  lt: R.less,
  le: R.lessEqual,
  gt: R.greater,
  ge: R.greaterEqual,
  eq: R.equal,
  ne: R.notEqual,
};
const method = (x: SA, op: Op, y: unknown): SA => x[op](y);

function pairs(seed: number, n: number): [R.Arr, R.Arr][] {
  const r = rng(seed);
  const out: [R.Arr, R.Arr][] = [
    [randVals(r, [5, 1]), randVals(r, [1, 4])],
    [randVals(r, []), randVals(r, [2, 3])],
    [
      { shape: [POOL.length], data: POOL },
      { shape: [POOL.length], data: [...POOL].reverse() },
    ],
    [
      { shape: [POOL.length], data: POOL },
      { shape: [POOL.length], data: POOL },
    ], // all equal
  ];
  while (out.length < n) {
    const s = randShape(r, 0, 3);
    out.push([randVals(r, s), randVals(r, partnerShape(r, s))]);
  }
  return out;
}

describe.each(RINGS)('comparisons, ring %i (dealer)', (ring) => {
  it('of two float64 secrets, broadcast, with ties, zero, negatives and the edges of the range', async () => {
    const cases: Case[] = [];
    pairs(901, 7).forEach(([a, b], i) => {
      for (const op of OPS) {
        cases.push(
          exact(
            `${op} [${a.shape}] [${b.shape}] #${i}`,
            (snp, p) => method(input(snp, p, 0, a, 'float64', true), op, input(snp, p, 1, b, 'float64', i % 2 === 0)),
            REF[op](a, b),
            'bool',
          ),
        );
      }
    });
    await runCases(cases, dealerIn(ring));
  });

  it('with public operands on either side (numbers, nested arrays, NDArrays), via methods and snp functions', async () => {
    const r = rng(902);
    const cases: Case[] = [];
    for (let i = 0; i < 4; i++) {
      const s = randShape(r, 1, 2);
      const a = randVals(r, s);
      const b = randVals(r, partnerShape(r, s));
      for (const op of OPS) {
        const A = (snp: Snp, p: number) => input(snp, p, i % 2, a, 'float64', true);
        cases.push(
          exact(
            `${op} secret, public NDArray #${i}`,
            (snp, p) => method(A(snp, p), op, publicNd(b)),
            REF[op](a, b),
            'bool',
          ),
        );
        cases.push(
          exact(
            `snp.${op} public nested, secret #${i}`,
            (snp, p) => snp[op](R.toNested(b), A(snp, p)),
            REF[op](b, a),
            'bool',
          ),
        );
        cases.push(exact(`${op} secret, scalar 0 #${i}`, (snp, p) => method(A(snp, p), op, 0), REF[op](a, 0), 'bool'));
        cases.push(
          exact(`${op} secret, scalar -0.5 #${i}`, (snp, p) => method(A(snp, p), op, -0.5), REF[op](a, -0.5), 'bool'),
        );
      }
    }
    await runCases(cases, dealerIn(ring));
  });

  it('of int64 (up to ±(2^53 − 1)), int64 with float64 (promoted), and bools', async () => {
    const r = rng(903);
    const big = Number.MAX_SAFE_INTEGER;
    const cases: Case[] = [];
    const a = randWhole(r, [4, 3], big);
    const b = randWhole(r, [3], big);
    const f = randVals(r, [4, 1]).data.map((v) => Math.max(-1000, Math.min(1000, v)));
    const fa = { shape: [4, 1], data: f };
    const small = randWhole(r, [4, 3], 3);
    const ba = { shape: [4, 3], data: a.data.map(() => randInt(r, 0, 1)) };
    const bb = { shape: [3], data: [0, 1, 1] };
    for (const op of OPS) {
      cases.push(
        exact(
          `${op} int64 secrets`,
          (snp, p) => method(input(snp, p, 0, a, 'int64'), op, input(snp, p, 1, b, 'int64')),
          REF[op](a, b),
          'bool',
        ),
      );
      cases.push(
        exact(
          `${op} int64 secret, float64 secret`,
          (snp, p) => method(input(snp, p, 0, small, 'int64'), op, input(snp, p, 1, fa)),
          REF[op](small, fa),
          'bool',
        ),
      );
      cases.push(
        exact(
          `${op} int64 secret, public 1.5`,
          (snp, p) => method(input(snp, p, 1, small, 'int64'), op, 1.5),
          REF[op](small, 1.5),
          'bool',
        ),
      );
      cases.push(
        exact(
          `${op} bool secrets`,
          (snp, p) => method(input(snp, p, 0, ba, 'bool'), op, input(snp, p, 1, bb, 'bool')),
          REF[op](ba, bb),
          'bool',
        ),
      );
      cases.push(
        exact(
          `${op} bool secret, public bools`,
          (snp, p) => method(input(snp, p, 0, ba, 'bool'), op, [false, true, true]),
          REF[op](ba, bb),
          'bool',
        ),
      );
      cases.push(
        exact(
          `${op} bool secret, int64 secret`,
          (snp, p) => method(input(snp, p, 0, ba, 'bool'), op, input(snp, p, 1, small, 'int64')),
          REF[op](ba, small),
          'bool',
        ),
      );
    }
    await runCases(cases, dealerIn(ring));
  });
});

/** where and the functions built on comparisons, checked against the reference. */
function selectCases(seed: number): Case[] {
  const r = rng(seed);
  const s = [3, 4];
  const x = randVals(r, s);
  const y = randVals(r, [4]);
  const c = { shape: [3, 1], data: [1, 0, 1] };
  const ints = randWhole(r, s, 1000);
  const X = (snp: Snp, p: number) => input(snp, p, 0, x);
  const Y = (snp: Snp, p: number) => input(snp, p, 1, y);
  const C = (snp: Snp, p: number) => input(snp, p, 1, c, 'bool');
  const I = (snp: Snp, p: number) => input(snp, p, 1, ints, 'int64');
  const lo = { shape: [4], data: [-100, 0, -EDGE, 1] };
  const hi = { shape: [4], data: [100, 0.5, 0, 2] };
  return [
    exact(
      'where secret cond, secrets, broadcast',
      (snp, p) => snp.where(C(snp, p), X(snp, p), Y(snp, p)),
      R.where(c, x, y),
      'float64',
    ),
    exact(
      'where secret cond from a comparison',
      (snp, p) => snp.where(X(snp, p).gt(Y(snp, p)), X(snp, p), Y(snp, p)),
      R.maximum(x, y),
      'float64',
    ),
    exact(
      'where secret cond, public a and b',
      (snp, p) => snp.where(C(snp, p), 2.5, publicNd(y)),
      R.where(c, 2.5, y),
      'float64',
    ),
    exact(
      'where secret cond, int64 secret and float64 public (promoted)',
      (snp, p) => snp.where(C(snp, p), I(snp, p), -0.25),
      R.where(c, ints, -0.25),
      'float64',
    ),
    exact(
      'where secret cond, int64 both',
      (snp, p) => snp.where(C(snp, p), I(snp, p), 7),
      R.where(c, ints, 7),
      'int64',
    ),
    exact(
      'where public cond, secrets',
      (snp, p) => snp.where([true, false, false, true], X(snp, p), Y(snp, p)),
      R.where([1, 0, 0, 1], x, y),
      'float64',
    ),
    exact(
      'where public cond, secret and public',
      (snp, p) => snp.where([[false], [true], [false]], 9, X(snp, p)),
      R.where([[0], [1], [0]], 9, x),
      'float64',
    ),
    exact(
      'where on bools',
      (snp, p) => snp.where(C(snp, p), X(snp, p).lt(0), true),
      R.where(c, R.less(x, 0), 1),
      'bool',
    ),
    exact('relu', (snp, p) => snp.relu(X(snp, p)), R.relu(x), 'float64'),
    exact('relu int64', (snp, p) => snp.relu(I(snp, p)), R.relu(ints), 'int64'),
    exact('abs', (snp, p) => snp.abs(X(snp, p)), R.abs(x), 'float64'),
    exact('abs int64', (snp, p) => snp.abs(I(snp, p)), R.abs(ints), 'int64'),
    exact('sign', (snp, p) => snp.sign(X(snp, p)), R.sign(x), 'float64'),
    exact('sign int64', (snp, p) => snp.sign(I(snp, p)), R.sign(ints), 'int64'),
    exact('maximum secrets, broadcast', (snp, p) => snp.maximum(X(snp, p), Y(snp, p)), R.maximum(x, y), 'float64'),
    exact('minimum secrets, broadcast', (snp, p) => snp.minimum(X(snp, p), Y(snp, p)), R.minimum(x, y), 'float64'),
    exact('maximum public first', (snp, p) => snp.maximum(0.5, X(snp, p)), R.maximum(0.5, x), 'float64'),
    exact('minimum int64 with float64', (snp, p) => snp.minimum(I(snp, p), Y(snp, p)), R.minimum(ints, y), 'float64'),
    exact('clip public scalars', (snp, p) => snp.clip(X(snp, p), -1, 3.25), R.clip(x, -1, 3.25), 'float64'),
    exact(
      'clip public arrays',
      (snp, p) => snp.clip(X(snp, p), R.toNested(lo), publicNd(hi)),
      R.clip(x, lo, hi),
      'float64',
    ),
    exact('clip lo > hi (NumPy gives hi)', (snp, p) => snp.clip(X(snp, p), 5, -5), R.clip(x, 5, -5), 'float64'),
    exact(
      'clip secret bounds',
      (snp, p) => snp.clip(X(snp, p), Y(snp, p).neg(), Y(snp, p)),
      R.clip(x, R.neg(y), y),
      'float64',
    ),
    exact('clip hi only', (snp, p) => snp.clip(X(snp, p), null, 0), R.clip(x, null, 0), 'float64'),
  ];
}

describe.each(RINGS)('where and the functions built on comparisons, ring %i', (ring) => {
  it('match NumPy in dealer mode', async () => {
    await runCases(selectCases(904), dealerIn(ring));
  });
});

describe('where and the functions built on comparisons, dealer-free', () => {
  it.each(['dealer-free'] as Mode[])(
    'match NumPy in %s mode (a few cases)',
    async (mode) => {
      const all = selectCases(905);
      const picks = [
        'where secret cond, secrets, broadcast',
        'where secret cond from a comparison',
        'sign',
        'clip public scalars',
      ];
      await runCases(
        all.filter((c) => picks.includes(c.label)),
        { preprocessing: mode },
      );
    },
    30_000,
  );
});

describe('ring 128 (dealer): values beyond the 64-bit ring', () => {
  // ±1.4·10^14 is near the wide ring's input bound 2^47 at f = 16; the difference of two such
  // values is about 2^64.0 ring units, past what the 64-bit ring's sign test covers.
  const big = 140_000_000_000_000.5;
  const a = { shape: [7], data: [5_000_000, -5_000_000, big, -big, 123_456_789_012.25, 0, 99_999_999_999_999] };
  const b = { shape: [7], data: [4_999_999.5, -4_999_999.5, -big, big, 123_456_789_012.25, -big, 1e14] };
  const A = (snp: Snp, p: number) => input(snp, p, 0, a, 'float64', true);
  const B = (snp: Snp, p: number) => input(snp, p, 1, b, 'float64', true);

  it('compares, selects and clips 5,000,000 against 4,999,999.5 and values near ±1.4·10^14', async () => {
    const cases: Case[] = OPS.map((op) =>
      exact(`${op}`, (snp, p) => method(A(snp, p), op, B(snp, p)), REF[op](a, b), 'bool'),
    );
    cases.push(
      exact('lt public 5e6', (snp, p) => A(snp, p).lt(5_000_000), R.less(a, 5_000_000), 'bool'),
      exact('where', (snp, p) => snp.where(A(snp, p).ge(B(snp, p)), A(snp, p), B(snp, p)), R.maximum(a, b), 'float64'),
      exact('maximum', (snp, p) => snp.maximum(A(snp, p), B(snp, p)), R.maximum(a, b), 'float64'),
      exact('minimum', (snp, p) => snp.minimum(A(snp, p), B(snp, p)), R.minimum(a, b), 'float64'),
      exact('abs', (snp, p) => snp.abs(B(snp, p)), R.abs(b), 'float64'),
      exact('sign', (snp, p) => snp.sign(B(snp, p)), R.sign(b), 'float64'),
      exact('relu', (snp, p) => snp.relu(A(snp, p)), R.relu(a), 'float64'),
      exact('clip', (snp, p) => snp.clip(A(snp, p), -1e13, 5_000_000), R.clip(a, -1e13, 5_000_000), 'float64'),
    );
    await runCases(cases, dealerIn(128));
  });
});
