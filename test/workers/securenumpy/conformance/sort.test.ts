// Oblivious sort, argsort, median and percentile against the NumPy reference: random 1-D to 3-D
// arrays along every axis (negative and null), duplicates, negatives, all-equal, lengths 0, 1
// and non-powers of two, int64 and bool; argsort is stable and reproduces the sorted values; the
// sorting network sorts every 0/1 input (so every input); costs per call; and no leakage: the
// messages a party receives during a sort have the same sizes and count for different inputs.

import { describe, expect, it } from 'vitest';
import { sortingNetwork } from '../../../../workers/securenumpy/ops-sort.js';
import { receivedByParty1 } from '../../../helpers/transcript.js';
import {
  type Case,
  close,
  dealerIn,
  exact,
  expectCode,
  input,
  pick,
  RINGS,
  type Rng,
  randInt,
  reveal0,
  rng,
  runCases,
  type Snp,
  toRef,
  U,
} from './harness.js';
import * as R from './reference.js';
import * as S from './reference-sort.js';

/** Values with many ties: multiples of the fixed-point unit, so sorting is exact. */
const POOL = [0, 1, -1, 2, -2, 0.5, -0.5, U, -U, 3.25, -3.25, 100, -100, 32767, -32767];
const randVals = (r: Rng, shape: readonly number[]): R.Arr => ({
  shape: [...shape],
  data: Array.from({ length: R.sizeOf(shape) }, () =>
    r() < 0.5 ? pick(r, POOL) : Math.round(((r() - 0.5) * 2e4) / U) * U,
  ),
});
const randShape = (r: Rng, nd: number): number[] => Array.from({ length: nd }, () => randInt(r, 1, 7));
const axesOf = (nd: number): (number | null)[] => [
  null,
  ...Array.from({ length: nd }, (_, i) => i),
  ...Array.from({ length: nd }, (_, i) => -1 - i),
];

describe('the sorting network', () => {
  it('sorts every 0/1 input for n ≤ 14 (so every input, by the 0-1 principle), in layers of disjoint comparators', () => {
    for (let n = 0; n <= 14; n++) {
      const net = sortingNetwork(n);
      for (const layer of net.layers) {
        const wires = new Set(layer);
        expect(wires.size, `n=${n}: disjoint`).toBe(layer.length);
        for (let q = 0; q < layer.length; q += 2) expect(layer[q]! < layer[q + 1]! && layer[q + 1]! < n).toBe(true);
      }
      for (let mask = 0; mask < 2 ** n; mask++) {
        const x = Array.from({ length: n }, (_, i) => (mask >> i) & 1);
        for (const l of net.layers)
          for (let q = 0; q < l.length; q += 2)
            if (x[l[q + 1]!]! < x[l[q]!]!) [x[l[q]!], x[l[q + 1]!]] = [x[l[q + 1]!]!, x[l[q]!]!];
        expect(
          x.every((v, i) => i === 0 || x[i - 1]! <= v),
          `n=${n} mask=${mask}`,
        ).toBe(true);
      }
    }
    expect([1000, 10000].map((n) => [sortingNetwork(n).layers.length, sortingNetwork(n).comparators])).toEqual([
      [55, 23521],
      [105, 456229],
    ]);
  });
});

describe.each(RINGS)('sort and argsort, ring %i (dealer)', (ring) => {
  // Per layer: the sign test (7 rounds, 12 AND words per comparator; 8 and 27 in ring 128), B2A, selection.
  const [rounds, words] = ring === 64 ? [9, 12] : [10, 27];

  it('match NumPy along every axis (negative, null) of random 1-D to 3-D arrays, with ties', async () => {
    const r = rng(4242);
    const cases: Case[] = [];
    for (let nd = 1; nd <= 3; nd++) {
      for (let rep = 0; rep < 2; rep++) {
        const x = randVals(r, randShape(r, nd));
        for (const axis of axesOf(nd)) {
          const l = `${nd}-D (${x.shape}) axis ${axis}`;
          cases.push(exact(`sort ${l}`, (snp, p) => snp.sort(input(snp, p, 0, x), axis), S.sort(x, axis), 'float64'));
          cases.push(
            exact(`argsort ${l}`, (snp, p) => snp.argsort(input(snp, p, 1, x), axis), S.argsort(x, axis), 'int64'),
          );
        }
      }
    }
    // Default axis −1, the method, and the { axis } keyword.
    const x = randVals(r, [3, 5]);
    cases.push(exact('sort default axis', (snp, p) => snp.sort(input(snp, p, 0, x)), S.sort(x, -1)));
    cases.push(exact('argsort method', (snp, p) => input(snp, p, 0, x).argsort(), S.argsort(x, -1)));
    cases.push(exact('argsort method axis 0', (snp, p) => input(snp, p, 0, x).argsort(0), S.argsort(x, 0)));
    cases.push(
      exact('sort { axis: null }', (snp, p) => snp.sort(input(snp, p, 0, x), { axis: null }), S.sort(x, null)),
    );
    await runCases(cases, dealerIn(ring));
  });

  it('handle all-equal values, lengths 0 and 1, non-powers of two, int64 (large and negative) and bool', async () => {
    const r = rng(77);
    const cases: Case[] = [];
    const add = (
      label: string,
      x: R.Arr,
      dtype: 'float64' | 'int64' | 'bool' = 'float64',
      axis: number | null = -1,
    ) => {
      cases.push(
        exact(`sort ${label}`, (snp, p) => snp.sort(input(snp, p, 0, x, dtype), axis), S.sort(x, axis), dtype),
      );
      cases.push(
        exact(
          `argsort ${label}`,
          (snp, p) => snp.argsort(input(snp, p, 1, x, dtype), axis),
          S.argsort(x, axis),
          'int64',
        ),
      );
    };
    add('all equal', { shape: [9], data: Array(9).fill(-3.25) });
    add('length 1', { shape: [1], data: [7] });
    add('length 1 along axis 0', { shape: [1, 4], data: [4, 3, 2, 1] }, 'float64', 0);
    add('length 0', { shape: [0], data: [] });
    add('length 0 along axis 0', { shape: [3, 0], data: [] }, 'float64', 0);
    add('length 0 in 2-D', { shape: [3, 0], data: [] });
    for (const n of [2, 3, 5, 6, 7, 9, 13, 17, 33]) add(`n = ${n}`, randVals(r, [n]));
    add('descending', { shape: [12], data: Array.from({ length: 12 }, (_, i) => 12 - i) });
    const big = 2 ** 53 - 1;
    add(
      'int64',
      { shape: [2, 8], data: [big, -big, 0, 5, -5, 5, big - 1, -(big - 1), 3, 3, 3, -1, 0, 2 ** 40, -(2 ** 40), 1] },
      'int64',
    );
    add('int64 flattened', { shape: [2, 8], data: Array.from({ length: 16 }, () => randInt(r, -3, 3)) }, 'int64', null);
    add('bool', { shape: [3, 7], data: Array.from({ length: 21 }, () => randInt(r, 0, 1)) }, 'bool');
    add('bool axis 0', { shape: [5, 3], data: Array.from({ length: 15 }, () => randInt(r, 0, 1)) }, 'bool', 0);
    await runCases(cases, dealerIn(ring));
  });

  it('return a permutation in order, and argsort indices reproduce the sorted values', async () => {
    const r = rng(9);
    const x = randVals(r, [4, 11]);
    const [sorted, idx] = (
      await reveal0((snp, p) => {
        const a = input(snp, p, 0, x);
        return [snp.sort(a, 1).revealTo(0), snp.argsort(a, 1).revealTo(0)];
      }, dealerIn(ring))
    ).map(toRef);
    for (let row = 0; row < 4; row++) {
      const lane = x.data.slice(row * 11, row * 11 + 11);
      const s = sorted!.data.slice(row * 11, row * 11 + 11);
      const ix = idx!.data.slice(row * 11, row * 11 + 11);
      expect([...ix].sort((a, b) => a - b)).toEqual(Array.from({ length: 11 }, (_, i) => i));
      expect(ix.map((i) => lane[i]!)).toEqual(s);
      expect(s.every((v, i) => i === 0 || s[i - 1]! <= v)).toBe(true);
      expect([...s].sort((a, b) => a - b)).toEqual([...lane].sort((a, b) => a - b));
    }
  });

  it('cost 9 rounds per layer (10 in ring 128), 12 AND words (27) and 2 triples per comparator (argsort 3), bool 1 round and 1 triple', async () => {
    const rows = 3;
    const n = 10;
    const net = sortingNetwork(n);
    const C = rows * net.comparators;
    const [res] = (await (
      await import('../../../../workers/securenumpy/index.js')
    ).runLocal(
      2,
      async (snp, party) => {
        const x = snp.array(
          party === 0
            ? Array.from({ length: rows }, (_, i) => Array.from({ length: n }, (_, k) => (k * 7 + i) % 5))
            : null,
          0,
          { shape: [rows, n] },
        );
        const b = snp.array(party === 0 ? Array.from({ length: rows * n }, (_, k) => k % 3 === 0) : null, 0, 'bool', {
          shape: [rows * n],
        });
        await Promise.all([x.share, b.share]);
        // Rounds: the result's depth (the inputs are 0 deep); correlations: what the call consumed.
        const cost = async (f: () => { share: Promise<unknown>; depth: number }) => {
          const s0 = snp.stats();
          const y = f();
          await y.share;
          const s1 = snp.stats();
          return [
            y.depth,
            s1.andWordsConsumed - s0.andWordsConsumed,
            s1.triplesConsumed - s0.triplesConsumed,
            s1.truncationsConsumed - s0.truncationsConsumed,
          ];
        };
        return {
          sort: await cost(() => snp.sort(x)),
          argsort: await cost(() => snp.argsort(x)),
          bool: await cost(() => snp.sort(b.reshape(rows, n))),
          median: await cost(() => snp.median(x, 1)),
        };
      },
      dealerIn(ring),
    )) as { sort: number[]; argsort: number[]; bool: number[]; median: number[] }[];
    const L = net.layers.length;
    expect(res!.sort).toEqual([rounds * L, words * C, 2 * C, 0]);
    expect(res!.argsort).toEqual([rounds * L, words * C, 3 * C, 0]);
    expect(res!.bool).toEqual([L, 0, C, 0]);
    expect(res!.median).toEqual([rounds * L + 1, words * C, 2 * C, rows]); // even n: one truncation per row
  });
});

describe('sort and argsort: refusals and dealer-free', () => {
  it('refuse bad axes at the call', async () => {
    await reveal0((snp, p) => {
      const x = input(snp, p, 0, { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, 'float64', true);
      expectCode(() => snp.sort(x, 2), 'ERR_AXIS');
      expectCode(() => snp.argsort(x, -3), 'ERR_AXIS');
      expectCode(() => snp.sort(snp.array(p === 0 ? 5 : null, 0, { shape: [] })), 'ERR_AXIS'); // 0-d along −1, like NumPy
      return [snp.sort(x, null).revealTo(0)];
    });
  });

  it('work dealer-free (a small case)', async () => {
    const x: R.Arr = { shape: [2, 5], data: [3, -1, 3, 0.5, -2, 1, 1, -7, 2, 0] };
    await runCases(
      [
        exact('sort', (snp, p) => snp.sort(input(snp, p, 0, x), 1), S.sort(x, 1)),
        exact('argsort', (snp, p) => snp.argsort(input(snp, p, 1, x), 1), S.argsort(x, 1)),
        close('median', (snp, p) => snp.median(input(snp, p, 0, x), 1), S.median(x, 1), 2 * U),
      ],
      { preprocessing: 'dealer-free' },
    );
  });
});

describe.each(RINGS)('median and percentile, ring %i (dealer)', (ring) => {
  it('match NumPy (linear interpolation) for q scalar and list, along every axis and flattened', async () => {
    const r = rng(31337);
    const cases: Case[] = [];
    const tol = 2 * U;
    for (let nd = 1; nd <= 3; nd++) {
      const x = randVals(r, randShape(r, nd));
      for (const axis of axesOf(nd)) {
        const l = `(${x.shape}) axis ${axis}`;
        cases.push(
          close(`median ${l}`, (snp, p) => snp.median(input(snp, p, 0, x), axis), S.median(x, axis), tol, 'float64'),
        );
        const q = pick(r, [0, 12.5, 33, 50, 71.3, 100]);
        cases.push(
          close(
            `percentile ${q} ${l}`,
            (snp, p) => snp.percentile(input(snp, p, 1, x), q, axis),
            S.percentile(x, q, axis),
            tol,
            'float64',
          ),
        );
        const qs = [0, 10, 25, 50, 66.6, 99, 100];
        cases.push(
          close(
            `percentile [${qs}] ${l}`,
            (snp, p) => snp.percentile(input(snp, p, 0, x), qs, axis),
            S.percentile(x, qs, axis),
            tol,
            'float64',
          ),
        );
      }
    }
    const odd: R.Arr = { shape: [7], data: [5, -1, 3, 3, 0.5, 9, -2] };
    cases.push(
      exact('median of odd n (exact)', (snp, p) => snp.median(input(snp, p, 0, odd)), S.median(odd), 'float64'),
    );
    cases.push(
      close(
        'median default axis (flattened; even n, one truncation)',
        (snp, p) => snp.median(input(snp, p, 0, { shape: [2, 3], data: [6, 1, 5, 2, 4, 3] })),
        R.scalar(3.5),
        U,
        'float64',
      ),
    );
    cases.push(
      exact(
        'median of one value',
        (snp, p) => snp.median(input(snp, p, 0, { shape: [1], data: [-4] })),
        R.scalar(-4),
        'float64',
      ),
    );
    const ints: R.Arr = { shape: [3, 4], data: [7, -3, 2, 2, 100, 0, -100, 5, 1, 1, 1, 1] };
    cases.push(
      close(
        'median int64',
        (snp, p) => snp.median(input(snp, p, 0, ints, 'int64'), 1),
        S.median(ints, 1),
        tol,
        'float64',
      ),
    );
    cases.push(
      close(
        'percentile int64',
        (snp, p) => snp.percentile(input(snp, p, 0, ints, 'int64'), [5, 40, 95], 0),
        S.percentile(ints, [5, 40, 95], 0),
        tol,
        'float64',
      ),
    );
    cases.push(
      close(
        'percentile { axis }',
        (snp, p) => snp.percentile(input(snp, p, 0, ints), 75, { axis: 1 }),
        S.percentile(ints, 75, 1),
        tol,
        'float64',
      ),
    );
    const wide: R.Arr = { shape: [2], data: [-32767, 32767] };
    cases.push(
      close(
        'percentile across the whole input range',
        (snp, p) => snp.percentile(input(snp, p, 0, wide), [0.1, 37, 50, 99.9]),
        S.percentile(wide, [0.1, 37, 50, 99.9]),
        U + 65534 * 2 ** -31,
        'float64',
      ),
    ); // γ's rounding: |b − a|·2^-31
    await runCases(cases, dealerIn(ring));
  });
});

describe('median and percentile: refusals', () => {
  it('refuse q outside [0, 100], bool arrays and empty arrays', async () => {
    await reveal0((snp, p) => {
      const x = input(snp, p, 0, { shape: [4], data: [1, 2, 3, 4] }, 'float64', true);
      expectCode(() => snp.percentile(x, 101), 'ERR_BAD_INPUT');
      expectCode(() => snp.percentile(x, [10, -1]), 'ERR_BAD_INPUT');
      expectCode(() => snp.percentile(x, Number.NaN), 'ERR_BAD_INPUT');
      expectCode(() => snp.median(snp.array(p === 0 ? [true, false] : null, 0, 'bool', { shape: [2] })), 'ERR_DTYPE');
      expectCode(() => snp.median(snp.zeros([0])), 'ERR_BAD_INPUT');
      expectCode(() => snp.median(x, 1), 'ERR_AXIS');
      return [snp.percentile(x, 50).revealTo(0)];
    });
  });
});

describe('ring 128 (dealer): values beyond the 64-bit ring', () => {
  it('sort, argsort, median and percentile of 5,000,000, 4,999,999.5 and values near ±1.4·10^14', async () => {
    const big = 140_000_000_000_000.5; // near the input bound 2^47 at f = 16
    const x: R.Arr = {
      shape: [2, 5],
      data: [5_000_000, 4_999_999.5, big, -big, 5_000_000, -1e14, 123_456_789_012.25, 4_999_999.5, 1e14, -big],
    };
    const X = (snp: Snp, p: number) => input(snp, p, 0, x, 'float64', true);
    const cases: Case[] = [
      exact('sort 1', (snp, p) => snp.sort(X(snp, p), 1), S.sort(x, 1), 'float64'),
      exact('argsort 1', (snp, p) => snp.argsort(X(snp, p), 1), S.argsort(x, 1), 'int64'),
      exact('sort all', (snp, p) => snp.sort(X(snp, p), null), S.sort(x, null), 'float64'),
      exact('median 1 (odd n)', (snp, p) => snp.median(X(snp, p), 1), S.median(x, 1), 'float64'),
      // γ = 0.5 between 4,999,999.5 and 5,000,000; γ's rounding (2^-31 of the gap) and one unit.
      close(
        'percentile 50 of [4,999,999.5, 5,000,000]',
        (snp, p) => snp.percentile(X(snp, p).get('0:1', '0:2'), 50, 1),
        S.percentile({ shape: [1, 2], data: [5_000_000, 4_999_999.5] }, 50, 1),
        U,
        'float64',
      ),
    ];
    await runCases(cases, dealerIn(128));
  });
});

describe.each(RINGS)('leakage, ring %i (dealer)', (ring) => {
  it('what party 1 receives during sort and argsort has the same sizes and count for different inputs', async () => {
    const n = 12;
    async function transcript(xs: number[]): Promise<string[]> {
      const t = await receivedByParty1(
        async (snp, p) => {
          const x = snp.array(p === 0 ? xs : null, 0, { shape: [n] });
          await Promise.all([snp.sort(x).share, snp.argsort(x).share, snp.median(x).share]);
        },
        'dealer',
        ring,
      );
      return t.seen.sort();
    }
    const a = await transcript(Array(n).fill(0));
    const b = await transcript(Array.from({ length: n }, (_, i) => (i % 2 ? 30000 - i : -i * 1000)));
    const c = await transcript(Array.from({ length: n }, (_, i) => n - i));
    const layers = sortingNetwork(n).layers.length;
    expect(a.length).toBeGreaterThan(2 * 9 * layers); // every round of both networks is there
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });
});
