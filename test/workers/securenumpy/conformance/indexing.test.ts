// Checks SecureNumpy's basic indexing against NumPy: integers and Python slice strings (empty, negative steps), 0-d results, in-place set.

import { describe, expect, it } from 'vitest';
import {
  type Case,
  close,
  exact,
  input,
  pick,
  publicNd,
  randArr,
  randInt,
  randShape,
  reveal0,
  rng,
  runCases,
  type Snp,
  U,
} from './harness.js';
import * as R from './reference.js';

const HALF_U = U / 2;

/** A random valid index list for `shape`: integers (negative too) and slices (empty ones too). */
function randIndex(r: () => number, shape: readonly number[]): R.Index[] {
  return shape.slice(0, randInt(r, 0, shape.length)).map((n) => {
    if (r() < 0.35) return randInt(r, -n, n - 1);
    const part = () => (r() < 0.35 ? '' : String(randInt(r, -n - 2, n + 2)));
    const parts = [part(), part()];
    if (r() < 0.5) parts.push(r() < 0.3 ? '' : String(pick(r, [-3, -2, -1, 1, 2, 3])));
    return parts.join(':');
  });
}

const fmt = (idx: readonly R.Index[]) => idx.map((i) => (typeof i === 'string' ? `'${i}'` : String(i))).join(', ');

describe('indexing: get', () => {
  it('the slice forms of the contract on a 1-D array, empty slices included', async () => {
    const v = randArr(rng(601), [6]);
    const slices = [
      ':',
      '1:3',
      '::2',
      '-2:',
      '::-1',
      '5:1:-2',
      '3:3',
      '4:1',
      '10:',
      '-100:2',
      ':-1:-1',
      '-1::-2',
      '1:100:4',
      '10::-3',
      '1::-1',
      '-3:-1',
      '0:0',
    ];
    await runCases(
      slices.map((s, i) =>
        close(
          `[6].get('${s}')`,
          (snp, p) => input(snp, p, i % 2, v, 'float64', i % 3 === 0).get(s),
          R.get(v, s),
          HALF_U,
        ),
      ),
    );
  });

  it('random integer and slice indices on 1-D to 3-D arrays', async () => {
    const r = rng(602);
    const cases: Case[] = [];
    for (let i = 0; i < 24; i++) {
      const x = randArr(r, randShape(r, 1, 3, 5));
      const idx = randIndex(r, x.shape);
      cases.push(
        close(
          `[${x.shape}].get(${fmt(idx)})`,
          (snp, p) => input(snp, p, i % 2, x, 'float64', i % 2 === 0).get(...idx),
          R.get(x, ...idx),
          HALF_U,
        ),
      );
    }
    await runCases(cases);
  });

  it('all-integer indices give a 0-d result whose toArray() is a plain number', async () => {
    const x = R.fromNested([
      [
        [1.5, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, -8.25],
      ],
    ]);
    const [a, b, c] = await reveal0((snp, p) => {
      const X = input(snp, p, 1, x);
      return [X.get(-1, -1, -1).revealTo(0), X.get(0, 1, 0).revealTo(0), X.get(1, 0).revealTo(0)];
    });
    expect(a!.shape).toEqual([]);
    expect(a!.toArray()).toBe(-8.25);
    expect(b!.toArray()).toBe(3);
    expect(c!.toArray()).toEqual([5, 6]);
  });

  it('indexing a result of arithmetic, and get on a get', async () => {
    const r = rng(603);
    const x = randArr(r, [3, 4]);
    const y = randArr(r, [4]);
    await runCases([
      close(
        '(x + y).get(1, "::-1")',
        (snp, p) =>
          input(snp, p, 0, x)
            .add(input(snp, p, 1, y))
            .get(1, '::-1'),
        R.get(R.add(x, y), 1, '::-1'),
        U,
      ),
      close(
        'x.get(":", "1:").get("::2")',
        (snp, p) => input(snp, p, 0, x).get(':', '1:').get('::2'),
        R.get(R.get(x, ':', '1:'), '::2'),
        HALF_U,
      ),
      close('x.T.get(-1)', (snp, p) => input(snp, p, 1, x).T.get(-1), R.get(R.transpose(x), -1), HALF_U),
    ]);
  });
});

describe('indexing: set', () => {
  it('set with secret and public values, broadcast to the selection; set returns the array', async () => {
    const r = rng(604);
    const cases: Case[] = [];
    for (let i = 0; i < 12; i++) {
      const x = randArr(r, randShape(r, 1, 3, 4));
      const idx = randIndex(r, x.shape);
      const sel = R.get(x, ...idx).shape;
      const vShape = sel.slice(randInt(r, 0, sel.length)).map((d) => (r() < 0.3 ? 1 : d));
      const v = randArr(r, vShape);
      const kind = pick(r, ['secret', 'nested', 'NDArray', 'number'] as const);
      const value = kind === 'number' ? R.scalar(v.data[0] ?? 1) : v;
      const want = R.set(x, idx, value);
      cases.push(
        close(
          `[${x.shape}].set([${fmt(idx)}], ${kind} [${value.shape}])`,
          (snp, p) => {
            const X = input(snp, p, i % 2, x, 'float64', true);
            const val =
              kind === 'secret'
                ? input(snp, p, 1 - (i % 2), value)
                : kind === 'nested'
                  ? R.toNested(value)
                  : kind === 'NDArray'
                    ? publicNd(value)
                    : value.data[0]!;
            return X.set(idx, val);
          },
          want,
          HALF_U,
        ),
      );
    }
    await runCases(cases);
  });

  it('set is in place, as NumPy: operations issued before it see the old values, later ones the new', async () => {
    const x = R.fromNested([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const out = await reveal0((snp, p) => {
      const X = input(snp, p, 0, x);
      const before = X.mul(1);
      const same = X.set([':', 1], input(snp, p, 1, R.fromNested([10, 20])));
      const after = X.mul(1);
      X.set([0, '::2'], -1);
      return [before.revealTo(0), after.revealTo(0), X.revealTo(0), same.revealTo(0)];
    });
    expect(out[0]!.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(out[1]!.toArray()).toEqual([
      [1, 10, 3],
      [4, 20, 6],
    ]);
    expect(out[2]!.toArray()).toEqual([
      [-1, 10, -1],
      [4, 20, 6],
    ]);
    expect(out[3]!.toArray()).toEqual([
      [-1, 10, -1],
      [4, 20, 6],
    ]);
  });

  it('set into int64 and bool arrays stays exact', async () => {
    const xi = R.fromNested([
      [1, 2],
      [3, 4],
    ]);
    const xb = R.fromNested([1, 0, 1, 0]);
    await runCases([
      exact(
        'int64 set row',
        (snp, p) => input(snp, p, 0, xi, 'int64').set([1], [7, -7]),
        R.set(xi, [1], [7, -7]),
        'int64',
      ),
      exact(
        'bool set slice',
        (snp, p) => input(snp, p, 1, xb, 'bool').set(['1::2'], true),
        R.set(xb, ['1::2'], 1),
        'bool',
      ),
    ]);
  });
});

describe('indexing: shapes at the non-owner', () => {
  it('get on an input whose shape is still pending at the non-owner', async () => {
    const x = randArr(rng(605), [4, 3]);
    await runCases([
      close(
        'pending [4,3].get(-1, "::-1")',
        (snp: Snp, p) => input(snp, p, 0, x, 'float64', false).get(-1, '::-1'),
        R.get(x, -1, '::-1'),
        HALF_U,
      ),
    ]);
  });
});
