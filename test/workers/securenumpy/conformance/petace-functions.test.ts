// PETAce SecureNumpy's test_array_manipulation, test_linalg, test_math, test_sort and
// test_statistic programs (tiktok-privacy-innovation/PETAce, python/petace/tests/securenumpy/),
// and its quick_sort/quick_sort_by_column methods, written against our contract. Where PETAce
// departs from NumPy (a valid reshape to (2, 3, 1) raises there), we follow NumPy.

import { describe, it } from 'vitest';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import { type Case, close, DEALER, exact, expectCode, input, runCases, type SA, type Snp } from './harness.js';
import { ar, dec, N, own0, random } from './petace.js';
import * as R from './reference.js';
import * as RO from './reference-order.js';
import * as RS from './reference-sort.js';

describe('PETAce test_array_manipulation and test_linalg', () => {
  it('reshape (2-d, -1, 1-d, 0-d), flatten, transpose, resize; their ValueErrors', async () => {
    const a1 = R.reshape(ar(6), [3, 2]);
    const a2 = R.reshape(ar(10, 16), [3, 2]);
    const arr3 = N([
      [1, 2, 3],
      [4, 1, 2],
      [3, 4, 1],
      [2, 3, 4],
    ]);
    const cases: Case[] = [
      exact(
        'reshape (2, 3) + (2, 3)',
        (snp, p) =>
          own0(a1)(snp, p)
            .reshape([2, 3])
            .add(own0(a2)(snp, p).reshape([2, 3])),
        R.add(R.reshape(a1, [2, 3]), R.reshape(a2, [2, 3])),
      ),
      exact('reshape (2, -1)', (snp, p) => own0(a1)(snp, p).reshape([2, -1]), R.reshape(a1, [2, 3])),
      exact('reshape 6', (snp, p) => own0(a1)(snp, p).reshape(6), R.reshape(a1, [6])),
      exact('reshape -1', (snp, p) => own0(a1)(snp, p).reshape(-1), R.reshape(a1, [6])),
      exact(
        'reshape (2, 3, 1): valid in NumPy',
        (snp, p) => own0(a1)(snp, p).reshape([2, 3, 1]),
        R.reshape(a1, [2, 3, 1]),
      ),
      exact('0-d reshape 1 then (1, 1)', (snp, p) => own0(R.scalar(1))(snp, p).reshape(1).reshape([1, 1]), N([[1]])),
      exact(
        '1-d reshape -1 then (1, -1)',
        (snp, p) =>
          own0(N([1, 2, 3]))(snp, p)
            .reshape(-1)
            .reshape([1, -1]),
        N([[1, 2, 3]]),
      ),
      exact('flatten', (snp, p) => own0(a1)(snp, p).flatten(), R.flatten(a1)),
      exact('transpose 2-d', (snp, p) => own0(a1)(snp, p).transpose(), R.transpose(a1)),
      exact('transpose 0-d', (snp, p) => own0(R.scalar(2))(snp, p).transpose(), R.scalar(2)),
      exact('transpose 1-d', (snp, p) => own0(N([1, 2, 3]))(snp, p).transpose(), N([1, 2, 3])),
      exact(
        'resize (2, 4)',
        (snp, p) =>
          snp.resize(
            own0(
              N([
                [1, 2],
                [3, 4],
              ]),
            )(snp, p),
            [2, 4],
          ),
        R.resize(
          N([
            [1, 2],
            [3, 4],
          ]),
          [2, 4],
        ),
      ),
      exact('resize (4, 3)', (snp, p) => snp.resize(own0(arr3)(snp, p), [4, 3]), arr3),
      exact('resize 12', (snp, p) => snp.resize(own0(arr3)(snp, p), 12), R.resize(arr3, 12)),
      exact(
        'resize repeats',
        (snp, p) => snp.resize(own0(N([1, 2, 3]))(snp, p), [2, 4]),
        R.resize(N([1, 2, 3]), [2, 4]),
      ),
      exact('resize arange(10) (2, 6)', (snp) => snp.resize(snp.arange(10), [2, 6]), R.resize(ar(10), [2, 6])),
      exact('resize of an empty array: zeros', (snp) => snp.resize(snp.arange(0), [2, 2]), R.zeros([2, 2])),
    ];
    await runCases(cases);
    await runLocal(
      2,
      async (snp: Snp, p: number) => {
        const a = input(snp, p, 0, a1, 'float64', true);
        expectCode(() => a.reshape([8]), 'ERR_SHAPE');
        expectCode(() => snp.resize(snp.arange(10), [-10, -1]), 'ERR_SHAPE');
        expectCode(() => snp.resize(snp.arange(10), -1), 'ERR_SHAPE');
        for (const f of [snp.vstack, snp.hstack, snp.column_stack]) expectCode(() => f(a as never), 'ERR_BAD_INPUT');
        for (const f of [snp.vstack, snp.hstack, snp.row_stack]) expectCode(() => f([]), 'ERR_SHAPE');
      },
      DEALER,
    );
  });

  it('concatenate (axis None, 0, 1), vstack, hstack, column_stack, dot, inner', async () => {
    const cat: [R.Arr, R.Arr, number | null][] = [
      [R.scalar(1), R.scalar(2), null],
      [N([1]), R.scalar(2), null],
      [N([[1]]), N([[2]]), null],
      [N([1]), N([2]), 0],
      [N([[1]]), N([[2]]), 0],
      [R.ones([2, 3]), R.ones([2, 3]), 1],
    ];
    const stacks = (shape: number[], n: number) => Array.from({ length: n }, (_, i) => random(50 + i, shape));
    const v10 = stacks([10], 5);
    const v1020 = stacks([10, 20], 5);
    const h = stacks([10, 20], 2);
    const col = stacks([3], 2);
    const secret = (xs: R.Arr[]) => (snp: Snp, p: number) => xs.map((x) => own0(x)(snp, p));
    const a = N([1, 2, 3]);
    const b = N([0, 1, 0]);
    const [x32, y23] = [random(43, [3, 2]), random(44, [2, 3])];
    const cases: Case[] = [
      ...cat.map(([x, y, axis], i) =>
        exact(
          `concatenate ${i}`,
          (snp, p) => snp.concatenate([own0(x)(snp, p), own0(y)(snp, p)], axis),
          R.concatenate([x, y], axis),
        ),
      ),
      exact('vstack 0-d', (snp, p) => snp.vstack(secret([R.scalar(1), R.scalar(2)])(snp, p)), N([[1], [2]])),
      close(
        'vstack 1-d',
        (snp, p) => snp.vstack(secret(v10)(snp, p)),
        R.concatenate(
          v10.map((x) => R.reshape(x, [1, 10])),
          0,
        ),
        dec(4),
      ),
      close('vstack 2-d', (snp, p) => snp.vstack(secret(v1020)(snp, p)), R.concatenate(v1020, 0), dec(4)),
      exact('hstack 0-d', (snp, p) => snp.hstack(secret([R.scalar(1), R.scalar(2)])(snp, p)), N([1, 2])),
      close('hstack 2-d', (snp, p) => snp.hstack(secret(h)(snp, p)), R.concatenate(h, 1), dec(4)),
      close(
        'column_stack 1-d',
        (snp, p) => snp.column_stack(secret(col)(snp, p)),
        R.concatenate(
          col.map((x) => R.reshape(x, [3, 1])),
          1,
        ),
        dec(4),
      ),
      close('column_stack 2-d', (snp, p) => snp.column_stack(secret(h)(snp, p)), R.concatenate(h, 1), dec(4)),
      close('dot 1-d (parties 0, 1)', (snp, p) => snp.dot(own0(a)(snp, p), input(snp, p, 1, b)), R.dot(a, b), dec(4)),
      close(
        'dot 2-d (parties 0, 1)',
        (snp, p) => snp.dot(own0(x32)(snp, p), input(snp, p, 1, y23)),
        R.dot(x32, y23),
        dec(4),
      ),
      close(
        'inner 1-d (parties 0, 1)',
        (snp, p) => snp.inner(own0(a)(snp, p), input(snp, p, 1, b)),
        R.inner(a, b),
        dec(4),
      ),
    ];
    await runCases(cases);
  });
});

describe('PETAce test_math, test_sort, test_statistic', () => {
  it('sum and prod (1-d, axis 0/1/None), max/min axis 0, argmax/argmin with max/min, ptp', async () => {
    const d = random(43, [10, 20]);
    const d25 = random(43, [2, 5]);
    const d5 = random(44, [5]);
    const axes: (number | null)[] = [0, 1, null];
    const cases: Case[] = [
      exact('sum arange(10)', (snp) => snp.sum(snp.arange(10)), R.sum(ar(10))),
      exact('prod arange(10)', (snp) => snp.prod(snp.arange(10)), R.prod(ar(10))),
      ...axes.map((ax, i) =>
        close(`sum axis ${ax}`, (snp, p) => snp.sum(own0(d)(snp, p), { axis: ax }), R.sum(d, ax), dec([4, 3, 2][i]!)),
      ),
      ...axes.map((ax, i) =>
        close(
          `prod axis ${ax}`,
          (snp, p) => snp.prod(own0(d)(snp, p), { axis: ax }),
          R.prod(d, ax),
          dec([4, 3, 2][i]!),
        ),
      ),
      close('max axis 0', (snp, p) => snp.max(own0(d)(snp, p), { axis: 0 }), RO.amax(d, 0), dec(5)),
      close('min axis 0', (snp, p) => snp.min(own0(d)(snp, p), { axis: 0 }), RO.amin(d, 0), dec(3)),
      ...[...axes, undefined].flatMap((ax): Case[] => [
        exact(`argmax ${ax}`, (snp, p) => snp.argmax(own0(d25)(snp, p), { axis: ax }), RO.argmax(d25, ax), 'int64'),
        close(`max ${ax}`, (snp, p) => snp.max(own0(d25)(snp, p), { axis: ax }), RO.amax(d25, ax), dec(5)),
        exact(`argmin ${ax}`, (snp, p) => snp.argmin(own0(d25)(snp, p), { axis: ax }), RO.argmin(d25, ax), 'int64'),
        close(`min ${ax}`, (snp, p) => snp.min(own0(d25)(snp, p), { axis: ax }), RO.amin(d25, ax), dec(5)),
        close(`ptp ${ax}`, (snp, p) => snp.ptp(own0(d25)(snp, p), { axis: ax }), RO.ptp(d25, ax), dec(5)),
      ]),
      exact('argmax 1-d', (snp, p) => snp.argmax(own0(d5)(snp, p)), RO.argmax(d5), 'int64'),
      exact('argmin 1-d', (snp, p) => snp.argmin(own0(d5)(snp, p)), RO.argmin(d5), 'int64'),
    ];
    await runCases(cases);
  });

  it('sort (axis None, 1-d), quick_sort as sort(x, null).reshape, where(c0 > c1, c0, c1)', async () => {
    const p25 = random(43, [2, 5]);
    const p5 = random(43, [5]);
    const q45 = random(43, [4, 5]);
    const [w0, w1] = [random(43, [6, 13]), random(44, [6, 13])];
    const cases: Case[] = [
      close('sort axis None', (snp, p) => snp.sort(own0(p25)(snp, p), null), RS.sort(p25, null), dec(5)),
      close('sort 1-d', (snp, p) => snp.sort(own0(p5)(snp, p)), RS.sort(p5), dec(5)),
      exact(
        'quick_sort [[1], [3], [5], [2]]',
        (snp, p) => snp.sort(own0(N([[1], [3], [5], [2]]))(snp, p), null).reshape([4, 1]),
        N([[1], [2], [3], [5]]),
      ),
      close(
        'quick_sort (4, 5)',
        (snp, p) => snp.sort(own0(q45)(snp, p), null).reshape([4, 5]),
        R.reshape(RS.sort(q45, null), [4, 5]),
        dec(4),
      ),
      close(
        'where(c0 > c1, c0, c1)',
        (snp, p) => {
          const c0 = own0(w0)(snp, p);
          const c1 = input(snp, p, 1, w1);
          return snp.where(c0.gt(c1), c0, c1);
        },
        R.where(R.greater(w0, w1), w0, w1),
        dec(4),
      ),
    ];
    await runCases(cases);
  });

  it('quick_sort_by_column: rows ordered by a secret column (argsort, then a one-hot permutation matmul)', async () => {
    /** Rows of x (n rows) in the order of column `col`: PETAce's x.quick_sort_by_column(col). */
    const byColumn = (snp: Snp, x: SA, n: number, col: number) => {
      const order = snp.argsort(x.get(':', col)); // secret int64 row numbers
      const pick = order.reshape([n, 1]).eq(snp.arange(n)); // pick[i][j]: row i of the result is row j
      return pick.astype('float64').matmul(x);
    };
    const rowsBy = (x: R.Arr, col: number) => {
      const order = RS.argsort(R.get(x, ':', col)).data;
      return R.concatenate(
        order.map((r) => R.get(x, `${r}:${r + 1}`)),
        0,
      );
    };
    const q45 = random(43, [4, 5]);
    const a = N([
      [1, 2],
      [3, 5],
      [5, 1],
      [2, 3],
    ]);
    await runCases([
      close('random (4, 5) by column 0', (snp, p) => byColumn(snp, own0(q45)(snp, p), 4, 0), rowsBy(q45, 0), dec(4)),
      close('by column 0', (snp, p) => byColumn(snp, own0(a)(snp, p), 4, 0), rowsBy(a, 0), dec(4)),
      close('by column 1', (snp, p) => byColumn(snp, own0(a)(snp, p), 4, 1), rowsBy(a, 1), dec(4)),
    ]);
  });

  it('mean (axis None, 0, 1), average with public weights (1-d, 2-d per axis) and secret 1-D weights', async () => {
    const arr = random(43, [2, 5]);
    const a5 = random(43, [5]);
    const w5 = random(44, [5]);
    const w25 = random(45, [2, 5]);
    const axes: (number | null)[] = [null, 0, 1];
    await runCases([
      ...axes.map((ax) =>
        close(`mean ${ax}`, (snp, p) => snp.mean(own0(arr)(snp, p), { axis: ax }), R.mean(arr, ax), dec(4)),
      ),
      close(
        'average 1-d',
        (snp, p) => snp.average(own0(a5)(snp, p), undefined, R.toNested(w5)),
        R.average(a5, undefined, w5),
        dec(4),
      ),
      ...axes.map((ax) =>
        close(
          `average ${ax}`,
          (snp, p) => snp.average(own0(arr)(snp, p), ax, R.toNested(w25)),
          R.average(arr, ax, w25),
          dec(3),
        ),
      ),
      close(
        'average axis 1, secret weights',
        (snp, p) => snp.average(own0(arr)(snp, p), 1, own0(w5)(snp, p)),
        R.average(arr, 1, w5),
        dec(3),
      ),
    ]);
  });
});
