// Checks SecureNumpy's order reductions (max, min, argmax, argmin, ptp, amax, amin) against the
// NumPy reference: random float64 arrays 1-D to 3-D over every axis (negative too) and none,
// many ties and all-equal rows (first-occurrence indices), negatives and the edges of the range,
// int64 and bool; empty reductions refused with ERR_SHAPE; rounds and correlations per call; and
// no leakage: what party 1 receives during argmax has the same sizes and count for two inputs.

import { describe, expect, it } from 'vitest';
import { runLocal } from '../../../../workers/securenumpy/index.js';
import { receivedByParty1 } from '../../../helpers/transcript.js';
import {
  type Case,
  DEALER,
  dealerIn,
  exact,
  expectCode,
  input,
  pick,
  RINGS,
  type Rng,
  randInt,
  randShape,
  rng,
  runCases,
  type SA,
  type Snp,
  U,
} from './harness.js';
import * as R from './reference.js';
import * as O from './reference-order.js';

const EDGE = 32768 - U; // the largest float64 input at f = 16 (±32767.99…)
/** Few distinct values, so rows have ties; negatives, zero, the unit and the range's edges. */
const POOL = [0, 1, -1, 2, -2, 0.5, -0.5, U, -U, 3.25, -3.25, EDGE, -EDGE, EDGE - U, -(EDGE - U)];
const randVals = (r: Rng, shape: readonly number[]): R.Arr => ({
  shape: [...shape],
  data: Array.from({ length: R.sizeOf(shape) }, () =>
    r() < 0.75 ? pick(r, POOL) : Math.round(((r() - 0.5) * 2e4) / U) * U,
  ),
});

type Fn = 'max' | 'min' | 'argmax' | 'argmin';
const FNS: Fn[] = ['max', 'min', 'argmax', 'argmin'];
const REF: Record<Fn, (x: R.Arr, axis: R.Axis) => R.Arr> = {
  max: O.amax,
  min: O.amin,
  argmax: O.argmax,
  argmin: O.argmin,
};
const outDtype = (fn: Fn, dtype: string) => (fn.startsWith('arg') ? 'int64' : dtype);

/** Every axis of x, negative ones too, and null/undefined (all). */
function axesOf(x: R.Arr): R.Axis[] {
  const nd = x.shape.length;
  return [null, undefined, ...Array.from({ length: nd }, (_, i) => i), ...Array.from({ length: nd }, (_, i) => i - nd)];
}

/** Cases for every function and axis of x (alternating methods and snp functions, keyword axes). */
function casesFor(label: string, x: R.Arr, dtype: 'float64' | 'int64' | 'bool', owner: number, hint: boolean): Case[] {
  const cases: Case[] = [];
  let k = 0;
  for (const axis of axesOf(x)) {
    for (const fn of FNS) {
      const via = k++ % 3;
      const run = (snp: Snp, p: number): SA => {
        const a = input(snp, p, owner, x, dtype, hint);
        if (via === 0) return a[fn](axis);
        if (via === 1) return snp[fn](a, axis);
        return snp[fn](a, { axis });
      };
      cases.push(exact(`${fn}(${String(axis)}) ${label} [${x.shape}]`, run, REF[fn](x, axis), outDtype(fn, dtype)));
    }
  }
  return cases;
}

describe.each(RINGS)('max, min, argmax, argmin, ring %i (dealer)', (ring) => {
  it('of random float64 arrays 1-D to 3-D, every axis and none, with ties and the edges of the range', async () => {
    const r = rng(4401);
    const cases: Case[] = [];
    for (let i = 0; i < 8; i++) {
      const x = randVals(r, randShape(r, 1, 3, 5));
      cases.push(...casesFor(`#${i}`, x, 'float64', i % 2, i % 3 !== 0)); // some shapes pending at the other party
    }
    await runCases(cases, dealerIn(ring));
  });

  it('resolve ties to the first occurrence: all-equal rows, repeated extremes, lengths 1 to 9', async () => {
    const cases: Case[] = [];
    const rows = [
      [5, 5, 5, 5, 5, 5, 5],
      [-EDGE, -EDGE, -EDGE],
      [EDGE, EDGE, EDGE, EDGE],
      [1, 3, 2, 3, 1, 3],
      [-2, 0, -2, 0, 0, -2],
      [7],
      [0, 0],
      [2, 9, 9, -4, -4, 9, -4, 2, 9],
      [EDGE, -EDGE, EDGE, -EDGE, EDGE - U, -(EDGE - U)],
    ];
    rows.forEach((row, i) =>
      cases.push(...casesFor(`row ${i}`, { shape: [row.length], data: row }, 'float64', i % 2, true)),
    );
    // A 2-D array whose rows and columns are all tied in places.
    const m = { shape: [4, 5], data: [3, 3, 3, 3, 3, 1, 2, 2, 1, 0, 3, 3, 2, 3, 3, 3, -1, 3, 3, 3] };
    cases.push(...casesFor('matrix', m, 'float64', 1, false));
    await runCases(cases, dealerIn(ring));
  });

  it('of int64 (up to ±(2^53 − 1)) and of bools (max = any, min = all)', async () => {
    const r = rng(4402);
    const big = Number.MAX_SAFE_INTEGER;
    const cases: Case[] = [];
    for (let i = 0; i < 3; i++) {
      const s = randShape(r, 1, 3, 4);
      const x = {
        shape: s,
        data: Array.from({ length: R.sizeOf(s) }, () =>
          r() < 0.5 ? randInt(r, -3, 3) : pick(r, [big, -big, big - 1, -(big - 1), 0]),
        ),
      };
      cases.push(...casesFor(`int64 #${i}`, x, 'int64', i % 2, i !== 1));
      const b = { shape: s, data: Array.from({ length: R.sizeOf(s) }, () => randInt(r, 0, 1)) };
      cases.push(...casesFor(`bool #${i}`, b, 'bool', 1 - (i % 2), i !== 2));
    }
    cases.push(...casesFor('bool all false', { shape: [2, 3], data: [0, 0, 0, 0, 0, 0] }, 'bool', 0, true));
    cases.push(...casesFor('bool all true', { shape: [2, 3], data: [1, 1, 1, 1, 1, 1] }, 'bool', 1, true));
    await runCases(cases, dealerIn(ring));
  });

  it('ptp (max − min), amax, amin, 0-d arrays and empty results along a non-empty axis', async () => {
    const r = rng(4403);
    const x = randVals(r, [3, 4, 2]);
    const ix = { shape: [5], data: [4, -9, 4, 2, -9] };
    const cases: Case[] = [
      exact('ptp all', (snp, p) => snp.ptp(input(snp, p, 0, x)), O.ptp(x, null), 'float64'),
      exact('ptp axis 1', (snp, p) => snp.ptp(input(snp, p, 1, x), 1), O.ptp(x, 1), 'float64'),
      exact(
        'ptp axis -1 keyword',
        (snp, p) => snp.ptp(input(snp, p, 0, x, 'float64', true), { axis: -1 }),
        O.ptp(x, -1),
        'float64',
      ),
      exact('ptp int64', (snp, p) => snp.ptp(input(snp, p, 0, ix, 'int64')), O.ptp(ix, null), 'int64'),
      exact('amax', (snp, p) => snp.amax(input(snp, p, 0, x), 0), O.amax(x, 0), 'float64'),
      exact('amin', (snp, p) => snp.amin(input(snp, p, 1, x), 2), O.amin(x, 2), 'float64'),
      exact('max of 0-d', (snp, p) => input(snp, p, 0, R.scalar(-3.5)).max(), R.scalar(-3.5), 'float64'),
      exact('argmax of 0-d', (snp, p) => input(snp, p, 0, R.scalar(-3.5)).argmax(), R.scalar(0), 'int64'),
      exact('max of (3, 0) along 0', (snp) => snp.zeros([3, 0]).max(0), { shape: [0], data: [] }, 'float64'),
      exact('argmin of (0, 3) along 1', (snp) => snp.zeros([0, 3]).argmin(1), { shape: [0], data: [] }, 'int64'),
      exact(
        'max of public constants',
        (snp) => snp.arange(6).reshape([2, 3]).max(1),
        { shape: [2], data: [2, 5] },
        'int64',
      ),
    ];
    await runCases(cases, dealerIn(ring));
  });
});

describe('max, min, argmax, argmin: refusals and dealer-free', () => {
  it('refuse empty reductions (ERR_SHAPE), several axes for argmax (ERR_AXIS), bad axes and bool ptp', async () => {
    const [r0] = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const empty = input(snp, party, 0, { shape: [0], data: [] }, 'float64', true);
        const e23 = snp.zeros([2, 0]);
        expectCode(() => empty.max(), 'ERR_SHAPE');
        expectCode(() => snp.min(empty), 'ERR_SHAPE');
        expectCode(() => empty.argmax(), 'ERR_SHAPE');
        expectCode(() => snp.argmin(empty, 0), 'ERR_SHAPE');
        expectCode(() => snp.ptp(empty), 'ERR_SHAPE');
        expectCode(() => e23.max(1), 'ERR_SHAPE');
        expectCode(() => e23.argmax(), 'ERR_SHAPE');
        expectCode(() => snp.zeros([0], { dtype: 'bool' }).max(), 'ERR_SHAPE');
        expect(() => empty.max()).toThrow(/zero-size array to reduction operation maximum which has no identity/);
        expect(() => empty.min()).toThrow(/zero-size array to reduction operation minimum which has no identity/);
        const x = input(snp, party, 1, { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, 'float64', true);
        expectCode(() => x.max(2), 'ERR_AXIS');
        expectCode(() => x.argmin(-3), 'ERR_AXIS');
        expectCode(() => snp.argmax(x, [0, 1] as never), 'ERR_AXIS');
        expectCode(() => snp.ptp(x.gt(2)), 'ERR_DTYPE');
        // Several axes are fine for max and min, as in NumPy; the session is still in step.
        return Promise.all([snp.max(x, [0, 1] as never).revealTo(0), x.argmax().revealTo(0)]);
      },
      DEALER,
    );
    const [m, a] = r0 as unknown as [{ toArray(): unknown }, { toArray(): unknown }];
    expect(m.toArray()).toBe(6);
    expect(Number(a.toArray())).toBe(5);
  });

  it('refuse an empty reduction whose shape was pending at the other party (runLocal rejects with ERR_SHAPE)', async () => {
    await expect(
      runLocal(
        2,
        async (snp: Snp, party: number) =>
          input(snp, party, 0, { shape: [2, 0], data: [] })
            .argmax(1)
            .revealTo(0),
        DEALER,
      ),
    ).rejects.toMatchObject({ code: 'ERR_SHAPE' });
  });

  it('work dealer-free (a small case)', async () => {
    const x = { shape: [2, 5], data: [3, -1, 3, 0.5, -1, -2, -2, 7, 7, -2] };
    const cases: Case[] = [
      exact('max 1', (snp, p) => input(snp, p, 0, x).max(1), O.amax(x, 1), 'float64'),
      exact('argmax 1', (snp, p) => input(snp, p, 0, x).argmax(1), O.argmax(x, 1), 'int64'),
      exact('argmin', (snp, p) => input(snp, p, 1, x).argmin(), O.argmin(x, null), 'int64'),
      exact(
        'bool max',
        (snp, p) => input(snp, p, 1, x).gt(0).max(0),
        R.fromNested([true, false, true, true, false]),
        'bool',
      ),
    ];
    await runCases(cases, { preprocessing: 'dealer-free' });
  });
});

describe('ring 128 (dealer): values beyond the 64-bit ring', () => {
  it('max, min, argmax, argmin and ptp of 5,000,000 against 4,999,999.5 and of values near ±1.4·10^14', async () => {
    const big = 140_000_000_000_000.5; // near the input bound 2^47 at f = 16
    const x = {
      shape: [2, 4],
      data: [5_000_000, 4_999_999.5, -big, big, 4_999_999.5, 5_000_000, 123_456_789_012.25, -1e14],
    };
    const X = (snp: Snp, p: number) => input(snp, p, 0, x, 'float64', true);
    const cases: Case[] = [
      exact('max 1', (snp, p) => X(snp, p).max(1), O.amax(x, 1), 'float64'),
      exact('min 1', (snp, p) => X(snp, p).min(1), O.amin(x, 1), 'float64'),
      exact('argmax 1', (snp, p) => X(snp, p).argmax(1), O.argmax(x, 1), 'int64'),
      exact('argmin all', (snp, p) => X(snp, p).argmin(), O.argmin(x, null), 'int64'),
      exact('max 0', (snp, p) => X(snp, p).max(0), O.amax(x, 0), 'float64'),
      exact(
        'ptp 1 (2.8·10^14: past the input bound, inside the ring)',
        (snp, p) => snp.ptp(X(snp, p), 1),
        O.ptp(x, 1),
        'float64',
      ),
    ];
    await runCases(cases, dealerIn(128));
  });
});

describe.each(RINGS)('cost and leakage, ring %i (dealer)', (ring) => {
  // Per level: the sign test (7 rounds, 12 AND words per pair; 8 and 27 in ring 128), B2A, selection.
  const [rounds, words] = ring === 64 ? [9, 12] : [10, 27];

  it('cost 9 rounds per tournament level (10 in ring 128), 12 AND words (27) and 2 (max) or 3 (argmax, less the last level) triples per pair', async () => {
    const [r] = await runLocal(
      2,
      async (snp: Snp, party: number) => {
        const x = input(
          snp,
          party,
          0,
          { shape: [6, 10], data: Array.from({ length: 60 }, (_, i) => (i * 7) % 13) },
          'float64',
          true,
        );
        await x.share;
        const measure = async (f: () => SA) => {
          const s0 = snp.stats();
          const y = f();
          await y.share;
          const s1 = snp.stats();
          return [
            y.depth - x.depth,
            s1.andWordsConsumed - s0.andWordsConsumed,
            s1.triplesConsumed - s0.triplesConsumed,
            s1.truncationsConsumed - s0.truncationsConsumed,
          ];
        };
        return {
          max: await measure(() => x.max(1)),
          argmax: await measure(() => x.argmax(1)),
          min0: await measure(() => x.min(0)),
        };
      },
      dealerIn(ring),
    );
    // Groups of 10: levels of 5, 2, 1, 1 pairs (4 levels), 9 pairs per group, 6 groups.
    expect(r!.max).toEqual([4 * rounds, words * 54, 2 * 54, 0]);
    expect(r!.argmax).toEqual([4 * rounds, words * 54, 3 * 54 - 6, 0]);
    // Groups of 6: levels of 3, 1, 1 pairs (3 levels), 5 pairs per group, 10 groups.
    expect(r!.min0).toEqual([3 * rounds, words * 50, 2 * 50, 0]);
  });

  it('leak nothing: what party 1 receives during argmax, argmin and max has the same sizes and count for different inputs', async () => {
    const shape = [4, 7];
    /** Every keyed value party 1 receives from party 0, as key:length (batching depends on timing only). */
    async function transcript(xs: number[]): Promise<string[]> {
      const t = await receivedByParty1(
        async (snp, p) => {
          await snp.preprocess({ andWords: words * 24, triples: 3 * 24 });
          const x = snp.array(p === 0 ? R.toNested({ shape, data: xs }) : null, 0, { shape });
          await x.argmax(1).share;
          await x.argmin().share;
          await x.max(0).share;
        },
        'dealer',
        ring,
      );
      return [...t.seen].sort();
    }
    const a = await transcript(Array.from({ length: 28 }, () => 0));
    const b = await transcript(
      Array.from({ length: 28 }, (_, i) => ((i * 7919) % 61) - 30 + 0.5 + (i % 3 ? 0 : -32000)),
    );
    // The session's parameters, the input's seed and shape, then argmax(1) (3 levels), argmin()
    // (5 levels) and max(0) (2 levels) at 9 rounds a level (10 in ring 128).
    expect(a.length).toBe(3 + rounds * (3 + 5 + 2));
    expect(b).toEqual(a);
  });
});
