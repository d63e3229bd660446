// The sizes, switches and targets of `npm run bench:engine` (environment variables documented in
// bench/engine.ts), shared by the run and its report.

import type { CompareBenchSpec } from './compare.js';
import type { MathBenchSpec } from './math.js';
import type { EngineBenchSpec } from './party.js';

export type Mode = EngineBenchSpec['mode'];

export const MUL = 1_000_000;
export const MAT = 256;
export const DEALER_FREE_MATS = [32, 64];
export const SCALE = Number(process.env.BENCH_SCALE ?? 1);
if (!(SCALE > 0 && SCALE <= 1)) throw new Error(`BENCH_SCALE must be in (0, 1], got ${process.env.BENCH_SCALE}`);

/** Dealer-free preprocessing lanes each party wishes for (unset: the engine's default, navigator.hardwareConcurrency − 1, from 1 to 8, in tabs, 1 in Node). */
export const LANES = process.env.BENCH_LANES === undefined ? undefined : Number(process.env.BENCH_LANES);
if (LANES !== undefined && !(Number.isInteger(LANES) && LANES >= 1 && LANES <= 64))
  throw new Error(`BENCH_LANES must be a whole number from 1 to 64, got ${process.env.BENCH_LANES}`);

export const COMPARE = process.env.BENCH_COMPARE !== '0';
export const COMPARE_SCALE = Number(process.env.BENCH_COMPARE_SCALE ?? 1);
if (!(COMPARE_SCALE > 0 && COMPARE_SCALE <= 1))
  throw new Error(`BENCH_COMPARE_SCALE must be in (0, 1], got ${process.env.BENCH_COMPARE_SCALE}`);
export const COMPARE_DF_SCALE = Number(process.env.BENCH_COMPARE_DEALER_FREE_SCALE ?? 1);
if (!(COMPARE_DF_SCALE > 0))
  throw new Error(`BENCH_COMPARE_DEALER_FREE_SCALE must be > 0, got ${process.env.BENCH_COMPARE_DEALER_FREE_SCALE}`);
/** The full sizes (the targets' sizes) and the dealer-free ones. */
export const COMPARE_FULL: CompareBenchSpec = { ltSize: 100_000, argmaxRows: 10_000, argmaxCols: 10, sortSize: 10_000 };
const COMPARE_DEALER_FREE: CompareBenchSpec = { ltSize: 2_000, argmaxRows: 500, argmaxCols: 10, sortSize: 256 };
const scaled = (c: CompareBenchSpec, k: number): CompareBenchSpec => ({
  ltSize: Math.max(1, Math.round(c.ltSize * k)),
  argmaxRows: Math.max(1, Math.round(c.argmaxRows * k)),
  argmaxCols: c.argmaxCols,
  sortSize: Math.max(2, Math.round(c.sortSize * k)),
});
export const COMPARE_SPECS: Record<Mode, CompareBenchSpec> = {
  dealer: scaled(COMPARE_FULL, COMPARE_SCALE),
  'dealer-free': scaled(COMPARE_DEALER_FREE, COMPARE_SCALE * COMPARE_DF_SCALE),
};

export const MATH = process.env.BENCH_MATH !== '0';
export const MATH_SCALE = Number(process.env.BENCH_MATH_SCALE ?? 1);
if (!(MATH_SCALE > 0 && MATH_SCALE <= 1))
  throw new Error(`BENCH_MATH_SCALE must be in (0, 1], got ${process.env.BENCH_MATH_SCALE}`);
export const MATH_DF_SCALE = Number(process.env.BENCH_MATH_DEALER_FREE_SCALE ?? 1);
if (!(MATH_DF_SCALE > 0))
  throw new Error(`BENCH_MATH_DEALER_FREE_SCALE must be > 0, got ${process.env.BENCH_MATH_DEALER_FREE_SCALE}`);
export const MATH_FULL: MathBenchSpec = {
  divSize: 100_000,
  expSize: 100_000,
  sigmoidSize: 100_000,
  lrRows: 3_750,
  lrFeatures: 20,
  lrEpochs: 10,
  lrRate: 1,
};
const MATH_DEALER_FREE: MathBenchSpec = {
  divSize: 2_000,
  expSize: 2_000,
  sigmoidSize: 2_000,
  lrRows: 375,
  lrFeatures: 20,
  lrEpochs: 2,
  lrRate: 1,
};
const mathScaled = (m: MathBenchSpec, k: number): MathBenchSpec => ({
  ...m,
  divSize: Math.max(1, Math.round(m.divSize * k)),
  expSize: Math.max(1, Math.round(m.expSize * k)),
  sigmoidSize: Math.max(1, Math.round(m.sigmoidSize * k)),
  lrRows: Math.max(2, Math.round(m.lrRows * k)),
});
export const MATH_SPECS: Record<Mode, MathBenchSpec> = {
  dealer: mathScaled(MATH_FULL, MATH_SCALE),
  'dealer-free': mathScaled(MATH_DEALER_FREE, MATH_SCALE * MATH_DF_SCALE),
};
export const SPECS: Record<Mode, EngineBenchSpec> = {
  dealer: {
    mode: 'dealer',
    mulSize: MUL,
    matmulSizes: [MAT],
    compare: COMPARE ? COMPARE_SPECS.dealer : null,
    math: MATH ? MATH_SPECS.dealer : null,
  },
  'dealer-free': {
    mode: 'dealer-free',
    ...(LANES !== undefined ? { lanes: LANES } : {}),
    mulSize: Math.round(MUL * SCALE),
    matmulSizes: DEALER_FREE_MATS,
    compare: COMPARE ? COMPARE_SPECS['dealer-free'] : null,
    math: MATH ? MATH_SPECS['dealer-free'] : null,
  },
};

/** The baseline of issue 13, in the same run: dealer-free triples on IKNP instead of silent OT. */
export const IKNP_BASELINE: EngineBenchSpec = {
  mode: 'dealer-free',
  otExtension: 'iknp',
  ...(LANES !== undefined ? { lanes: LANES } : {}),
  mulSize: Math.round(200_000 * SCALE),
  matmulSizes: [],
  compare: null,
  math: null,
};

export const TARGETS = {
  tabsOnlineMul1MSeconds: 2,
  tabsOnlineMatmul256Seconds: 1,
  dealerTriplesPerSecond: 500_000,
  dealerFreeTriplesPerSecond: 50_000,
  dealerFreeBytesPerTriple: 600,
  nodeOnlineMul1MSeconds: 0.5,
  tabsDealerLt100kSeconds: 2,
  tabsDealerSort10kSeconds: 30,
  tabsDealerLogreg3750x20Seconds: 30,
  logregAccuracyPointsFromPlaintext: 1,
};

export const r3 = (x: number) => +x.toFixed(3);
export const perSecond = (count: number, seconds: number) => Math.round(count / seconds);
