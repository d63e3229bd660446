// The "compare" section of `npm run bench:engine`: `lt` of two secret vectors, `where` on its
// result, `argmax(1)` over rows and `snp.sort`, each op's correlations made first by
// snp.preprocess (timed apart from the online phase) and its result checked against plaintext.

import { NDArray } from '../../shared/ndarray.js';
import { ringOf } from '../../shared/rings.js';
import type { SecureArray, Snp } from '../../workers/securenumpy/index.js';
import { sortingNetwork } from '../../workers/securenumpy/ops-sort.js';
import { msbAndWords } from '../../workers/securenumpy/protocols-bool.js';
import { barrier, maxError, type StepFigures, step, vector } from './steps.js';

/** Sizes of the comparison section; 0 skips a step. */
export interface CompareBenchSpec {
  /** Elements of `x.lt(y)` (x party 0's, y party 1's), then of `snp.where(x.lt(y), x, y)` on its result. */
  ltSize: number;
  /** `argmax(1)` over argmaxRows rows of argmaxCols. */
  argmaxRows: number;
  argmaxCols: number;
  /** Values sorted by `snp.sort`. */
  sortSize: number;
  /** The session's ring (absent: 64): AND words per comparison depend on it. */
  ring?: 64 | 128;
}

export interface CompareStep {
  size: number;
  /** What snp.preprocess was asked for (exactly what the op consumes). */
  needs: { andWords: number; triples: number };
  preprocess: StepFigures;
  online: StepFigures;
  /** Mismatches against plaintext (bool/index results), or the largest absolute error (values); null at party 1. */
  mismatches?: number | null;
  maxError?: number | null;
}

export interface CompareFigures {
  lt: CompareStep | null;
  where: CompareStep | null;
  argmax: (CompareStep & { rows: number; cols: number }) | null;
  sort: (CompareStep & { comparators: number }) | null;
}

const cmpX = (i: number) => Math.round(640 * Math.sin(i * 0.37 + 0.5)) / 64;
const cmpY = (i: number) => Math.round(640 * Math.cos(i * 0.11)) / 64;

/** Correlations of one comparison-section op (the engine's own counts: ops-compare.ts, ops-order.ts, ops-sort.ts). */
export function compareNeeds(
  op: 'lt' | 'where' | 'argmax' | 'sort',
  size: number,
  cols = 0,
  ring: 64 | 128 = 64,
): { andWords: number; triples: number } {
  const MSB = msbAndWords(ringOf(ring)); // AND words of one sign test: 12 in Z_2^64, 27 in Z_2^128
  if (op === 'lt') return { andWords: MSB * size, triples: 0 };
  if (op === 'where') return { andWords: 0, triples: 2 * size }; // B2A of the condition + one Beaver product
  if (op === 'argmax') {
    // A tournament over each row: pairs per level, the last level selects only the index.
    let pairs = 0;
    let last = 0;
    for (let g = cols; g > 1; g = Math.ceil(g / 2)) {
      last = Math.floor(g / 2);
      pairs += last;
    }
    return { andWords: MSB * pairs * size, triples: (3 * pairs - last) * size };
  }
  const C = sortingNetwork(size).comparators;
  return { andWords: MSB * C, triples: 2 * C };
}

function countMismatches(got: ArrayLike<unknown>, want: (i: number) => number): number {
  let bad = 0;
  for (let i = 0; i < got.length; i++) if (Number(got[i]) !== want(i)) bad++;
  return bad;
}

/** Untimed small runs of each op, so the timed ones run on optimised code. */
async function warmUpCompare(snp: Snp, party: number, ring: 64 | 128): Promise<void> {
  const n = 256;
  const needs = [
    compareNeeds('lt', n, 0, ring),
    compareNeeds('where', n, 0, ring),
    compareNeeds('argmax', 16, 10, ring),
    compareNeeds('sort', 64, 0, ring),
  ];
  await snp.preprocess({
    andWords: needs.reduce((t, x) => t + x.andWords, 0),
    triples: needs.reduce((t, x) => t + x.triples, 0),
  });
  const x = snp.array(party === 0 ? vector(n, cmpX) : null, 0, 'float64', { shape: [n] });
  const y = snp.array(party === 1 ? vector(n, cmpY) : null, 1, 'float64', { shape: [n] });
  const c = x.lt(y);
  const w = snp.where(c, x, y);
  const m = snp.array(
    party === 0
      ? new NDArray(
          [16, 10],
          'float64',
          Float64Array.from({ length: 160 }, (_, i) => cmpX(i)),
        )
      : null,
    0,
    'float64',
    { shape: [16, 10] },
  );
  const am = m.argmax(1);
  const s = snp.sort(snp.array(party === 0 ? vector(64, cmpX) : null, 0, 'float64', { shape: [64] }));
  await Promise.all([w.toShare(), am.toShare(), s.toShare()]);
  await barrier(snp);
}

export async function benchCompare(snp: Snp, party: number, spec: CompareBenchSpec): Promise<CompareFigures> {
  const ring = spec.ring ?? 64;
  await warmUpCompare(snp, party, ring);
  const out: CompareFigures = { lt: null, where: null, argmax: null, sort: null };
  const n = spec.ltSize;
  if (n > 0) {
    const x = snp.array(party === 0 ? vector(n, cmpX) : null, 0, 'float64', { shape: [n] });
    const y = snp.array(party === 1 ? vector(n, cmpY) : null, 1, 'float64', { shape: [n] });
    await Promise.all([x.toShare(), y.toShare()]);
    const needs = compareNeeds('lt', n, 0, ring);
    const preprocess = await step(snp, () => snp.preprocess(needs));
    let c!: SecureArray;
    const online = await step(snp, async () => {
      c = x.lt(y);
      await c.toShare();
      return c.depth - Math.max(x.depth, y.depth);
    });
    const got = await c.revealTo(0);
    out.lt = {
      size: n,
      needs,
      preprocess,
      online,
      mismatches: got ? countMismatches(got.data, (i) => Number(cmpX(i) < cmpY(i))) : null,
    };
    {
      const [m, cm, xm, ym] = [n, c, x, y];
      const wNeeds = compareNeeds('where', m, 0, ring);
      const wPre = await step(snp, () => snp.preprocess(wNeeds));
      let z!: SecureArray;
      const wOn = await step(snp, async () => {
        z = snp.where(cm, xm, ym);
        await z.toShare();
        return z.depth - Math.max(cm.depth, xm.depth, ym.depth);
      });
      const r = await z.revealTo(0);
      out.where = {
        size: m,
        needs: wNeeds,
        preprocess: wPre,
        online: wOn,
        maxError: r
          ? maxError(
              r.data as Float64Array,
              Float64Array.from({ length: m }, (_, i) => Math.min(cmpX(i), cmpY(i))),
            )
          : null,
      };
    }
  }
  if (spec.argmaxRows > 0 && spec.argmaxCols > 0) {
    const R = spec.argmaxRows;
    const g = spec.argmaxCols;
    const val = (i: number) => cmpX(i) + cmpY(i);
    // The sum of party 0's and party 1's matrices, so neither party knows the values.
    const a = snp.array(
      party === 0
        ? new NDArray(
            [R, g],
            'float64',
            Float64Array.from({ length: R * g }, (_, i) => cmpX(i)),
          )
        : null,
      0,
      'float64',
      { shape: [R, g] },
    );
    const b = snp.array(
      party === 1
        ? new NDArray(
            [R, g],
            'float64',
            Float64Array.from({ length: R * g }, (_, i) => cmpY(i)),
          )
        : null,
      1,
      'float64',
      { shape: [R, g] },
    );
    const v = a.add(b);
    await v.toShare();
    const needs = compareNeeds('argmax', R, g, ring);
    const preprocess = await step(snp, () => snp.preprocess(needs));
    let z!: SecureArray;
    const online = await step(snp, async () => {
      z = v.argmax(1);
      await z.toShare();
      return z.depth - v.depth;
    });
    const r = await z.revealTo(0);
    const want = (row: number) => {
      let best = 0;
      for (let j = 1; j < g; j++) if (val(row * g + j) > val(row * g + best)) best = j;
      return best;
    };
    out.argmax = {
      size: R * g,
      rows: R,
      cols: g,
      needs,
      preprocess,
      online,
      mismatches: r ? countMismatches(r.data, want) : null,
    };
  }
  const S = spec.sortSize;
  if (S > 0) {
    const a = snp.array(party === 0 ? vector(S, cmpX) : null, 0, 'float64', { shape: [S] });
    const b = snp.array(party === 1 ? vector(S, (i) => cmpY(i * 7)) : null, 1, 'float64', { shape: [S] });
    const v = a.add(b);
    await v.toShare();
    const needs = compareNeeds('sort', S, 0, ring);
    const preprocess = await step(snp, () => snp.preprocess(needs));
    let z!: SecureArray;
    const online = await step(snp, async () => {
      z = snp.sort(v);
      await z.toShare();
      return z.depth - v.depth;
    });
    const r = await z.revealTo(0);
    const want = r ? Float64Array.from({ length: S }, (_, i) => cmpX(i) + cmpY(i * 7)).sort() : null;
    out.sort = {
      size: S,
      comparators: sortingNetwork(S).comparators,
      needs,
      preprocess,
      online,
      maxError: r && want ? maxError(r.data as Float64Array, want) : null,
    };
  }
  return out;
}
