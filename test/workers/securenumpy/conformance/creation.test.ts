// Checks SecureNumpy's creation functions (array zeros ones full empty identity eye arange linspace logspace, fracBits) against NumPy.

import { describe, expect, it } from 'vitest';
import type { NDArray } from '../../../../shared/ndarray.js';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import {
  type Case,
  exact,
  expectClose,
  expectCode,
  expectExact,
  input,
  pick,
  publicNd,
  randArr,
  randInt,
  randShape,
  reveal0,
  rng,
  runCases,
  U,
} from './harness.js';
import * as R from './reference.js';

const HALF_U = U / 2;

describe('creation: constants', () => {
  it('zeros, ones, full, identity and eye match NumPy, default dtype float64', async () => {
    const r = rng(101);
    const cases: Case[] = [];
    const f64 = (label: string, run: Case['run'], want: R.Arr): Case => ({
      label,
      run,
      check: (nd, l) => {
        expectExact(nd, want, 'float64', l);
        expect(nd.data).toBeInstanceOf(Float64Array);
      },
    });
    for (let i = 0; i < 4; i++) {
      const s = randShape(r, 0, 3);
      const v = Math.round(r() * 2000 - 1000) / 8;
      cases.push(f64(`zeros [${s}]`, (snp) => snp.zeros(s), R.zeros(s)));
      cases.push(f64(`ones [${s}]`, (snp) => snp.ones(s), R.ones(s)));
      // NumPy: full takes its dtype from the fill value (a whole number gives int64).
      cases.push(
        exact(`full [${s}] ${v}`, (snp) => snp.full(s, v), R.full(s, v), Number.isInteger(v) ? 'int64' : 'float64'),
      );
    }
    for (let i = 0; i < 6; i++) {
      const N = randInt(r, 1, 4);
      const M = randInt(r, 1, 4);
      const k = randInt(r, -4, 4);
      cases.push(f64(`eye ${N} ${M} ${k}`, (snp) => snp.eye(N, M, k), R.eye(N, M, k)));
    }
    cases.push(f64('eye 3', (snp) => snp.eye(3), R.eye(3)));
    cases.push(f64('eye 2 3', (snp) => snp.eye(2, 3), R.eye(2, 3)));
    cases.push(f64('identity 4', (snp) => snp.identity(4), R.identity(4)));
    await runCases(cases);
  });

  it('empty results: zeros [0,3], eye with no rows or no columns', async () => {
    await runCases([
      exact('zeros [0,3]', (snp) => snp.zeros([0, 3]), R.zeros([0, 3]), 'float64'),
      exact('ones [2,0]', (snp) => snp.ones([2, 0]), R.ones([2, 0]), 'float64'),
      exact('eye 0 2', (snp) => snp.eye(0, 2), R.eye(0, 2), 'float64'),
      exact('eye 2 0', (snp) => snp.eye(2, 0), R.eye(2, 0), 'float64'),
      exact('identity 0', (snp) => snp.identity(0), R.identity(0), 'float64'),
    ]);
  });

  it('a 0-d full reveals as a plain number; full rounds a non-representable value to u/2', async () => {
    const [a, b, c] = await reveal0((snp) => [
      snp.full([], 3).revealTo(0),
      snp.full([2, 2], 0.1).revealTo(0),
      snp.full([1], -1 / 3).revealTo(0),
    ]);
    expect(a!.shape).toEqual([]);
    expect(a!.toArray()).toBe(3);
    expectClose(b, R.full([2, 2], 0.1), HALF_U, 'full 0.1');
    expectClose(c, R.full([1], -1 / 3), HALF_U, 'full -1/3');
  });

  it('dtype and party options: int64 and bool constants, constants made by party 1', async () => {
    const out = await reveal0((snp) => [
      snp.zeros([2, 3], { dtype: 'int64' }).revealTo(0),
      snp.ones([3], { dtype: 'int64' }).revealTo(0),
      snp.full([2], 7, { dtype: 'int64' }).revealTo(0),
      snp.ones([2, 2], { dtype: 'bool' }).revealTo(0),
      snp.zeros([2], { dtype: 'bool' }).revealTo(0),
      snp.ones([2, 2], { party: 1 }).revealTo(0),
      snp.eye(3, 3, 1, { party: 1 }).revealTo(0),
      snp.identity(2, { dtype: 'int64' }).revealTo(0),
      snp.arange(0, 5, 1, { dtype: 'int64' }).revealTo(0),
    ]);
    expectExact(out[0], R.zeros([2, 3]), 'int64', 'zeros int64');
    expect(out[0]!.data).toBeInstanceOf(BigInt64Array);
    expectExact(out[1], R.ones([3]), 'int64', 'ones int64');
    expectExact(out[2], R.full([2], 7), 'int64', 'full int64');
    expectExact(out[3], R.ones([2, 2]), 'bool', 'ones bool');
    expect(out[3]!.data).toBeInstanceOf(Uint8Array);
    expect(out[3]!.toArray()).toEqual([
      [true, true],
      [true, true],
    ]);
    expectExact(out[4], R.zeros([2]), 'bool', 'zeros bool');
    expectExact(out[5], R.ones([2, 2]), 'float64', 'ones by party 1');
    expectExact(out[6], R.eye(3, 3, 1), 'float64', 'eye by party 1');
    expectExact(out[7], R.identity(2), 'int64', 'identity int64');
    expectExact(out[8], R.arange(0, 5, 1), 'int64', 'arange int64');
  });

  it('empty has the requested shape and dtype', async () => {
    const out = await reveal0((snp) => [snp.empty([2, 3]).revealTo(0), snp.empty([4], { dtype: 'int64' }).revealTo(0)]);
    expect(out[0]!.shape).toEqual([2, 3]);
    expect(out[0]!.dtype).toBe('float64');
    expect(out[1]!.shape).toEqual([4]);
    expect(out[1]!.dtype).toBe('int64');
  });

  it('constants have known shapes at both parties at once', async () => {
    const shapes = await runLocal(2, async (snp) => {
      const xs = [
        snp.zeros([2, 3]),
        snp.ones([4]),
        snp.full([], 1),
        snp.eye(2, 5),
        snp.arange(5),
        snp.linspace(0, 1, 7),
        snp.logspace(0, 1, 3),
      ];
      return xs.map((x) => [x.shape, x.ndim, x.size, x.dtype]);
    });
    const want = [
      [[2, 3], 2, 6, 'float64'],
      [[4], 1, 4, 'float64'],
      [[], 0, 1, 'int64'], // NumPy: full takes the fill value's dtype
      [[2, 5], 2, 10, 'float64'],
      [[5], 1, 5, 'int64'], // NumPy: arange of whole numbers is int64
      [[7], 1, 7, 'float64'],
      [[3], 1, 3, 'float64'],
    ];
    expect(shapes[0]).toEqual(want);
    expect(shapes[1]).toEqual(want);
  });
});

describe('creation: ranges', () => {
  it('arange with one, two and three arguments, including empty and negative steps', async () => {
    const r = rng(102);
    const args: [number, number?, number?][] = [
      [5],
      [0],
      [2.5],
      [-3],
      [2, 7],
      [7, 2],
      [3, 3],
      [-2, 2, 0.5],
      [5, 1, -2],
      [1, 2, 0.3],
      [0, 1, 0.1],
      [10, -10, -3],
    ];
    for (let i = 0; i < 8; i++) {
      const start = Math.round((r() * 40 - 20) * 4) / 4;
      const stop = Math.round((r() * 40 - 20) * 4) / 4;
      const step = pick(r, [0.25, 0.5, 1, 1.5, 3, -0.5, -1, -2.75]);
      args.push([start, stop, step]);
    }
    const out = await reveal0((snp) =>
      args.map((a) =>
        (a.length === 1
          ? snp.arange(a[0])
          : a.length === 2
            ? snp.arange(a[0], a[1]!)
            : snp.arange(a[0], a[1]!, a[2]!)
        ).revealTo(0),
      ),
    );
    out.forEach((nd, i) => expectClose(nd, R.arange(...args[i]!), HALF_U, `arange(${args[i]!.join(', ')})`));
  });

  it('linspace and logspace with num, endpoint and base', async () => {
    const r = rng(103);
    const lin: [number, number, number?, boolean?][] = [
      [0, 1],
      [0, 1, 5],
      [0, 1, 4, false],
      [2, 3, 1],
      [2, 3, 0],
      [5, 5, 3],
      [1, -1, 3],
      [-10, 10, 7, false],
    ];
    for (let i = 0; i < 6; i++) lin.push([r() * 200 - 100, r() * 200 - 100, randInt(r, 0, 9), r() < 0.5]);
    const log: [number, number, number?, boolean?, number?][] = [
      [0, 2, 3],
      [0, 3, 3, false, 2],
      [-1, 1],
      [0, 1, 5, true, 10],
      [1, -2, 4],
    ];
    for (let i = 0; i < 4; i++)
      log.push([r() * 4 - 2, r() * 4 - 2, randInt(r, 0, 6), r() < 0.5, pick(r, [2, 10, Math.E])]);
    const out = await reveal0((snp) => [
      ...lin.map((a) =>
        (a.length === 2
          ? snp.linspace(a[0], a[1])
          : a.length === 3
            ? snp.linspace(a[0], a[1], a[2])
            : snp.linspace(a[0], a[1], a[2], a[3])
        ).revealTo(0),
      ),
      ...log.map((a) =>
        (a.length === 2
          ? snp.logspace(a[0], a[1])
          : a.length === 3
            ? snp.logspace(a[0], a[1], a[2])
            : a.length === 4
              ? snp.logspace(a[0], a[1], a[2], a[3])
              : snp.logspace(a[0], a[1], a[2], a[3], a[4])
        ).revealTo(0),
      ),
    ]);
    lin.forEach((a, i) => expectClose(out[i], R.linspace(...a), HALF_U, `linspace(${a.join(', ')})`));
    log.forEach((a, i) => expectClose(out[lin.length + i], R.logspace(...a), HALF_U, `logspace(${a.join(', ')})`));
  });
});

describe('creation: secret inputs', () => {
  it('array takes nested arrays, numbers and NDArrays; with and without a shape hint', async () => {
    const r = rng(104);
    const xs = Array.from({ length: 8 }, () => randArr(r, randShape(r, 0, 3)));
    const out = await reveal0((snp, party) => {
      const results = xs.map((x, i) => input(snp, party, i % 2, x, 'float64', i % 3 === 0).revealTo(0));
      const nd = snp.array(party === 1 ? publicNd(xs[0]!) : null, 1);
      const scalar = snp.array(party === 0 ? 12.5 : null, 0);
      return [...results, nd.revealTo(0), scalar.revealTo(0)];
    });
    xs.forEach((x, i) => expectClose(out[i], x, HALF_U, `input ${i} [${x.shape}]`));
    expectClose(out[xs.length], xs[0]!, HALF_U, 'NDArray input');
    expect(out[xs.length + 1]!.toArray()).toBe(12.5);
  });

  it('int64 and bool inputs are exact', async () => {
    const r = rng(105);
    const ints = [
      R.fromNested([
        [1, -2, 3],
        [40000, -99999, 0],
      ]),
      R.fromNested(7),
      { shape: [5], data: Array.from({ length: 5 }, () => randInt(r, -1e9, 1e9)) },
    ];
    const bools = [
      R.fromNested([
        [1, 0],
        [0, 1],
      ]),
      R.fromNested(1),
      R.fromNested([0, 0, 1]),
    ];
    const out = await reveal0((snp, party) => [
      ...ints.map((x, i) => input(snp, party, i % 2, x, 'int64').revealTo(0)),
      ...bools.map((x, i) => input(snp, party, 1 - (i % 2), x, 'bool', true).revealTo(0)),
    ]);
    ints.forEach((x, i) => expectExact(out[i], x, 'int64', `int64 input ${i}`));
    bools.forEach((x, i) => expectExact(out[ints.length + i], x, 'bool', `bool input ${i}`));
    expect(out[1]!.toArray()).toBe(7);
    expect(out[ints.length + 1]!.toArray()).toBe(true);
  });
});

describe('creation: the fracBits option', () => {
  it('with f = 12, inputs round to multiples of 2^-12 and the range is |x| < 2^(31-12)', async () => {
    const f = 12;
    const xs = [0.1, -1 / 3, 100000, -524287.5];
    const [r0] = await runLocal(
      2,
      (snp, party) => {
        if (party === 0) expectCode(() => snp.array([524288], 0), 'ERR_OUT_OF_RANGE');
        else snp.array(null, 0);
        return snp.array(party === 1 ? xs : null, 1).revealTo(0);
      },
      { preprocessing: 'dealer', fracBits: f },
    );
    const got = (r0 as NDArray).toArray() as number[];
    expect(got).toEqual(xs.map((v) => Math.round(v * 2 ** f) / 2 ** f));
  });
});
