// Checks SecureNumpy's matmul, dot, inner and outer against NumPy's shape rules (1-D operands, batch broadcasting, dot's N-D·M-D rule).

import { describe, it } from 'vitest';
import {
  type Case,
  close,
  input,
  MODES,
  publicNd,
  randArr,
  randInt,
  randShape,
  rng,
  runCases,
  type SA,
  type Snp,
  tolBilinear,
} from './harness.js';
import * as R from './reference.js';

type Bilinear = (a: R.Operand, b: R.Operand) => R.Arr;

/** Secret·secret, secret·public (NDArray) and public (nested)·secret cases for one shape pair. */
function bilinearCases(
  name: string,
  f: Bilinear,
  method: ((x: SA, y: unknown) => SA) | null,
  fn: (snp: Snp, x: unknown, y: unknown) => SA,
  a: R.Arr,
  b: R.Arr,
  i: number,
  all = true,
  hints: 'some' | 'all' = 'some',
): Case[] {
  const lab = `${name} [${a.shape}]·[${b.shape}]`;
  const tol = tolBilinear(f, a, b);
  const want = f(a, b);
  const A = (snp: Snp, p: number) => input(snp, p, 0, a, 'float64', hints === 'all' || i % 2 === 0);
  const B = (snp: Snp, p: number) => input(snp, p, 1, b, 'float64', hints === 'all' || i % 3 === 0);
  const cases: Case[] = [close(`snp.${lab}`, (snp, p) => fn(snp, A(snp, p), B(snp, p)), want, tol)];
  if (!all) return cases;
  if (method) cases.push(close(`method ${lab}`, (snp, p) => method(A(snp, p), B(snp, p)), want, tol));
  cases.push(close(`${lab}, b public`, (snp, p) => fn(snp, A(snp, p), publicNd(b)), want, tol));
  cases.push(close(`${lab}, a public`, (snp, p) => fn(snp, R.toNested(a), B(snp, p)), want, tol));
  return cases;
}

const matmulShapes: [number[], number[]][] = [
  [
    [2, 3],
    [3, 4],
  ],
  [[3], [3, 2]],
  [[2, 3], [3]],
  [[4], [4]],
  [
    [1, 3],
    [3, 1],
  ],
  [
    [2, 8],
    [8, 2],
  ],
  [
    [2, 2, 3],
    [3, 2],
  ],
  [
    [2, 3],
    [2, 3, 4],
  ],
  [
    [2, 1, 2, 3],
    [3, 3, 2],
  ],
  [[3], [2, 3, 2]],
  [[2, 2, 3], [3]],
];

describe.each(MODES)('linalg: matmul (%s preprocessing)', (mode) => {
  it('follows NumPy for 2-D, 1-D and batched operands', async () => {
    const r = rng(mode === 'dealer' ? 301 : 302);
    const shapes =
      mode === 'dealer'
        ? [...matmulShapes]
        : ([
            [
              [2, 3],
              [3, 2],
            ],
          ] as [number[], number[]][]);
    if (mode === 'dealer') {
      for (let i = 0; i < 4; i++) {
        const batch = randShape(r, 0, 2, 3);
        const [n, k, m] = [randInt(r, 1, 4), randInt(r, 1, 8), randInt(r, 1, 4)];
        const bb = batch.map((d) => (r() < 0.3 ? 1 : d)).slice(randInt(r, 0, batch.length));
        shapes.push(
          r() < 0.5
            ? [
                [...batch, n, k],
                [...bb, k, m],
              ]
            : [
                [...bb, n, k],
                [...batch, k, m],
              ],
        );
      }
    }
    const cases = shapes.flatMap(([s, t], i) =>
      bilinearCases(
        'matmul',
        R.matmul,
        (x, y) => x.matmul(y),
        (snp, x, y) => snp.matmul(x, y),
        randArr(r, s),
        randArr(r, t),
        i,
        mode === 'dealer',
      ),
    );
    if (mode === 'dealer') {
      const x = randArr(r, [3, 4]);
      const gram = (snp: Snp, p: number) => {
        const v = input(snp, p, 1, x);
        return v.T.matmul(v);
      };
      cases.push(
        close(
          'x.T @ x (one secret twice)',
          gram,
          R.matmul(R.transpose(x), x),
          tolBilinear(R.matmul, R.transpose(x), x),
        ),
      );
    }
    await runCases(cases, { preprocessing: mode });
  });
});

describe('linalg: dot, inner, outer', () => {
  it('dot: scalars multiply, 1-D·1-D is 0-d, N-D·M-D sums over a[-1] and b[-2]', async () => {
    const r = rng(303);
    const shapes: [number[], number[]][] = [
      [[3], [3]],
      [[], [2, 3]],
      [[2, 3], []],
      [[2, 3], [3]],
      [
        [2, 3],
        [3, 4],
      ],
      [
        [2, 3],
        [4, 3, 2],
      ],
      [[2, 2, 3], [3]],
      [[3], [2, 3, 2]],
      [
        [2, 2, 3],
        [2, 3, 2],
      ],
    ];
    const cases = shapes.flatMap(([s, t], i) =>
      bilinearCases(
        'dot',
        R.dot,
        (x, y) => x.dot(y),
        (snp, x, y) => snp.dot(x, y),
        randArr(r, s),
        randArr(r, t),
        i,
        true,
        'all',
      ),
    );
    await runCases(cases);
  });

  it('inner sums over both last axes; outer flattens both operands', async () => {
    const r = rng(304);
    const innerShapes: [number[], number[]][] = [
      [[3], [3]],
      [
        [2, 3],
        [4, 3],
      ],
      [
        [2, 2, 3],
        [2, 3],
      ],
      [[], [2, 2]],
      [[4], [2, 3, 4]],
    ];
    const outerShapes: [number[], number[]][] = [
      [[3], [4]],
      [[2, 2], [3]],
      [[], [2]],
      [[1], [1]],
      [
        [2, 1, 2],
        [2, 2],
      ],
    ];
    const cases = [
      ...innerShapes.flatMap(([s, t], i) =>
        bilinearCases(
          'inner',
          R.inner,
          null,
          (snp, x, y) => snp.inner(x, y),
          randArr(r, s),
          randArr(r, t),
          i,
          true,
          'all',
        ),
      ),
      ...outerShapes.flatMap(([s, t], i) =>
        bilinearCases(
          'outer',
          R.outer,
          null,
          (snp, x, y) => snp.outer(x, y),
          randArr(r, s),
          randArr(r, t),
          i,
          true,
          'all',
        ),
      ),
    ];
    await runCases(cases);
  });

  it('operands whose shape is still pending at the non-owner (no shape hint)', async () => {
    const r = rng(305);
    const pending = (name: string, f: Bilinear, fn: (snp: Snp, x: SA, y: SA) => SA, a: R.Arr, b: R.Arr): Case =>
      close(
        `${name} [${a.shape}]·[${b.shape}], shapes pending`,
        (snp, p) => fn(snp, input(snp, p, 0, a), input(snp, p, 1, b)),
        f(a, b),
        tolBilinear(f, a, b),
      );
    await runCases([
      pending('matmul', R.matmul, (snp, x, y) => snp.matmul(x, y), randArr(r, [2, 3]), randArr(r, [3, 2])),
      pending('dot', R.dot, (snp, x, y) => snp.dot(x, y), randArr(r, [3]), randArr(r, [3])),
      pending('dot method', R.dot, (_, x, y) => x.dot(y), randArr(r, [2, 3]), randArr(r, [3, 2])),
      pending('inner', R.inner, (snp, x, y) => snp.inner(x, y), randArr(r, [2, 3]), randArr(r, [4, 3])),
      pending('outer', R.outer, (snp, x, y) => snp.outer(x, y), randArr(r, [2]), randArr(r, [3])),
    ]);
  });
});
