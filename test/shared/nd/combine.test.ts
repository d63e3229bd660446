// concatenate, stack, tile, repeat and resize against NumPy results written out by hand.

import { describe, expect, it } from 'vitest';
import {
  concatenateSources,
  repeatPositions,
  resizePositions,
  stackSources,
  tilePositions,
} from '../../../shared/nd/combine.js';

const a = [0, 1, 2, 3, 4, 5]; // shape (2, 3)
const b = [10, 11, 12]; // shape (1, 3)
const pick = (inputs: number[][], s: { input: Uint32Array; position: Float64Array }) =>
  Array.from(s.position, (p, k) => inputs[s.input[k]!]![p]);

describe('joining', () => {
  it('concatenates along axis 0 and 1', () => {
    const c0 = concatenateSources(
      [
        [2, 3],
        [1, 3],
      ],
      0,
    );
    expect(c0.shape).toEqual([3, 3]);
    expect(pick([a, b], c0)).toEqual([0, 1, 2, 3, 4, 5, 10, 11, 12]);
    const c1 = concatenateSources(
      [
        [2, 3],
        [2, 1],
      ],
      -1,
    );
    expect(c1.shape).toEqual([2, 4]);
    expect(pick([a, [20, 21]], c1)).toEqual([0, 1, 2, 20, 3, 4, 5, 21]);
  });

  it('refuses mismatched shapes and bad axes', () => {
    expect(() =>
      concatenateSources(
        [
          [2, 3],
          [2, 2],
        ],
        0,
      ),
    ).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
    expect(() =>
      concatenateSources(
        [
          [2, 3],
          [2, 3],
        ],
        2,
      ),
    ).toThrow(expect.objectContaining({ code: 'ERR_AXIS' }));
    expect(() => concatenateSources([], 0)).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
  });

  it('stacks along a new axis (np.stack([x, y], axis=1))', () => {
    const s = stackSources([[3], [3]], 1);
    expect(s.shape).toEqual([3, 2]);
    expect(
      pick(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        s,
      ),
    ).toEqual([1, 4, 2, 5, 3, 6]);
    expect(() => stackSources([[3], [2]])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
  });
});

describe('repeating', () => {
  it('tiles (np.tile(a, (2, 2)) and np.tile([1, 2], 2))', () => {
    const t = tilePositions([2, 3], [2, 2]);
    expect(t.shape).toEqual([4, 6]);
    expect(Array.from(t.positions, (p) => a[p])).toEqual([
      0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5,
    ]);
    const t1 = tilePositions([2], [2]);
    expect(Array.from(t1.positions)).toEqual([0, 1, 0, 1]);
    expect(tilePositions([2], [2, 1]).shape).toEqual([2, 2]);
  });

  it('repeats elements (np.repeat(a, 2) and np.repeat(a, 2, axis=0))', () => {
    expect(Array.from(repeatPositions([2, 3], 2).positions, (p) => a[p])).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    const r0 = repeatPositions([2, 3], 2, 0);
    expect(r0.shape).toEqual([4, 3]);
    expect(Array.from(r0.positions, (p) => a[p])).toEqual([0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
    const r1 = repeatPositions([2, 3], 2, 1);
    expect(Array.from(r1.positions, (p) => a[p])).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(() => repeatPositions([2], -1)).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
  });

  it('resizes cyclically (np.resize(a, (3, 3)))', () => {
    expect(Array.from(resizePositions([2, 3], [3, 3]).positions, (p) => a[p])).toEqual([0, 1, 2, 3, 4, 5, 0, 1, 2]);
    expect(() => resizePositions([0], [2])).toThrow(expect.objectContaining({ code: 'ERR_SHAPE' }));
  });
});
