// NumPy's documented errors for each function SecureNumpy exposes (docs/securenumpy.md, § Error
// codes), table-driven: every invalid call runs at both parties, once on shapes every party knows
// (it must throw at the call at both) and once on another party's inputs whose shapes are still
// on their way (it must fail the same way, with the same code, at both).

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import { DEALER, type SA, type Snp } from './harness.js';

/** a: party 0's [[1, 2, 3], [4, 5, 6]]; b: party 1's [7, 8, 9]. */
type Call = (snp: Snp, a: SA, b: SA) => unknown;
/** [what is called, the code, what NumPy raises]. */
type Row = [string, Call, string, string];

const CREATION: Row[] = [
  ['zeros([-1])', (snp) => snp.zeros([-1]), 'ERR_SHAPE', 'ValueError: negative dimensions are not allowed'],
  ['ones([2, -3])', (snp) => snp.ones([2, -3]), 'ERR_SHAPE', 'ValueError: negative dimensions'],
  ['empty(-2)', (snp) => snp.empty(-2), 'ERR_SHAPE', 'ValueError: negative dimensions'],
  ['full([-1], 2)', (snp) => snp.full([-1], 2), 'ERR_SHAPE', 'ValueError: negative dimensions'],
  ['zeros([2.5])', (snp) => snp.zeros([2.5]), 'ERR_SHAPE', "TypeError: 'float' cannot be interpreted as an integer"],
  [
    'zeros([2], complex)',
    (snp) => snp.zeros([2], { dtype: 'complex' as never }),
    'ERR_DTYPE',
    'TypeError: data type not understood',
  ],
  ['eye(-1)', (snp) => snp.eye(-1), 'ERR_SHAPE', 'ValueError: negative dimensions'],
  ['eye(2, -1)', (snp) => snp.eye(2, -1), 'ERR_SHAPE', 'ValueError: negative dimensions'],
  ['identity(-3)', (snp) => snp.identity(-3), 'ERR_SHAPE', 'ValueError: negative dimensions'],
  ['arange(0, 5, 0)', (snp) => snp.arange(0, 5, 0), 'ERR_BAD_INPUT', 'ZeroDivisionError'],
  [
    'linspace(0, 1, -1)',
    (snp) => snp.linspace(0, 1, -1),
    'ERR_BAD_INPUT',
    'ValueError: number of samples must be non-negative',
  ],
  [
    'array(x, 0, float32)',
    (snp) => snp.array(snp.party === 0 ? [1] : null, 0, 'float32' as never),
    'ERR_DTYPE',
    'TypeError: data type not understood',
  ],
];

const MANIPULATION: Row[] = [
  [
    'a.reshape([4])',
    (_, a) => a.reshape([4]),
    'ERR_SHAPE',
    'ValueError: cannot reshape array of size 6 into shape (4,)',
  ],
  [
    'a.reshape([-1, -1])',
    (_, a) => a.reshape([-1, -1]),
    'ERR_SHAPE',
    'ValueError: can only specify one unknown dimension',
  ],
  ['a.reshape([-2, 3])', (_, a) => a.reshape([-2, 3]), 'ERR_SHAPE', 'ValueError: negative dimension'],
  ['a.reshape([4, -1])', (_, a) => a.reshape([4, -1]), 'ERR_SHAPE', 'ValueError: cannot reshape'],
  ['reshape(a, [7])', (snp, a) => snp.reshape(a, [7]), 'ERR_SHAPE', 'ValueError: cannot reshape'],
  ['a.flatten().reshape([5])', (_, a) => a.flatten().reshape([5]), 'ERR_SHAPE', 'ValueError: cannot reshape'],
  [
    'resize(a, [-1])',
    (snp, a) => snp.resize(a, [-1]),
    'ERR_SHAPE',
    'ValueError: all elements of `new_shape` must be non-negative',
  ],
  ['resize(a, [-10, -1])', (snp, a) => snp.resize(a, [-10, -1]), 'ERR_SHAPE', 'ValueError: non-negative'],
  ['resize(a, -1)', (snp, a) => snp.resize(a, -1), 'ERR_SHAPE', 'ValueError: non-negative'],
  ['a.transpose([0, 0])', (_, a) => a.transpose([0, 0]), 'ERR_AXIS', 'ValueError: repeated axis in transpose'],
  ['a.transpose([0, 2])', (_, a) => a.transpose([0, 2]), 'ERR_AXIS', 'AxisError: axis 2 is out of bounds'],
  ['a.transpose([0])', (_, a) => a.transpose([0]), 'ERR_AXIS', "ValueError: axes don't match array"],
  ['concatenate([])', (snp) => snp.concatenate([]), 'ERR_SHAPE', 'ValueError: need at least one array to concatenate'],
  [
    'concatenate([a, zeros([2])])',
    (snp, a) => snp.concatenate([a, snp.zeros([2])]),
    'ERR_SHAPE',
    'ValueError: same number of dimensions',
  ],
  ['concatenate([a, b])', (snp, a, b) => snp.concatenate([a, b]), 'ERR_SHAPE', 'ValueError: same number of dimensions'],
  ['concatenate([a, a], 2)', (snp, a) => snp.concatenate([a, a], 2), 'ERR_AXIS', 'AxisError'],
  [
    'concatenate of 0-d',
    (snp, _, b) => snp.concatenate([b.sum(), b.sum()]),
    'ERR_SHAPE',
    'ValueError: zero-dimensional arrays cannot be concatenated',
  ],
  [
    'stack([a, zeros([3, 2])])',
    (snp, a) => snp.stack([a, snp.zeros([3, 2])]),
    'ERR_SHAPE',
    'ValueError: all input arrays must have the same shape',
  ],
  ['stack([a, a], 3)', (snp, a) => snp.stack([a, a], 3), 'ERR_AXIS', 'AxisError'],
  ['stack([])', (snp) => snp.stack([]), 'ERR_SHAPE', 'ValueError: need at least one array to stack'],
  [
    'vstack(a)',
    (snp, a) => snp.vstack(a as never),
    'ERR_BAD_INPUT',
    'TypeError: arrays to stack must be passed as a sequence',
  ],
  ['vstack([])', (snp) => snp.vstack([]), 'ERR_SHAPE', 'ValueError: need at least one array'],
  [
    'vstack([a, b[0:2]])',
    (snp, a, b) => snp.vstack([a, b.get('0:2')]),
    'ERR_SHAPE',
    'ValueError: dimensions must match',
  ],
  ['hstack(a)', (snp, a) => snp.hstack(a as never), 'ERR_BAD_INPUT', 'TypeError'],
  ['hstack([])', (snp) => snp.hstack([]), 'ERR_SHAPE', 'ValueError'],
  ['column_stack(a)', (snp, a) => snp.column_stack(a as never), 'ERR_BAD_INPUT', 'TypeError'],
  ['row_stack([])', (snp) => snp.row_stack([]), 'ERR_SHAPE', 'ValueError'],
  ['repeat(a, -1)', (snp, a) => snp.repeat(a, -1), 'ERR_SHAPE', 'ValueError: negative dimensions'],
  [
    'repeat(a, [1, 2], 1)',
    (snp, a) => snp.repeat(a, [1, 2], 1),
    'ERR_SHAPE',
    'ValueError: operands could not be broadcast',
  ],
  ['repeat(a, 2, 2)', (snp, a) => snp.repeat(a, 2, 2), 'ERR_AXIS', 'AxisError'],
  ['tile(a, [-1])', (snp, a) => snp.tile(a, [-1]), 'ERR_SHAPE', 'ValueError: negative dimensions'],
];

const INDEXING: Row[] = [
  ['a.get(2)', (_, a) => a.get(2), 'ERR_INDEX', 'IndexError: index 2 is out of bounds for axis 0 with size 2'],
  ['a.get(-3)', (_, a) => a.get(-3), 'ERR_INDEX', 'IndexError'],
  ['a.get(0, 3)', (_, a) => a.get(0, 3), 'ERR_INDEX', 'IndexError'],
  ['a.get(0, 0, 0)', (_, a) => a.get(0, 0, 0), 'ERR_INDEX', 'IndexError: too many indices for array'],
  ['a.get(1.5)', (_, a) => a.get(1.5), 'ERR_INDEX', 'IndexError: only integers, slices … are valid indices'],
  ["a.get('::0')", (_, a) => a.get('::0'), 'ERR_INDEX', 'ValueError: slice step cannot be zero'],
  ["a.get('a:b')", (_, a) => a.get('a:b'), 'ERR_INDEX', 'SyntaxError (not a slice)'],
  ['b.get(3)', (_, _a, b) => b.get(3), 'ERR_INDEX', 'IndexError'],
  ['a.set([5], 1)', (_, a) => a.set([5], 1), 'ERR_INDEX', 'IndexError'],
  [
    "a.set(['0:1'], [1, 2])",
    (_, a) => a.set(['0:1'], [1, 2]),
    'ERR_SHAPE',
    'ValueError: could not broadcast input array from shape (2,) into shape (1,3)',
  ],
];

const MATH: Row[] = [
  ['a.add([1, 2])', (_, a) => a.add([1, 2]), 'ERR_SHAPE', 'ValueError: operands could not be broadcast together'],
  ['a.mul(b.get("0:2"))', (_, a, b) => a.mul(b.get('0:2')), 'ERR_SHAPE', 'ValueError: operands could not be broadcast'],
  [
    'a.sub(zeros([3, 3]))',
    (snp, a) => a.sub(snp.zeros([3, 3])),
    'ERR_SHAPE',
    'ValueError: operands could not be broadcast',
  ],
  ['a.lt(b.get("0:2"))', (_, a, b) => a.lt(b.get('0:2')), 'ERR_SHAPE', 'ValueError'],
  ['bool − bool', (_, a) => a.gt(0).sub(a.gt(1)), 'ERR_DTYPE', 'TypeError: numpy boolean subtract is not supported'],
  ['−bool', (_, a) => a.gt(0).neg(), 'ERR_DTYPE', 'TypeError: numpy boolean negative is not supported'],
  ['float and bool', (_, a) => a.and(true), 'ERR_DTYPE', "TypeError: ufunc 'bitwise_and' not supported"],
  ['a.astype(float32)', (_, a) => a.astype('float32' as never), 'ERR_DTYPE', 'TypeError: data type not understood'],
  [
    'where(a > 0, [1, 2], 0)',
    (snp, a) => snp.where(a.gt(0), [1, 2], 0),
    'ERR_SHAPE',
    'ValueError: operands could not be broadcast',
  ],
  [
    'clip(a, null, null)',
    (snp, a) => snp.clip(a, null, null),
    'ERR_BAD_INPUT',
    'ValueError: one of max or min must be given',
  ],
  ['a.matmul(a)', (_, a) => a.matmul(a), 'ERR_SHAPE', 'ValueError: matmul: mismatch in its core dimension'],
  [
    'matmul(a, 2)',
    (snp, a) => snp.matmul(a, 2),
    'ERR_SHAPE',
    'ValueError: matmul: operand does not have enough dimensions',
  ],
  ['matmul(a, [1, 2])', (snp, a) => snp.matmul(a, [1, 2]), 'ERR_SHAPE', 'ValueError: matmul: mismatch'],
  ['dot(a, a)', (snp, a) => snp.dot(a, a), 'ERR_SHAPE', 'ValueError: shapes not aligned'],
  ['dot(b, a)', (snp, a, b) => snp.dot(b, a), 'ERR_SHAPE', 'ValueError: shapes not aligned'],
  ['inner(a, [1, 2])', (snp, a) => snp.inner(a, [1, 2]), 'ERR_SHAPE', 'ValueError: shapes not aligned'],
];

const REDUCTIONS: Row[] = [
  ['a.sum(2)', (_, a) => a.sum(2), 'ERR_AXIS', 'AxisError: axis 2 is out of bounds for array of dimension 2'],
  ['a.sum(-3)', (_, a) => a.sum(-3), 'ERR_AXIS', 'AxisError'],
  ['a.prod(2)', (_, a) => a.prod(2), 'ERR_AXIS', 'AxisError'],
  ['a.mean(5)', (_, a) => a.mean(5), 'ERR_AXIS', 'AxisError'],
  ['a.cumsum(2)', (_, a) => a.cumsum(2), 'ERR_AXIS', 'AxisError'],
  ['a.max(2)', (_, a) => a.max(2), 'ERR_AXIS', 'AxisError'],
  ['a.min(-3)', (_, a) => a.min(-3), 'ERR_AXIS', 'AxisError'],
  ['max(a, [0, -2])', (snp, a) => snp.max(a, [0, -2] as never), 'ERR_AXIS', "ValueError: duplicate value in 'axis'"],
  ['a.argmax(2)', (_, a) => a.argmax(2), 'ERR_AXIS', 'AxisError'],
  ['b.argmin(1)', (_, _a, b) => b.argmin(1), 'ERR_AXIS', 'AxisError'],
  ['ptp(a, 2)', (snp, a) => snp.ptp(a, 2), 'ERR_AXIS', 'AxisError'],
  ['var(a, 2)', (snp, a) => snp.var(a, 2), 'ERR_AXIS', 'AxisError'],
  ['std(a, -3)', (snp, a) => snp.std(a, -3), 'ERR_AXIS', 'AxisError'],
  ['softmax(a, 2)', (snp, a) => snp.softmax(a, 2), 'ERR_AXIS', 'AxisError (scipy.special.softmax)'],
  ['sort(a, 2)', (snp, a) => snp.sort(a, 2), 'ERR_AXIS', 'AxisError'],
  ['argsort(a, -3)', (snp, a) => snp.argsort(a, -3), 'ERR_AXIS', 'AxisError'],
  [
    'sort of 0-d',
    (snp, _, b) => snp.sort(b.sum()),
    'ERR_AXIS',
    'AxisError: axis -1 is out of bounds for array of dimension 0',
  ],
  ['median(a, 2)', (snp, a) => snp.median(a, 2), 'ERR_AXIS', 'AxisError'],
  ['percentile(a, 50, 2)', (snp, a) => snp.percentile(a, 50, 2), 'ERR_AXIS', 'AxisError'],
  [
    'percentile(a, 101)',
    (snp, a) => snp.percentile(a, 101),
    'ERR_BAD_INPUT',
    'ValueError: Percentiles must be in the range [0, 100]',
  ],
  [
    'percentile(a, -1)',
    (snp, a) => snp.percentile(a, -1),
    'ERR_BAD_INPUT',
    'ValueError: Percentiles must be in the range',
  ],
  [
    'max of empty',
    (snp, a) => snp.max(a.get('0:0')),
    'ERR_SHAPE',
    'ValueError: zero-size array to reduction operation maximum',
  ],
  [
    'argmax of empty',
    (snp, a) => snp.argmax(a.get(':', '0:0'), 1),
    'ERR_SHAPE',
    'ValueError: attempt to get argmax of an empty sequence',
  ],
  [
    'average(a, 1, [1, 2])',
    (snp, a) => snp.average(a, 1, [1, 2]),
    'ERR_SHAPE',
    'ValueError: Length of weights not compatible with specified axis',
  ],
  [
    'average(a, undefined, [1, 2, 3])',
    (snp, a) => snp.average(a, undefined, [1, 2, 3]),
    'ERR_SHAPE',
    'TypeError: Axis must be specified when shapes of a and weights differ',
  ],
  [
    'average(a, 0, [0, 0])',
    (snp, a) => snp.average(a, 0, [0, 0]),
    'ERR_BAD_INPUT',
    'ZeroDivisionError: Weights sum to zero',
  ],
];

interface Outcome {
  label: string;
  /** 'throws' at the call, 'rejects' when evaluated, 'ok' when nothing failed. */
  how: string;
  code: string;
}

/** Runs every row at both parties; `known`: inputs with shape hints (every shape settled). */
async function outcomes(rows: readonly Row[], known: boolean): Promise<Outcome[][]> {
  return (await runLocal(
    2,
    async (snp: Snp, party: number) => {
      const out: Outcome[] = [];
      for (const [label, call] of rows) {
        // Fresh inputs per row (set replaces its array's contents).
        const a = snp.array(
          party === 0
            ? [
                [1, 2, 3],
                [4, 5, 6],
              ]
            : null,
          0,
          'float64',
          known ? { shape: [2, 3] } : {},
        );
        const b = snp.array(party === 1 ? [7, 8, 9] : null, 1, 'float64', known ? { shape: [3] } : {});
        let r: unknown;
        try {
          r = call(snp, a, b);
        } catch (e) {
          out.push({ label, how: 'throws', code: (e as { code?: string }).code ?? 'uncoded' });
          continue;
        }
        try {
          await (r as SA).revealTo(0);
          out.push({ label, how: 'ok', code: '' });
        } catch (e) {
          out.push({ label, how: 'rejects', code: (e as { code?: string }).code ?? 'uncoded' });
        }
      }
      return out;
    },
    DEALER,
  )) as Outcome[][];
}

const TABLES: [string, Row[]][] = [
  ['creation', CREATION],
  ['manipulation', MANIPULATION],
  ['indexing', INDEXING],
  ['math and linear algebra', MATH],
  ['reductions, sorting and statistics', REDUCTIONS],
];

describe.each(TABLES)('NumPy errors: %s', (_, rows) => {
  it('throw at the call with the same code at both parties when every shape is known', async () => {
    const [o0, o1] = await outcomes(rows, true);
    expect(o1).toEqual(o0);
    expect(o0).toEqual(rows.map(([label, , code]) => ({ label, how: 'throws', code })));
  });

  it("fail with the same code, the same way, at both parties on another party's pending shapes", async () => {
    const [o0, o1] = await outcomes(rows, false);
    expect(o1).toEqual(o0);
    expect(o0!.map(({ label, code }) => ({ label, code }))).toEqual(rows.map(([label, , code]) => ({ label, code })));
  });
});
