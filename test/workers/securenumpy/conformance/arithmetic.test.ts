// Checks SecureNumpy's element-wise arithmetic (add sub mul div neg square power) against NumPy, secret and public operands, all broadcasting patterns.

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import {
  type Case,
  close,
  DEALER,
  input,
  MODES,
  partnerShape,
  pick,
  prodBound,
  publicNd,
  randArr,
  randInt,
  randInts,
  randShape,
  reveal0,
  rng,
  runCases,
  type Snp,
  tolBilinear,
  tolLinear,
  U,
} from './harness.js';
import * as R from './reference.js';

const ones = R.onesLike;
/** Tolerance of a sum of two rounded operands (one term each): u. */
const tolSum = (a: R.Arr, b: R.Arr) => tolLinear(R.add(ones(a), ones(b)));

/** Random broadcasting pairs, with the hand-picked patterns NumPy users rely on. */
function pairs(seed: number, n: number): [R.Arr, R.Arr][] {
  const r = rng(seed);
  const fixed: [number[], number[]][] = [
    [
      [3, 1],
      [1, 4],
    ],
    [[], [2, 3]],
    [
      [2, 1, 3],
      [4, 1],
    ],
    [[1], [5]],
    [
      [2, 3, 4],
      [2, 3, 4],
    ],
    [[4], []],
  ];
  const shapes: [number[], number[]][] = [...fixed];
  while (shapes.length < n) {
    const s = randShape(r, 0, 3);
    shapes.push(r() < 0.5 ? [s, partnerShape(r, s)] : [partnerShape(r, s), s]);
  }
  return shapes.map(([s, t]) => [randArr(r, s), randArr(r, t)]);
}

describe('arithmetic: secret with secret, broadcasting', () => {
  it('add, sub and neg are exact on the rounded inputs', async () => {
    const cases: Case[] = [];
    pairs(201, 14).forEach(([a, b], i) => {
      const lab = `[${a.shape}] ? [${b.shape}]`;
      const A = (snp: Snp, p: number) => input(snp, p, 0, a, 'float64', i % 2 === 0);
      const B = (snp: Snp, p: number) => input(snp, p, 1, b, 'float64', i % 3 === 0);
      cases.push(close(`add ${lab}`, (snp, p) => A(snp, p).add(B(snp, p)), R.add(a, b), tolSum(a, b)));
      cases.push(close(`sub ${lab}`, (snp, p) => A(snp, p).sub(B(snp, p)), R.sub(a, b), tolSum(a, b)));
      cases.push(close(`neg [${a.shape}]`, (snp, p) => A(snp, p).neg(), R.neg(a), tolLinear(ones(a))));
      cases.push(
        close(`snp.subtract ${lab}`, (snp, p) => snp.subtract(B(snp, p), A(snp, p)), R.sub(b, a), tolSum(a, b)),
      );
      cases.push(close(`snp.negative [${b.shape}]`, (snp, p) => snp.negative(B(snp, p)), R.neg(b), tolLinear(ones(b))));
      cases.push(close(`snp.add ${lab}`, (snp, p) => snp.add(A(snp, p), B(snp, p)), R.add(a, b), tolSum(a, b)));
    });
    await runCases(cases);
  });

  it('the contract example: x*y + 1 revealed to party 0 only', async () => {
    const [r0] = await reveal0((snp, party) => {
      const x = snp.array(
        party === 0
          ? [
              [1, 2],
              [3, 4],
            ]
          : null,
        0,
      );
      const y = snp.array(
        party === 1
          ? [
              [5, 6],
              [7, 8],
            ]
          : null,
        1,
      );
      return [x.mul(y).add(1).revealTo(0)];
    });
    const got = r0!.toArray() as number[][];
    const want = [
      [6, 13],
      [22, 33],
    ];
    got.flat().forEach((v, i) => expect(Math.abs(v - want.flat()[i]!)).toBeLessThanOrEqual(2 * U));
    expect(r0!.shape).toEqual([2, 2]);
  });
});

describe('arithmetic: who learns the result', () => {
  it('revealTo(1) gives party 1 the NDArray and party 0 null', async () => {
    const [r0, r1] = await runLocal(
      2,
      (snp: Snp, party: number) => {
        const x = snp.array(party === 0 ? [1.5, -2] : null, 0);
        const y = snp.array(party === 1 ? [2, 4] : null, 1);
        return x.add(y).revealTo(1);
      },
      DEALER,
    );
    expect(r0).toBeNull();
    expect((r1 as { toArray(): unknown }).toArray()).toEqual([3.5, 2]);
  });
});

describe.each(MODES)('arithmetic: products (%s preprocessing)', (mode) => {
  const n = mode === 'dealer' ? 12 : 3; // dealer-free makes its triples by OT: keep it tiny
  it('mul of two secrets, broadcast, within one truncation', async () => {
    const cases: Case[] = [];
    pairs(mode === 'dealer' ? 202 : 203, n).forEach(([a, b], i) => {
      const lab = `[${a.shape}] * [${b.shape}]`;
      cases.push(
        close(
          `mul ${lab}`,
          (snp, p) => input(snp, p, 0, a, 'float64', i % 2 === 0).mul(input(snp, p, 1, b)),
          R.mul(a, b),
          tolBilinear(R.mul, a, b),
        ),
      );
      if (mode === 'dealer') {
        cases.push(
          close(
            `snp.multiply ${lab}`,
            (snp, p) => snp.multiply(input(snp, p, 1, b, 'float64', true), input(snp, p, 0, a)),
            R.mul(b, a),
            tolBilinear(R.mul, b, a),
          ),
        );
      }
    });
    await runCases(cases, { preprocessing: mode });
  });
});

describe('arithmetic: larger arrays', () => {
  it('20,000 products across several independent operations stay within tolerance', async () => {
    const r = rng(211);
    const a = randArr(r, [100, 100]);
    const b = randArr(r, [100, 100]);
    const c = randArr(r, [100, 100]);
    await runCases([
      close(
        'mul [100,100]',
        (snp, p) => input(snp, p, 0, a).mul(input(snp, p, 1, b)),
        R.mul(a, b),
        tolBilinear(R.mul, a, b),
      ),
      close(
        'mul [100,100] then add',
        (snp, p) =>
          input(snp, p, 1, c)
            .mul(input(snp, p, 0, a))
            .add(input(snp, p, 1, b)),
        R.add(R.mul(c, a), b),
        R.add(tolBilinear(R.mul, c, a), U / 2),
      ),
    ]);
  });
});

describe('arithmetic: secret with public', () => {
  it('add and sub with public numbers, nested arrays and NDArrays, on either side', async () => {
    const r = rng(204);
    const cases: Case[] = [];
    pairs(205, 10).forEach(([a, b], i) => {
      const c = r() * 200 - 100;
      const lab = `[${a.shape}] ? public [${b.shape}]`;
      const A = (snp: Snp, p: number) => input(snp, p, i % 2, a, 'float64', i % 2 === 0);
      cases.push(close(`add nested ${lab}`, (snp, p) => A(snp, p).add(R.toNested(b)), R.add(a, b), tolSum(a, b)));
      cases.push(close(`sub NDArray ${lab}`, (snp, p) => A(snp, p).sub(publicNd(b)), R.sub(a, b), tolSum(a, b)));
      cases.push(close(`add number ${c}`, (snp, p) => A(snp, p).add(c), R.add(a, c), tolSum(a, R.scalar(c))));
      cases.push(
        close(
          `snp.subtract(public, secret) ${lab}`,
          (snp, p) => snp.subtract(R.toNested(b), A(snp, p)),
          R.sub(b, a),
          tolSum(a, b),
        ),
      );
      cases.push(
        close(`snp.add(number, secret)`, (snp, p) => snp.add(c, A(snp, p)), R.add(c, a), tolSum(a, R.scalar(c))),
      );
    });
    await runCases(cases);
  });

  it('mul by a public integer is exact on the rounded input; by a public fraction, one truncation', async () => {
    const r = rng(206);
    const cases: Case[] = [];
    pairs(207, 10).forEach(([a, b], i) => {
      const k = randInt(r, -7, 7);
      const ints = randInts(r, b.shape, -5, 5);
      const lab = `[${a.shape}] * public [${b.shape}]`;
      const A = (snp: Snp, p: number) => input(snp, p, i % 2, a, 'float64', i % 3 === 0);
      cases.push(
        close(`mul by ${k}`, (snp, p) => A(snp, p).mul(k), R.mul(a, k), tolLinear(R.mul(ones(a), Math.abs(k)))),
      );
      cases.push(
        close(
          `mul by integer array ${lab}`,
          (snp, p) => A(snp, p).mul(R.toNested(ints)),
          R.mul(a, ints),
          tolLinear(R.mul(ones(a), R.abs(ints))),
        ),
      );
      cases.push(
        close(`mul by NDArray ${lab}`, (snp, p) => A(snp, p).mul(publicNd(b)), R.mul(a, b), tolBilinear(R.mul, a, b)),
      );
      cases.push(
        close(
          `snp.multiply(nested, secret) ${lab}`,
          (snp, p) => snp.multiply(R.toNested(b), A(snp, p)),
          R.mul(b, a),
          tolBilinear(R.mul, b, a),
        ),
      );
      const c = r() * 4 - 2;
      cases.push(close(`mul by ${c}`, (snp, p) => A(snp, p).mul(c), R.mul(a, c), tolBilinear(R.mul, a, R.scalar(c))));
    });
    // Public operands of higher rank than the secret widen the result.
    const x = randArr(r, [3]);
    cases.push(close('[3] + public [2,1]', (snp, p) => input(snp, p, 0, x).add([[1], [2]]), R.add(x, [[1], [2]]), U));
    cases.push(
      close(
        '[3] * public [2,1,1]',
        (snp, p) => input(snp, p, 0, x).mul([[[2]], [[-3]]]),
        R.mul(x, [[[2]], [[-3]]]),
        tolLinear(R.abs(R.mul(ones(x), [[[2]], [[-3]]]))),
      ),
    );
    await runCases(cases);
  });

  it('div by a public number or array is one product with the reciprocal', async () => {
    const r = rng(208);
    const cases: Case[] = [];
    pairs(209, 10).forEach(([a, b0], i) => {
      const b = R.map(b0, (v) => (Math.abs(v) < 0.5 ? 0.5 + Math.abs(v) : v)); // keep divisors away from 0
      const d = pick(r, [2, 3, -4, 7, 0.5, -0.25, 10, 1.7, 100, -33.3]);
      const A = (snp: Snp, p: number) => input(snp, p, i % 2, a, 'float64', true);
      cases.push(
        close(`[${a.shape}] / ${d}`, (snp, p) => A(snp, p).div(d), R.div(a, d), tolBilinear(R.mul, a, R.scalar(1 / d))),
      );
      cases.push(
        close(
          `[${a.shape}] / public [${b.shape}]`,
          (snp, p) => A(snp, p).div(R.toNested(b)),
          R.div(a, b),
          tolBilinear(
            R.mul,
            a,
            R.map(b, (v) => 1 / v),
          ),
        ),
      );
      cases.push(
        close(
          `snp.divide [${a.shape}] / NDArray`,
          (snp, p) => snp.divide(A(snp, p), publicNd(b)),
          R.div(a, b),
          tolBilinear(
            R.mul,
            a,
            R.map(b, (v) => 1 / v),
          ),
        ),
      );
    });
    await runCases(cases);
  });
});

describe('arithmetic: square and power', () => {
  it('square is one product; power(x, k) a chain of k − 1 products', async () => {
    const r = rng(210);
    const cases: Case[] = [];
    for (let i = 0; i < 5; i++) {
      const s = randShape(r, 0, 3);
      const x = randArr(r, s);
      const small = randArr(r, s, -10, 10);
      cases.push(
        close(`square [${s}]`, (snp, p) => snp.square(input(snp, p, i % 2, x)), R.square(x), tolBilinear(R.mul, x, x)),
      );
      for (const k of [0, 1, 2, 3]) {
        const tol = k === 0 ? R.zeros(s) : R.map(small, (v) => prodBound(new Array<number>(k).fill(v)));
        cases.push(
          close(
            `power [${s}] ^ ${k}`,
            (snp, p) => snp.power(input(snp, p, 1 - (i % 2), small, 'float64', true), k),
            R.power(small, k),
            tol,
          ),
        );
      }
    }
    await runCases(cases, DEALER);
  });
});
