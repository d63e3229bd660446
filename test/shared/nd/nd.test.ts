// NumPy shape semantics on flat arrays: broadcasting, axes, reshape with -1, basic indexing with
// negative integers and stepped slices (against Python's rules, written out), transpose, and
// gather/scatter, checked against naive nested-array references on random shapes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  broadcastShapes,
  normalizeAxes,
  normalizeAxis,
  resolveReshape,
  sizeOf,
  stridesOf,
} from '../../../shared/nd/shape.js';
import { parseSlice, resolveIndex, selectionShape } from '../../../shared/nd/slice.js';
import {
  broadcastPositions,
  gather,
  scatter,
  selectionPositions,
  transposePositions,
} from '../../../shared/nd/strided.js';

const range = (n: number) => Float64Array.from({ length: n }, (_, i) => i);
/** Python's range(start, stop, step) semantics for a slice, computed the slow way. */
function pySlice(n: number, start: number | undefined, stop: number | undefined, step = 1): number[] {
  const norm = (v: number | undefined, dflt: number) => (v === undefined ? dflt : v < 0 ? v + n : v);
  const out: number[] = [];
  if (step > 0) {
    const s = Math.max(0, Math.min(n, norm(start, 0)));
    const e = Math.max(0, Math.min(n, norm(stop, n)));
    for (let i = s; i < e; i += step) out.push(i);
  } else {
    const s = Math.max(-1, Math.min(n - 1, norm(start, n - 1)));
    const e = stop === undefined ? -1 : Math.max(-1, Math.min(n - 1, norm(stop, -1)));
    for (let i = s; i > e; i += step) out.push(i);
  }
  return out;
}

describe('shapes', () => {
  it('computes sizes and row-major strides', () => {
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([3, 0])).toBe(0);
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
  });

  it('broadcasts as NumPy does, and refuses what NumPy refuses', () => {
    expect(broadcastShapes([3, 1], [1, 4])).toEqual([3, 4]);
    expect(broadcastShapes([5, 1, 3], [4, 1], [3])).toEqual([5, 4, 3]);
    expect(broadcastShapes([], [2, 2])).toEqual([2, 2]);
    expect(broadcastShapes([0], [1])).toEqual([0]);
    expect(() => broadcastShapes([3], [4])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
  });

  it('normalises axes and refuses out-of-range or repeated ones', () => {
    expect(normalizeAxis(-1, 3)).toBe(2);
    expect(normalizeAxes(null, 2)).toEqual([0, 1]);
    expect(() => normalizeAxis(3, 3)).toThrow(expect.objectContaining({ code: 'ERR_AXIS' }));
    expect(() => normalizeAxis(-4, 3)).toThrow(expect.objectContaining({ code: 'ERR_AXIS' }));
    expect(() => normalizeAxes([0, -2], 2)).toThrow(expect.objectContaining({ code: 'ERR_AXIS' }));
  });

  it('infers one -1 in reshape', () => {
    expect(resolveReshape(12, [3, -1])).toEqual([3, 4]);
    expect(resolveReshape(0, [0, -1])).toEqual([0, 0]);
    expect(() => resolveReshape(12, [5, -1])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
    expect(() => resolveReshape(12, [-1, -1])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
    expect(() => resolveReshape(12, [2, 2])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
  });
});

describe('basic indexing', () => {
  it('parses slices with Python semantics for every start, stop and step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined }),
        fc.option(fc.integer({ min: -15, max: 15 }), { nil: undefined }),
        fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0),
        (n, start, stop, step) => {
          const text = `${start ?? ''}:${stop ?? ''}:${step}`;
          const sel = parseSlice(text, n);
          const got = Array.from({ length: sel.count }, (_, k) => sel.start + k * sel.step);
          expect(got).toEqual(pySlice(n, start, stop, step));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses malformed slices, zero steps and out-of-range integers', () => {
    expect(() => parseSlice('1:2:0', 5)).toThrow(expect.objectContaining({ code: 'ERR_INDEX' }));
    expect(() => parseSlice('a:b', 5)).toThrow(expect.objectContaining({ code: 'ERR_INDEX' }));
    expect(() => parseSlice('3', 5)).toThrow(expect.objectContaining({ code: 'ERR_INDEX' }));
    expect(() => resolveIndex([3], [3])).toThrow(expect.objectContaining({ code: 'ERR_INDEX' }));
    expect(() => resolveIndex([3], [-4])).toThrow(expect.objectContaining({ code: 'ERR_INDEX' }));
    expect(() => resolveIndex([3], [0, 0])).toThrow(expect.objectContaining({ code: 'ERR_INDEX' }));
  });

  it('selects like x[1, ::-1] and x[-1:, 1:3] on a 2-D array', () => {
    const x = range(12); // [[0..3],[4..7],[8..11]]
    const s1 = resolveIndex([3, 4], [1, '::-1']);
    expect(selectionShape(s1)).toEqual([4]);
    expect([...gather(x, selectionPositions([3, 4], s1), (n) => new Float64Array(n))]).toEqual([7, 6, 5, 4]);
    const s2 = resolveIndex([3, 4], ['-1:', '1:3']);
    expect(selectionShape(s2)).toEqual([1, 2]);
    expect([...gather(x, selectionPositions([3, 4], s2), (n) => new Float64Array(n))]).toEqual([9, 10]);
    const empty = resolveIndex([3, 4], ['2:1']);
    expect(selectionShape(empty)).toEqual([0, 4]);
    expect(selectionPositions([3, 4], empty)).toHaveLength(0);
  });

  it('scatters into a selection (x[:, 0] = ...)', () => {
    const x = range(6);
    scatter(x, selectionPositions([2, 3], resolveIndex([2, 3], [':', 0])), Float64Array.of(-1, -2));
    expect([...x]).toEqual([-1, 1, 2, -2, 4, 5]);
    expect(() => scatter(x, Float64Array.of(0, 1), Float64Array.of(1))).toThrow(
      expect.objectContaining({ code: 'ERR_SHAPE' }),
    );
  });
});

describe('transpose and broadcast', () => {
  const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });

  it('transposes like numpy.transpose for random shapes and permutations', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer(), (shape, seed) => {
        const nd = shape.length;
        const perm = Array.from({ length: nd }, (_, i) => i).sort(
          (a, b) => ((a * 7919 + seed) % 13) - ((b * 7919 + seed) % 13),
        );
        const { shape: out, positions } = transposePositions(shape, perm);
        expect(out).toEqual(perm.map((a) => shape[a]));
        // result[i0..] = source[j] where j_a = i_k for perm[k] = a
        const st = stridesOf(shape);
        const ost = stridesOf(out);
        for (let k = 0; k < positions.length; k++) {
          const i = ost.map((s, d) => Math.floor(k / s) % out[d]!);
          const src = perm.reduce((acc, a, kk) => acc + i[kk]! * st[a]!, 0);
          expect(positions[k]).toBe(src);
        }
      }),
    );
  });

  it('reverses axes by default and refuses non-permutations', () => {
    expect(transposePositions([2, 3]).shape).toEqual([3, 2]);
    expect([...transposePositions([2, 3]).positions]).toEqual([0, 3, 1, 4, 2, 5]);
    expect(() => transposePositions([2, 3], [0, 0])).toThrow(expect.objectContaining({ code: 'ERR_AXIS' }));
  });

  it('reads the right source element when broadcasting', () => {
    fc.assert(
      fc.property(
        shapeArb,
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 2 }),
        (target, ones, lead) => {
          const shape = target.slice(Math.min(lead, target.length - 1)).map((d, i) => (ones[i] ? 1 : d));
          const pos = broadcastPositions(shape, target);
          const st = stridesOf(shape);
          const tst = stridesOf(target);
          const off = target.length - shape.length;
          for (let k = 0; k < pos.length; k++) {
            const i = tst.map((s, d) => Math.floor(k / s) % target[d]!);
            const src = shape.reduce((acc, d, j) => acc + (d === 1 ? 0 : i[j + off]!) * st[j]!, 0);
            expect(pos[k]).toBe(src);
          }
        },
      ),
    );
    expect(() => broadcastPositions([3], [4])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
  });

  it('gathers shares (BigUint64Array) the same way as plaintext', () => {
    const shares = BigUint64Array.from([10n, 20n, 30n, 40n, 50n, 60n]);
    const { positions } = transposePositions([2, 3]);
    expect([...gather(shares, positions, (n) => new BigUint64Array(n))]).toEqual([10n, 40n, 20n, 50n, 30n, 60n]);
  });
});

describe('reductions', () => {
  it('sums over any axes as numpy.sum does', async () => {
    const { reductionPositions, reduceGroups } = await import('../../../shared/nd/strided.js');
    const x = range(24); // shape (2, 3, 4)
    const sum = (axes: number[]) => {
      const r = reductionPositions([2, 3, 4], axes);
      return {
        shape: r.outShape,
        data: [
          ...reduceGroups<Float64Array, number>(
            x,
            r,
            (n) => new Float64Array(n),
            0,
            (a, b) => a + b,
          ),
        ],
      };
    };
    expect(sum([0])).toEqual({ shape: [3, 4], data: [12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34] });
    expect(sum([1])).toEqual({ shape: [2, 4], data: [12, 15, 18, 21, 48, 51, 54, 57] });
    expect(sum([-1])).toEqual({ shape: [2, 3], data: [6, 22, 38, 54, 70, 86] });
    expect(sum([0, 2])).toEqual({ shape: [3], data: [60, 92, 124] });
    expect(sum([0, 1, 2])).toEqual({ shape: [], data: [276] });
    const shares = BigUint64Array.from([1n, 2n ** 64n - 1n, 5n, 7n]);
    const r = reductionPositions([2, 2], [1]);
    expect([
      ...reduceGroups<BigUint64Array, bigint>(
        shares,
        r,
        (n) => new BigUint64Array(n),
        0n,
        (a, b) => BigInt.asUintN(64, a + b),
      ),
    ]).toEqual([0n, 12n]);
  });
});
