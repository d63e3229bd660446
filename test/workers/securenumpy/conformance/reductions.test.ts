// Checks SecureNumpy's sum, prod, mean, cumsum and average against NumPy for every axis form, 0-d results and 3-D inputs, in both modes.

import { describe, expect, it } from 'vitest';
import {
  type Case,
  close,
  DEALER,
  input,
  MODES,
  pick,
  prodBound,
  randArr,
  randShape,
  reveal0,
  rng,
  runCases,
  type Snp,
  tolLinear,
  tolProd,
  U,
} from './harness.js';
import * as R from './reference.js';

/** Every axis form for an array of `nd` dimensions. */
const axesOf = (nd: number): R.Axis[] => [
  undefined,
  null,
  ...Array.from({ length: nd }, (_, i) => i),
  ...Array.from({ length: nd }, (_, i) => -1 - i),
];
const label = (ax: R.Axis) => (ax === undefined ? 'no axis' : `axis ${ax}`);

/** mean = sum · (1/n): the sum's rounding averaged (u/2), the reciprocal's rounding, one truncation. */
const tolMean = (x: R.Arr, axis: R.Axis) => R.map(R.sum(x, axis), (s) => (Math.abs(s) * U) / 2 + 2 * U);

/** Values in ±[0.5, 1.5], so products of a few of them stay near 1. */
const nearOne = (r: () => number, shape: number[]) => R.map(randArr(r, shape, 0.5, 1.5), (v) => (r() < 0.3 ? -v : v));

describe.each(MODES)('reductions: sum (%s preprocessing)', (mode) => {
  it('sums over every axis form, exact on the rounded inputs', async () => {
    const r = rng(mode === 'dealer' ? 401 : 402);
    const xs =
      mode === 'dealer'
        ? [randArr(r, [2, 3, 4]), randArr(r, [3, 2]), randArr(r, [5]), randArr(r, []), randArr(r, randShape(r, 1, 3))]
        : [randArr(r, [2, 3])];
    const cases: Case[] = [];
    xs.forEach((x, i) => {
      for (const ax of axesOf(x.shape.length)) {
        const X = (snp: Snp, p: number) => input(snp, p, i % 2, x, 'float64', i % 2 === 1);
        const tol = tolLinear(R.sum(R.onesLike(x), ax));
        cases.push(close(`[${x.shape}].sum(${label(ax)})`, (snp, p) => X(snp, p).sum(ax), R.sum(x, ax), tol));
        if (mode === 'dealer')
          cases.push(
            close(`snp.sum([${x.shape}], ${label(ax)})`, (snp, p) => snp.sum(X(snp, p), ax), R.sum(x, ax), tol),
          );
      }
    });
    await runCases(cases, { preprocessing: mode });
  });
});

describe('reductions: the axis as a NumPy keyword', () => {
  it('sum, mean and cumsum take a trailing { axis } object', async () => {
    const x = randArr(rng(408), [2, 3, 2]);
    const X = (snp: Snp, p: number) => input(snp, p, 0, x, 'float64', true);
    const ones = R.onesLike(x);
    await runCases([
      close('x.sum({ axis: 1 })', (snp, p) => X(snp, p).sum({ axis: 1 }), R.sum(x, 1), tolLinear(R.sum(ones, 1))),
      close(
        'snp.sum(x, { axis: -1 })',
        (snp, p) => snp.sum(X(snp, p), { axis: -1 }),
        R.sum(x, -1),
        tolLinear(R.sum(ones, -1)),
      ),
      close(
        'snp.sum(x, { axis: null })',
        (snp, p) => snp.sum(X(snp, p), { axis: null }),
        R.sum(x, null),
        tolLinear(R.sum(ones, null)),
      ),
      close('snp.mean(x, { axis: 0 })', (snp, p) => snp.mean(X(snp, p), { axis: 0 }), R.mean(x, 0), tolMean(x, 0)),
      close(
        'x.cumsum({ axis: -2 })',
        (snp, p) => X(snp, p).cumsum({ axis: -2 }),
        R.cumsum(x, -2),
        tolLinear(R.cumsum(ones, -2)),
      ),
    ]);
  });
});

describe('reductions: 0-d results and other reductions', () => {
  it('sum without an axis reveals a 0-d NDArray whose toArray() is a plain number', async () => {
    const x = R.fromNested([
      [1.5, 2.25],
      [-3, 4],
    ]);
    const [s, t] = await reveal0((snp, p) => [
      input(snp, p, 0, x).sum().revealTo(0),
      input(snp, p, 1, x).sum(null).revealTo(0),
    ]);
    for (const v of [s!, t!]) {
      expect(v.shape).toEqual([]);
      expect(v.dtype).toBe('float64');
      expect(v.toArray()).toBe(4.75);
    }
  });

  it('mean over every axis form: one product with 1/n', async () => {
    const r = rng(403);
    const xs = [randArr(r, [2, 3, 4]), randArr(r, [3, 2]), randArr(r, [7]), randArr(r, [1, 5])];
    const cases: Case[] = [];
    xs.forEach((x, i) => {
      for (const ax of axesOf(x.shape.length)) {
        const X = (snp: Snp, p: number) => input(snp, p, i % 2, x);
        cases.push(
          close(`[${x.shape}].mean(${label(ax)})`, (snp, p) => X(snp, p).mean(ax), R.mean(x, ax), tolMean(x, ax)),
        );
        if (ax !== undefined)
          cases.push(
            close(
              `snp.mean([${x.shape}], ${label(ax)})`,
              (snp, p) => snp.mean(X(snp, p), ax),
              R.mean(x, ax),
              tolMean(x, ax),
            ),
          );
      }
    });
    await runCases(cases);
  });

  it('cumsum flattens without an axis and runs along negative and positive axes', async () => {
    const r = rng(404);
    const xs = [randArr(r, [2, 3, 4]), randArr(r, [3, 2]), randArr(r, [6]), randArr(r, randShape(r, 1, 3))];
    const cases: Case[] = [];
    xs.forEach((x, i) => {
      for (const ax of axesOf(x.shape.length)) {
        const tol = tolLinear(R.cumsum(R.onesLike(x), ax));
        const X = (snp: Snp, p: number) => input(snp, p, i % 2, x, 'float64', true);
        cases.push(close(`[${x.shape}].cumsum(${label(ax)})`, (snp, p) => X(snp, p).cumsum(ax), R.cumsum(x, ax), tol));
        cases.push(
          close(`snp.cumsum([${x.shape}], ${label(ax)})`, (snp, p) => snp.cumsum(X(snp, p), ax), R.cumsum(x, ax), tol),
        );
      }
    });
    await runCases(cases);
  });
});

describe.each(MODES)('reductions: prod (%s preprocessing)', (mode) => {
  it('prod over every axis form, values near 1, a chain of products', async () => {
    const r = rng(mode === 'dealer' ? 405 : 406);
    const xs =
      mode === 'dealer'
        ? [nearOne(r, [2, 3, 2]), nearOne(r, [3, 4]), nearOne(r, [5]), nearOne(r, [])]
        : [nearOne(r, [2, 2])];
    const cases: Case[] = [];
    xs.forEach((x, i) => {
      for (const ax of mode === 'dealer' ? axesOf(x.shape.length) : [undefined, 0]) {
        const X = (snp: Snp, p: number) => input(snp, p, i % 2, x);
        cases.push(
          close(`[${x.shape}].prod(${label(ax)})`, (snp, p) => X(snp, p).prod(ax), R.prod(x, ax), tolProd(x, ax)),
        );
        if (mode === 'dealer' && ax !== undefined)
          cases.push(
            close(
              `snp.prod([${x.shape}], ${label(ax)})`,
              (snp, p) => snp.prod(X(snp, p), ax),
              R.prod(x, ax),
              tolProd(x, ax),
            ),
          );
      }
    });
    await runCases(cases, { preprocessing: mode });
  });
});

/**
 * average = sum(x·w)/sum(w) with public weights, computed either as products with w then one
 * division by the total, or as products with the normalised weights w/W; the larger bound.
 */
function tolAverage(x: R.Arr, axis: R.Axis, w: R.Arr): R.Arr {
  let wB = w;
  if (w.shape.join() !== x.shape.join()) {
    const ax = R.normAxis(axis as number, x.shape.length);
    wB = R.broadcastTo(
      R.reshape(
        w,
        x.shape.map((d, i) => (i === ax ? d : 1)),
      ),
      x.shape,
    );
  }
  const W = R.sum(wB, axis);
  const Wb =
    axis === null || axis === undefined
      ? W
      : R.reshape(
          W,
          x.shape.map((d, i) => (i === R.normAxis(axis, x.shape.length) ? 1 : d)),
        );
  const perProduct = (c: R.Arr) => R.add(R.mul(R.add(R.abs(x), R.abs(c)), U / 2), 2 * U);
  const viaTotal = R.add(
    R.div(R.sum(perProduct(wB), axis), W),
    R.add(
      R.mul(
        R.add(
          R.abs(R.sum(R.mul(x, wB), axis)),
          R.map(W, (v) => 1 / Math.abs(v)),
        ),
        U / 2,
      ),
      2 * U,
    ),
  );
  const viaNormalised = R.sum(perProduct(R.div(wB, Wb)), axis);
  return R.binary(viaTotal, viaNormalised, Math.max);
}

describe('reductions: average', () => {
  it('average with public weights: 1-D along an axis, or of the full shape', async () => {
    const r = rng(407);
    const cases: Case[] = [];
    for (let i = 0; i < 4; i++) {
      const x = randArr(r, i === 0 ? [6] : randShape(r, 2, 3, 4));
      const nd = x.shape.length;
      const ax = pick(
        r,
        Array.from({ length: 2 * nd }, (_, j) => j - nd),
      );
      const w1 = randArr(r, [x.shape[R.normAxis(ax, nd)]!], 0.1, 3);
      const wFull = randArr(r, x.shape, 0.1, 3);
      const X = (snp: Snp, p: number) => input(snp, p, i % 2, x);
      cases.push(
        close(
          `average [${x.shape}] axis ${ax} 1-D weights`,
          (snp, p) => snp.average(X(snp, p), ax, R.toNested(w1)),
          R.average(x, ax, w1),
          tolAverage(x, ax, w1),
        ),
      );
      cases.push(
        close(
          `average [${x.shape}] all, full weights`,
          (snp, p) => snp.average(X(snp, p), null, R.toNested(wFull)),
          R.average(x, null, wFull),
          tolAverage(x, null, wFull),
        ),
      );
      cases.push(
        close(
          `average [${x.shape}] axis ${ax}, full weights`,
          (snp, p) => snp.average(X(snp, p), ax, R.toNested(wFull)),
          R.average(x, ax, wFull),
          tolAverage(x, ax, wFull),
        ),
      );
      cases.push(
        close(
          `average [${x.shape}] axis ${ax}, no weights`,
          (snp, p) => snp.average(X(snp, p), ax),
          R.mean(x, ax),
          tolMean(x, ax),
        ),
      );
    }
    await runCases(cases, DEALER);
  });
});

describe('reductions: bounds used here', () => {
  it('prodBound covers a chain of exact products', () => {
    expect(prodBound([2])).toBe(U / 2);
    expect(prodBound([1, 1])).toBe(U + 2 * U);
  });
});
