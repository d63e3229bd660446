// Hand-computed known answers (as NumPy gives them) for the plaintext reference, so the conformance suite can trust it.

import { describe, expect, it } from 'vitest';
import * as R from './reference.js';

const A = (x: R.Nested) => R.fromNested(x);
const N = (a: R.Arr) => R.toNested(a);
const refuses = (f: () => unknown, code: string) => expect(f).toThrow(expect.objectContaining({ code }));

describe('reference: conversion', () => {
  it('reads nested arrays row-major and writes them back', () => {
    expect(
      A([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    expect(A(7)).toEqual({ shape: [], data: [7] });
    expect(A([true, false])).toEqual({ shape: [2], data: [1, 0] });
    expect(A([[]])).toEqual({ shape: [1, 0], data: [] });
    expect(
      N(
        A([
          [[1], [2]],
          [[3], [4]],
        ]),
      ),
    ).toEqual([
      [[1], [2]],
      [[3], [4]],
    ]);
    expect(N(A(5))).toBe(5);
    refuses(() => A([[1, 2], [3]]), 'ERR_SHAPE');
    expect(R.unravel(5, [2, 3])).toEqual([1, 2]);
    expect(R.ravelIndex([1, 0, 1], [2, 2, 2])).toBe(5);
    expect(R.stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  });
});

describe('reference: broadcasting and arithmetic', () => {
  it('broadcasts shapes as NumPy', () => {
    expect(R.broadcastShapes([3, 1], [1, 4])).toEqual([3, 4]);
    expect(R.broadcastShapes([2, 1, 3], [4, 1], [])).toEqual([2, 4, 3]);
    expect(R.broadcastShapes([0], [1])).toEqual([0]);
    refuses(() => R.broadcastShapes([3], [4]), 'ERR_SHAPE');
    refuses(() => R.broadcastShapes([2, 3], [3, 3]), 'ERR_SHAPE');
    expect(N(R.broadcastTo([1, 2], [2, 2]))).toEqual([
      [1, 2],
      [1, 2],
    ]);
    refuses(() => R.broadcastTo([1, 2], [3]), 'ERR_SHAPE');
    refuses(() => R.broadcastTo([[1, 2]], [2]), 'ERR_SHAPE');
  });

  it('adds, subtracts, multiplies, divides and negates with broadcasting', () => {
    expect(N(R.add([[1], [2]], [10, 20, 30]))).toEqual([
      [11, 21, 31],
      [12, 22, 32],
    ]);
    expect(N(R.sub(5, [1, 2]))).toEqual([4, 3]);
    expect(
      N(
        R.mul(
          [
            [1, 2],
            [3, 4],
          ],
          [10, 100],
        ),
      ),
    ).toEqual([
      [10, 200],
      [30, 400],
    ]);
    expect(N(R.div([3, 6], 2))).toEqual([1.5, 3]);
    expect(N(R.neg([[1, -2]]))).toEqual([[-1, 2]]);
    expect(N(R.add(1, 2))).toBe(3);
    expect(R.add([[1, 2]], R.zeros([0, 1])).shape).toEqual([0, 2]);
    expect(N(R.square([-3, 2]))).toEqual([9, 4]);
    expect(N(R.power([2, -3], 3))).toEqual([8, -27]);
    expect(N(R.power([2, -3], 0))).toEqual([1, 1]);
    expect(N(R.abs([-1.5, 2]))).toEqual([1.5, 2]);
  });

  it('computes logical operations on 0/1 values', () => {
    expect(N(R.logicalAnd([1, 1, 0, 0], [1, 0, 1, 0]))).toEqual([1, 0, 0, 0]);
    expect(N(R.logicalOr([1, 1, 0, 0], [1, 0, 1, 0]))).toEqual([1, 1, 1, 0]);
    expect(N(R.logicalXor([1, 1, 0, 0], [1, 0, 1, 0]))).toEqual([0, 1, 1, 0]);
    expect(N(R.logicalNot([1, 0]))).toEqual([0, 1]);
    expect(N(R.logicalAnd([[true], [false]], [true, true]))).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });
});

describe('reference: linear algebra', () => {
  it('matmul follows NumPy for 2-D, 1-D and batched operands', () => {
    expect(
      N(
        R.matmul(
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ),
      ),
    ).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(
      N(
        R.matmul(
          [1, 2],
          [
            [5, 6],
            [7, 8],
          ],
        ),
      ),
    ).toEqual([19, 22]);
    expect(
      N(
        R.matmul(
          [
            [1, 2],
            [3, 4],
          ],
          [5, 6],
        ),
      ),
    ).toEqual([17, 39]);
    expect(N(R.matmul([1, 2, 3], [4, 5, 6]))).toBe(32);
    // batch (2,1,2)@(2,1) broadcast: (2,1,1)
    expect(N(R.matmul([[[1, 2]], [[3, 4]]], [[1], [1]]))).toEqual([[[3]], [[7]]]);
    // batch broadcast (2,1,2,2) @ (3,2,1) -> (2,3,2,1)
    const a = R.reshape(R.arange(8), [2, 1, 2, 2]);
    const b = R.reshape(R.arange(6), [3, 2, 1]);
    const c = R.matmul(a, b);
    expect(c.shape).toEqual([2, 3, 2, 1]);
    // c[1,2] = [[4,5],[6,7]] @ [[4],[5]] = [[41],[59]]
    expect(N(R.get(c, 1, 2))).toEqual([[41], [59]]);
    // 1-D @ 3-D: (2,) @ (2,2,3) -> (2,3)
    expect(R.matmul([1, 1], R.reshape(R.arange(12), [2, 2, 3])).shape).toEqual([2, 3]);
    expect(N(R.matmul([1, 1], R.reshape(R.arange(12), [2, 2, 3])))).toEqual([
      [3, 5, 7],
      [15, 17, 19],
    ]);
    // 3-D @ 1-D: (2,2,3) @ (3,) -> (2,2)
    expect(N(R.matmul(R.reshape(R.arange(12), [2, 2, 3]), [1, 0, -1]))).toEqual([
      [-2, -2],
      [-2, -2],
    ]);
    refuses(() => R.matmul([[1, 2]], [[1, 2]]), 'ERR_SHAPE');
    refuses(() => R.matmul(2, [1]), 'ERR_SHAPE');
    refuses(() => R.matmul(R.zeros([2, 2, 2]), R.zeros([3, 2, 2])), 'ERR_SHAPE');
  });

  it('dot sums over the last axis of a and the second-to-last of b', () => {
    expect(N(R.dot([1, 2, 3], [4, 5, 6]))).toBe(32);
    expect(N(R.dot(2, [[1, 2]]))).toEqual([[2, 4]]);
    expect(
      N(
        R.dot(
          [
            [1, 2],
            [3, 4],
          ],
          [1, 1],
        ),
      ),
    ).toEqual([3, 7]);
    expect(
      N(
        R.dot(
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ),
      ),
    ).toEqual([
      [19, 22],
      [43, 50],
    ]);
    // (2,3) . (4,3,2) -> (2,4,2)
    const a = R.reshape(R.arange(6), [2, 3]);
    const b = R.reshape(R.arange(24), [4, 3, 2]);
    const c = R.dot(a, b);
    expect(c.shape).toEqual([2, 4, 2]);
    // c[1,2,1] = sum_k a[1,k] b[2,k,1] = 3*13 + 4*15 + 5*17 = 184
    expect(N(R.get(c, 1, 2, 1))).toBe(184);
    // c[0,0,0] = 0*0 + 1*2 + 2*4 = 10
    expect(N(R.get(c, 0, 0, 0))).toBe(10);
    // (2,2,3) . (3,) -> (2,2)
    expect(N(R.dot(R.reshape(R.arange(12), [2, 2, 3]), [1, 1, 1]))).toEqual([
      [3, 12],
      [21, 30],
    ]);
    refuses(() => R.dot([1, 2], [1, 2, 3]), 'ERR_SHAPE');
    refuses(() => R.dot(R.zeros([2, 3]), R.zeros([2, 3])), 'ERR_SHAPE');
  });

  it('inner sums over the last axes; outer flattens', () => {
    expect(N(R.inner([1, 2, 3], [4, 5, 6]))).toBe(32);
    expect(
      N(
        R.inner(
          [
            [1, 2],
            [3, 4],
          ],
          [
            [1, 0],
            [0, 1],
            [1, 1],
          ],
        ),
      ),
    ).toEqual([
      [1, 2, 3],
      [3, 4, 7],
    ]);
    expect(R.inner(R.zeros([2, 3, 4]), R.zeros([5, 4])).shape).toEqual([2, 3, 5]);
    // inner((2,2,3), (2,3)): [i,j,m] = sum_k a[i,j,k] b[m,k]
    const c = R.inner(R.reshape(R.arange(12), [2, 2, 3]), [
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(N(c)).toEqual([
      [
        [0, 2],
        [3, 5],
      ],
      [
        [6, 8],
        [9, 11],
      ],
    ]);
    expect(N(R.inner(3, [1, 2]))).toEqual([3, 6]);
    refuses(() => R.inner([1, 2], [1, 2, 3]), 'ERR_SHAPE');
    expect(N(R.outer([1, 2], [[1, 10, 100]]))).toEqual([
      [1, 10, 100],
      [2, 20, 200],
    ]);
    expect(
      R.outer(
        [
          [1, 2],
          [3, 4],
        ],
        [1, 2, 3],
      ).shape,
    ).toEqual([4, 3]);
    expect(N(R.outer(2, 3))).toEqual([[6]]);
  });
});

describe('reference: reductions', () => {
  const x = A([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it('sums, multiplies and averages over an axis, a negative axis, or everything (0-d)', () => {
    expect(N(R.sum(x))).toBe(21);
    expect(R.sum(x).shape).toEqual([]);
    expect(N(R.sum(x, null))).toBe(21);
    expect(N(R.sum(x, 0))).toEqual([5, 7, 9]);
    expect(N(R.sum(x, 1))).toEqual([6, 15]);
    expect(N(R.sum(x, -1))).toEqual([6, 15]);
    expect(N(R.sum(x, -2))).toEqual([5, 7, 9]);
    expect(N(R.prod(x))).toBe(720);
    expect(N(R.prod(x, 1))).toEqual([6, 120]);
    expect(N(R.mean(x))).toBe(3.5);
    expect(N(R.mean(x, 0))).toEqual([2.5, 3.5, 4.5]);
    expect(N(R.mean(x, -1))).toEqual([2, 5]);
    const y = R.reshape(R.arange(24), [2, 3, 4]);
    expect(N(R.sum(y, 1))).toEqual([
      [12, 15, 18, 21],
      [48, 51, 54, 57],
    ]);
    expect(N(R.sum(R.zeros([0, 3]), 0))).toEqual([0, 0, 0]);
    expect(N(R.sum(5))).toBe(5);
    // NumPy's legacy rule for 0-d inputs: axis 0 or -1 reduces everything; cumsum ravels first.
    expect(N(R.sum(5, 0))).toBe(5);
    expect(N(R.prod(5, -1))).toBe(5);
    expect(N(R.cumsum(5, 0))).toEqual([5]);
    refuses(() => R.sum(5, 1), 'ERR_AXIS');
    refuses(() => R.mean(5, 0), 'ERR_AXIS');
    refuses(() => R.sum(x, 2), 'ERR_AXIS');
    refuses(() => R.sum(x, -3), 'ERR_AXIS');
  });

  it('cumsum flattens without an axis and runs along one otherwise', () => {
    expect(N(R.cumsum(x))).toEqual([1, 3, 6, 10, 15, 21]);
    expect(N(R.cumsum(x, 0))).toEqual([
      [1, 2, 3],
      [5, 7, 9],
    ]);
    expect(N(R.cumsum(x, 1))).toEqual([
      [1, 3, 6],
      [4, 9, 15],
    ]);
    expect(N(R.cumsum(x, -1))).toEqual([
      [1, 3, 6],
      [4, 9, 15],
    ]);
    expect(N(R.cumsum(R.reshape(R.arange(8), [2, 2, 2]), 1))).toEqual([
      [
        [0, 1],
        [2, 4],
      ],
      [
        [4, 5],
        [10, 12],
      ],
    ]);
    refuses(() => R.cumsum(x, 2), 'ERR_AXIS');
  });

  it('average with and without weights', () => {
    expect(N(R.average(x))).toBe(3.5);
    expect(N(R.average([1, 2, 3], undefined, [3, 0, 1]))).toBe(1.5);
    expect(N(R.average(x, 1, [1, 0, 1]))).toEqual([2, 5]);
    expect(N(R.average(x, 0, [1, 3]))).toEqual([3.25, 4.25, 5.25]);
    expect(
      N(
        R.average(x, null, [
          [1, 1, 1],
          [0, 0, 0],
        ]),
      ),
    ).toBe(2);
    refuses(() => R.average(x, undefined, [1, 2, 3]), 'ERR_SHAPE');
    refuses(() => R.average(x, 1, [1, 2]), 'ERR_SHAPE');
  });
});

describe('reference: manipulation', () => {
  const x = R.arange(6);
  it('reshapes with one inferred dimension and refuses impossible shapes', () => {
    expect(N(R.reshape(x, [2, -1]))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(R.reshape(x, [-1, 1, 2]).shape).toEqual([3, 1, 2]);
    expect(R.reshape(x, -1).shape).toEqual([6]);
    expect(R.reshape(A(3), []).shape).toEqual([]);
    expect(R.reshape(R.zeros([0]), [0, 5]).shape).toEqual([0, 5]);
    refuses(() => R.reshape(x, [4, -1]), 'ERR_SHAPE');
    refuses(() => R.reshape(x, [-1, -1]), 'ERR_SHAPE');
    refuses(() => R.reshape(x, [7]), 'ERR_SHAPE');
    refuses(() => R.reshape(x, [-2, -3]), 'ERR_SHAPE');
  });

  it('transposes with and without axes', () => {
    expect(
      N(
        R.transpose([
          [1, 2, 3],
          [4, 5, 6],
        ]),
      ),
    ).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const y = R.reshape(R.arange(24), [2, 3, 4]);
    expect(R.transpose(y).shape).toEqual([4, 3, 2]);
    expect(N(R.get(R.transpose(y), 3, 1, 0))).toBe(7); // y[0,1,3]
    const z = R.transpose(y, [1, 0, 2]);
    expect(z.shape).toEqual([3, 2, 4]);
    expect(N(R.get(z, 2, 1, 3))).toBe(23); // y[1,2,3]
    expect(R.transpose(y, [-1, 0, 1]).shape).toEqual([4, 2, 3]);
    expect(N(R.transpose([1, 2]))).toEqual([1, 2]);
    refuses(() => R.transpose(y, [0, 0, 1]), 'ERR_AXIS');
    refuses(() => R.transpose(y, [0, 1]), 'ERR_AXIS');
    refuses(() => R.transpose(y, [0, 1, 3]), 'ERR_AXIS');
  });

  it('concatenates and stacks', () => {
    const a = A([
      [1, 2],
      [3, 4],
    ]);
    const b = A([[5, 6]]);
    expect(N(R.concatenate([a, b]))).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(N(R.concatenate([a, R.transpose(b)], 1))).toEqual([
      [1, 2, 5],
      [3, 4, 6],
    ]);
    expect(N(R.concatenate([a, R.transpose(b)], -1))).toEqual([
      [1, 2, 5],
      [3, 4, 6],
    ]);
    expect(N(R.concatenate([a, b], null))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(N(R.concatenate([[1], [], [2, 3]]))).toEqual([1, 2, 3]);
    refuses(() => R.concatenate([a, b], 1), 'ERR_SHAPE');
    refuses(() => R.concatenate([a, [1, 2]]), 'ERR_SHAPE');
    refuses(() => R.concatenate([a, b], 2), 'ERR_AXIS');
    refuses(() => R.concatenate([1, 2]), 'ERR_SHAPE');
    expect(
      N(
        R.stack([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(
      N(
        R.stack(
          [
            [1, 2],
            [3, 4],
          ],
          1,
        ),
      ),
    ).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(
      N(
        R.stack(
          [
            [1, 2],
            [3, 4],
          ],
          -1,
        ),
      ),
    ).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(R.stack([a, a, a], 1).shape).toEqual([2, 3, 2]);
    expect(N(R.stack([1, 2]))).toEqual([1, 2]);
    refuses(() => R.stack([[1, 2], [3]]), 'ERR_SHAPE');
    refuses(
      () =>
        R.stack(
          [
            [1, 2],
            [3, 4],
          ],
          2,
        ),
      'ERR_AXIS',
    );
  });

  it('vstack, hstack, column_stack and row_stack', () => {
    expect(
      N(
        R.vstack([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(N(R.vstack([[[1, 2]], [3, 4]]))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(
      N(
        R.rowStack([
          [1, 2],
          [
            [3, 4],
            [5, 6],
          ],
        ]),
      ),
    ).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(N(R.hstack([[1, 2], [3]]))).toEqual([1, 2, 3]);
    expect(
      N(
        R.hstack([
          [[1], [2]],
          [
            [3, 4],
            [5, 6],
          ],
        ]),
      ),
    ).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ]);
    expect(N(R.hstack([1, 2]))).toEqual([1, 2]);
    expect(
      N(
        R.columnStack([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(
      N(
        R.columnStack([
          [1, 2],
          [
            [3, 4],
            [5, 6],
          ],
        ]),
      ),
    ).toEqual([
      [1, 3, 4],
      [2, 5, 6],
    ]);
    refuses(() => R.vstack([[1, 2], [3]]), 'ERR_SHAPE');
  });

  it('resize repeats the data cyclically', () => {
    expect(
      N(
        R.resize(
          [
            [0, 1],
            [2, 3],
          ],
          [2, 3],
        ),
      ),
    ).toEqual([
      [0, 1, 2],
      [3, 0, 1],
    ]);
    expect(N(R.resize([1, 2, 3], [1, 2]))).toEqual([[1, 2]]);
    expect(N(R.resize([1, 2, 3], 7))).toEqual([1, 2, 3, 1, 2, 3, 1]);
    expect(N(R.resize([], [2]))).toEqual([0, 0]);
    expect(R.resize([1, 2], [0, 3]).shape).toEqual([0, 3]);
    refuses(() => R.resize([1, 2], [-1]), 'ERR_SHAPE');
  });

  it('repeat flattens without an axis; tile pads reps and shape', () => {
    expect(
      N(
        R.repeat(
          [
            [1, 2],
            [3, 4],
          ],
          2,
        ),
      ),
    ).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(
      N(
        R.repeat(
          [
            [1, 2],
            [3, 4],
          ],
          2,
          0,
        ),
      ),
    ).toEqual([
      [1, 2],
      [1, 2],
      [3, 4],
      [3, 4],
    ]);
    expect(
      N(
        R.repeat(
          [
            [1, 2],
            [3, 4],
          ],
          [1, 2],
          1,
        ),
      ),
    ).toEqual([
      [1, 2, 2],
      [3, 4, 4],
    ]);
    expect(
      N(
        R.repeat(
          [
            [1, 2],
            [3, 4],
          ],
          [0, 3],
          -2,
        ),
      ),
    ).toEqual([
      [3, 4],
      [3, 4],
      [3, 4],
    ]);
    expect(N(R.repeat(5, 3))).toEqual([5, 5, 5]);
    expect(N(R.repeat([1, 2], [2]))).toEqual([1, 1, 2, 2]);
    refuses(() => R.repeat([1, 2], [1, 2, 3]), 'ERR_SHAPE');
    refuses(() => R.repeat([[1, 2]], 2, 2), 'ERR_AXIS');
    expect(N(R.tile([0, 1, 2], 2))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(N(R.tile([0, 1, 2], [2, 2]))).toEqual([
      [0, 1, 2, 0, 1, 2],
      [0, 1, 2, 0, 1, 2],
    ]);
    expect(R.tile([0, 1, 2], [2, 1, 2]).shape).toEqual([2, 1, 6]);
    expect(
      N(
        R.tile(
          [
            [1, 2],
            [3, 4],
          ],
          2,
        ),
      ),
    ).toEqual([
      [1, 2, 1, 2],
      [3, 4, 3, 4],
    ]);
    expect(N(R.tile([1, 2, 3, 4], [4, 1]))).toEqual([
      [1, 2, 3, 4],
      [1, 2, 3, 4],
      [1, 2, 3, 4],
      [1, 2, 3, 4],
    ]);
    expect(
      N(
        R.flatten([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toEqual([1, 2, 3, 4]);
    expect(N(R.ravel(7))).toEqual([7]);
  });
});

describe('reference: indexing', () => {
  const v = R.arange(6); // [0..5]
  it('follows Python slice semantics, empty slices included', () => {
    expect(N(R.get(v, ':'))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(N(R.get(v, '1:3'))).toEqual([1, 2]);
    expect(N(R.get(v, '::2'))).toEqual([0, 2, 4]);
    expect(N(R.get(v, '-2:'))).toEqual([4, 5]);
    expect(N(R.get(v, '::-1'))).toEqual([5, 4, 3, 2, 1, 0]);
    expect(N(R.get(v, '5:1:-2'))).toEqual([5, 3]);
    expect(N(R.get(v, '4:1'))).toEqual([]);
    expect(N(R.get(v, '3:3'))).toEqual([]);
    expect(N(R.get(v, '10:'))).toEqual([]);
    expect(N(R.get(v, '-100:2'))).toEqual([0, 1]);
    expect(N(R.get(v, ':-1:-1'))).toEqual([]);
    expect(N(R.get(v, '-1::-2'))).toEqual([5, 3, 1]);
    expect(N(R.get(v, '1:100:4'))).toEqual([1, 5]);
    expect(N(R.get(v, '::-4'))).toEqual([5, 1]);
    expect(N(R.get(v, '-3:-1'))).toEqual([3, 4]);
    expect(N(R.get(v, '10::-3'))).toEqual([5, 2]);
    expect(N(R.get(v, '1::-1'))).toEqual([1, 0]);
  });

  it('drops integer axes, accepts negative integers, and keeps missing trailing axes', () => {
    const x = R.reshape(R.arange(24), [2, 3, 4]);
    expect(N(R.get(x, 1, -1, -1))).toBe(23);
    expect(R.get(x, 1, -1, -1).shape).toEqual([]);
    expect(N(R.get(x, 0, 1))).toEqual([4, 5, 6, 7]);
    expect(N(R.get(x, -1, '::2', 0))).toEqual([12, 20]);
    expect(R.get(x, ':', '1:1').shape).toEqual([2, 0, 4]);
    expect(N(R.get(x, 0, '::-1', '1:3'))).toEqual([
      [9, 10],
      [5, 6],
      [1, 2],
    ]);
    expect(R.get(x).shape).toEqual([2, 3, 4]);
    refuses(() => R.get(x, 2), 'ERR_INDEX');
    refuses(() => R.get(x, 0, -4), 'ERR_INDEX');
    refuses(() => R.get(x, 0, 0, 0, 0), 'ERR_INDEX');
    refuses(() => R.get(x, '1:2:3:4'), 'ERR_INDEX');
    refuses(() => R.get(x, 'a:b'), 'ERR_INDEX');
    refuses(() => R.get(x, '::0'), 'ERR_INDEX');
    refuses(() => R.get(x, 1.5), 'ERR_INDEX');
  });

  it('sets a selection with a broadcast value, leaving the input alone', () => {
    const x = A([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(N(R.set(x, [0], 9))).toEqual([
      [9, 9, 9],
      [4, 5, 6],
    ]);
    expect(N(R.set(x, [':', 1], [7, 8]))).toEqual([
      [1, 7, 3],
      [4, 8, 6],
    ]);
    expect(N(R.set(x, [':', '::2'], [[0], [1]]))).toEqual([
      [0, 2, 0],
      [1, 5, 1],
    ]);
    expect(N(R.set(x, [-1, -1], 0))).toEqual([
      [1, 2, 3],
      [4, 5, 0],
    ]);
    expect(N(R.set(x, ['1:1'], [1, 2, 3]))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(N(R.set(x, [0], [[7, 8, 9]]))).toEqual([
      [7, 8, 9],
      [4, 5, 6],
    ]); // leading 1s of the value drop
    expect(N(x)).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    refuses(() => R.set(x, [0], [1, 2]), 'ERR_SHAPE');
    refuses(() => R.set(x, [2], 1), 'ERR_INDEX');
  });
});

describe('reference: creation', () => {
  it('eye, identity, full, zeros, ones', () => {
    expect(N(R.eye(2))).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(N(R.eye(2, 3, 1))).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(N(R.eye(3, 2, -1))).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(N(R.eye(2, null, 5))).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(N(R.identity(3))).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(N(R.full([2, 1], 7))).toEqual([[7], [7]]);
    expect(N(R.full([], 7))).toBe(7);
    expect(N(R.zeros(3))).toEqual([0, 0, 0]);
    expect(N(R.ones([1, 2]))).toEqual([[1, 1]]);
  });

  it('arange, linspace, logspace', () => {
    expect(N(R.arange(4))).toEqual([0, 1, 2, 3]);
    expect(N(R.arange(2, 5))).toEqual([2, 3, 4]);
    expect(N(R.arange(5, 1, -2))).toEqual([5, 3]);
    expect(N(R.arange(0, 1, 0.25))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(R.arange(1, 2, 0.3).shape).toEqual([4]);
    expect(N(R.arange(3, 1))).toEqual([]);
    expect(N(R.arange(-1.5))).toEqual([]);
    expect(N(R.arange(2.5))).toEqual([0, 1, 2]);
    expect(N(R.linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(N(R.linspace(0, 1, 4, false))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(N(R.linspace(2, 3, 1))).toEqual([2]);
    expect(N(R.linspace(2, 3, 0))).toEqual([]);
    expect(R.linspace(0, 10).shape).toEqual([50]);
    expect(N(R.linspace(5, 5, 3))).toEqual([5, 5, 5]);
    expect(N(R.linspace(1, -1, 3))).toEqual([1, 0, -1]);
    expect(N(R.logspace(0, 2, 3))).toEqual([1, 10, 100]);
    expect(N(R.logspace(0, 3, 3, false, 2))).toEqual([1, 2, 4]);
    expect(R.logspace(0, 1).shape).toEqual([50]);
  });
});
