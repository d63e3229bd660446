// `npm run bench:engine`: the SecureNumpy engine's figures as JSON, in Node and in two Chromium tabs over WebRTC.
//
// One run measures both parties in Node (runLocal) and two real tabs (a third tab as dealer in
// dealer mode), each in dealer-free and dealer mode, next to a plaintext baseline and the targets.
// Per mode: a 1,000,000-element fixed-point multiply and a secret × secret square matrix product,
// each with its preprocessing timed apart from its online phase (workers/engine-bench.ts runs the
// same measurements in Node and in the tabs' compute workers). Dealer-free matrix triples cost
// m·k·n scalar OT triples, so dealer-free matmul is measured at 32 and 64 and extrapolated to 256.
// BENCH_SCALE (default 1) shrinks the dealer-free multiply for a quicker run.
//
// The "compare" section: 100,000 `lt` of two secret vectors, `where` on their result, `argmax(1)`
// over 10,000 rows of 10 and `sort` of 10,000 values, each with its correlations made first by
// snp.preprocess (timed) and its online phase timed apart, the result revealed to party 0 and
// checked against plaintext. Dealer-free AND triples cost ~2 KB of OT traffic per word (12 words a
// comparison), so dealer-free runs smaller sizes (2,000; 2,000; 500 rows; 256) and extrapolates.
// BENCH_COMPARE=0 skips the section; BENCH_COMPARE_SCALE (0, 1] shrinks every size of it;
// BENCH_COMPARE_DEALER_FREE_SCALE (> 0, default 1) multiplies the dealer-free sizes.
//
// The "math" section: 100,000 `x.div(d)` by a secret d, 100,000 `snp.exp`, 100,000 `snp.sigmoid`
// (inputs inside each documented domain, every result checked at party 0 against its documented
// error bound), and logistic regression on 3,750 × 20 (plus a column of ones; X at party 0, labels
// at party 1, from a known linear model with noise), full-batch gradient descent for 10 epochs,
// theta revealed to party 0 and its accuracy given next to the plaintext theta's. Each op's
// correlations are made first by snp.preprocess (timed). Dealer-free runs 2,000 values and
// 375 × 20 for 2 epochs and extrapolates the preprocessing linearly in the correlations.
// BENCH_MATH=0 skips the section; BENCH_MATH_SCALE (0, 1] shrinks its sizes (rows, not epochs);
// BENCH_MATH_DEALER_FREE_SCALE (> 0, default 1) multiplies the dealer-free sizes.

import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.js';
import { createService } from '../signaling/app.js';
import { createLogger } from '../signaling/log.js';
import { benchEngine, bothParties, type CompareBenchSpec, type CompareFigures, type CompareStep, compareNeeds, type EngineBenchSpec, type LogRegFigures, logregNeeds, type MathBenchSpec, type MathFigures, mathNeeds, type MathStep, needsCount, type PartyFigures, plainMatmul, type StepFigures } from '../workers/engine-bench.js';
import { runLocal } from '../workers/securenumpy/index.js';

type Mode = EngineBenchSpec['mode'];

/** The "compare" section of the JSON, filled by report(). */
const compareSection: Record<'node' | 'tabs', Partial<Record<Mode, unknown>>> = { node: {}, tabs: {} };

const MUL = 1_000_000;
const MAT = 256;
const DEALER_FREE_MATS = [32, 64];
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
if (!(SCALE > 0 && SCALE <= 1)) throw new Error(`BENCH_SCALE must be in (0, 1], got ${process.env.BENCH_SCALE}`);
const MiB = 1024 * 1024;

const COMPARE = process.env.BENCH_COMPARE !== '0';
const COMPARE_SCALE = Number(process.env.BENCH_COMPARE_SCALE ?? 1);
if (!(COMPARE_SCALE > 0 && COMPARE_SCALE <= 1)) throw new Error(`BENCH_COMPARE_SCALE must be in (0, 1], got ${process.env.BENCH_COMPARE_SCALE}`);
const COMPARE_DF_SCALE = Number(process.env.BENCH_COMPARE_DEALER_FREE_SCALE ?? 1);
if (!(COMPARE_DF_SCALE > 0)) throw new Error(`BENCH_COMPARE_DEALER_FREE_SCALE must be > 0, got ${process.env.BENCH_COMPARE_DEALER_FREE_SCALE}`);
/** The full sizes (the targets' sizes) and the dealer-free ones. */
const COMPARE_FULL: CompareBenchSpec = { ltSize: 100_000, argmaxRows: 10_000, argmaxCols: 10, sortSize: 10_000 };
const COMPARE_DEALER_FREE: CompareBenchSpec = { ltSize: 2_000, argmaxRows: 500, argmaxCols: 10, sortSize: 256 };
const scaled = (c: CompareBenchSpec, k: number): CompareBenchSpec => ({
  ltSize: Math.max(1, Math.round(c.ltSize * k)),
  argmaxRows: Math.max(1, Math.round(c.argmaxRows * k)),
  argmaxCols: c.argmaxCols,
  sortSize: Math.max(2, Math.round(c.sortSize * k)),
});
const COMPARE_SPECS: Record<Mode, CompareBenchSpec> = {
  dealer: scaled(COMPARE_FULL, COMPARE_SCALE),
  'dealer-free': scaled(COMPARE_DEALER_FREE, COMPARE_SCALE * COMPARE_DF_SCALE),
};

const MATH = process.env.BENCH_MATH !== '0';
const MATH_SCALE = Number(process.env.BENCH_MATH_SCALE ?? 1);
if (!(MATH_SCALE > 0 && MATH_SCALE <= 1)) throw new Error(`BENCH_MATH_SCALE must be in (0, 1], got ${process.env.BENCH_MATH_SCALE}`);
const MATH_DF_SCALE = Number(process.env.BENCH_MATH_DEALER_FREE_SCALE ?? 1);
if (!(MATH_DF_SCALE > 0)) throw new Error(`BENCH_MATH_DEALER_FREE_SCALE must be > 0, got ${process.env.BENCH_MATH_DEALER_FREE_SCALE}`);
const MATH_FULL: MathBenchSpec = { divSize: 100_000, expSize: 100_000, sigmoidSize: 100_000, lrRows: 3_750, lrFeatures: 20, lrEpochs: 10, lrRate: 1 };
const MATH_DEALER_FREE: MathBenchSpec = { divSize: 2_000, expSize: 2_000, sigmoidSize: 2_000, lrRows: 375, lrFeatures: 20, lrEpochs: 2, lrRate: 1 };
const mathScaled = (m: MathBenchSpec, k: number): MathBenchSpec => ({
  ...m,
  divSize: Math.max(1, Math.round(m.divSize * k)),
  expSize: Math.max(1, Math.round(m.expSize * k)),
  sigmoidSize: Math.max(1, Math.round(m.sigmoidSize * k)),
  lrRows: Math.max(2, Math.round(m.lrRows * k)),
});
const MATH_SPECS: Record<Mode, MathBenchSpec> = {
  dealer: mathScaled(MATH_FULL, MATH_SCALE),
  'dealer-free': mathScaled(MATH_DEALER_FREE, MATH_SCALE * MATH_DF_SCALE),
};
/** The "math" section of the JSON, filled by report() (dealer first, so dealer-free rows can point at its online figures). */
const mathSection: Record<'node' | 'tabs', Partial<Record<Mode, Record<string, any>>>> = { node: {}, tabs: {} };

const SPECS: Record<Mode, EngineBenchSpec> = {
  dealer: { mode: 'dealer', mulSize: MUL, matmulSizes: [MAT], compare: COMPARE ? COMPARE_SPECS.dealer : null, math: MATH ? MATH_SPECS.dealer : null },
  'dealer-free': { mode: 'dealer-free', mulSize: Math.round(MUL * SCALE), matmulSizes: DEALER_FREE_MATS, compare: COMPARE ? COMPARE_SPECS['dealer-free'] : null, math: MATH ? MATH_SPECS['dealer-free'] : null },
};

const TARGETS = {
  tabsOnlineMul1MSeconds: 2,
  tabsOnlineMatmul256Seconds: 1,
  dealerTriplesPerSecond: 500_000,
  dealerFreeTriplesPerSecond: 20_000,
  nodeOnlineMul1MSeconds: 0.5,
  tabsDealerLt100kSeconds: 2,
  tabsDealerSort10kSeconds: 30,
  tabsDealerLogreg3750x20Seconds: 30,
  logregAccuracyPointsFromPlaintext: 1,
};

const log = (msg: string) => console.error(`[bench:engine ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const r3 = (x: number) => +x.toFixed(3);

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** Plain JS on this machine: the 1M float64 multiply and the 256³ float64 matmul. */
function plaintext() {
  const a = Float64Array.from({ length: MUL }, (_, i) => Math.sin(i));
  const b = Float64Array.from({ length: MUL }, (_, i) => Math.cos(i));
  const mulTimes: number[] = [];
  for (let run = 0; run < 7; run++) {
    const t = performance.now();
    const out = new Float64Array(MUL);
    for (let i = 0; i < MUL; i++) out[i] = a[i]! * b[i]!;
    mulTimes.push(performance.now() - t);
  }
  const x = a.subarray(0, MAT * MAT);
  const y = b.subarray(0, MAT * MAT);
  const matTimes: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t = performance.now();
    plainMatmul(x, y, MAT);
    matTimes.push(performance.now() - t);
  }
  return { mul1MSeconds: r3(median(mulTimes) / 1000), matmul256Seconds: r3(median(matTimes) / 1000) };
}

const perSecond = (count: number, seconds: number) => Math.round(count / seconds);

/** A preprocessing step: as bothParties, without rounds and messages (correlations travel outside the online exchange). */
function prep(a: StepFigures, b: StepFigures) {
  const { rounds: _r, messages: _m, ...rest } = bothParties(a, b);
  return { ...rest, bytesReceivedPerParty: [a.bytesReceived, b.bytesReceived] };
}

/** The JSON for one mode from both parties' figures. */
function report(mode: Mode, figs: PartyFigures[], targets: { mulOnline?: number; matmulOnline?: number }, where: 'node' | 'tabs') {
  const [p0, p1] = figs as [PartyFigures, PartyFigures];
  const out: Record<string, unknown> = { setup: prep(p0.setup, p1.setup) };
  if (p0.compare && p1.compare) compareSection[where][mode] = compareReport(mode, where, p0.compare, p1.compare);
  if (p0.math && p1.math) mathSection[where][mode] = mathReport(mode, where, p0.math, p1.math);
  const triplesTarget = mode === 'dealer' ? TARGETS.dealerTriplesPerSecond : TARGETS.dealerFreeTriplesPerSecond;
  if (p0.mul && p1.mul) {
    const pt = prep(p0.mul.preprocessTriples, p1.mul.preprocessTriples);
    const pr = prep(p0.mul.preprocessTruncations, p1.mul.preprocessTruncations);
    const on = bothParties(p0.mul.online, p1.mul.online);
    const tps = perSecond(p0.mul.size, pt.seconds);
    out.mul = {
      size: p0.mul.size,
      preprocessing: {
        triples: { count: p0.mul.size, ...pt, triplesPerSecond: tps, target: triplesTarget, met: tps >= triplesTarget },
        truncations: { count: p0.mul.size, ...pr, perSecond: perSecond(p0.mul.size, pr.seconds) },
        seconds: r3(pt.seconds + pr.seconds),
      },
      online: { ...on, ...(targets.mulOnline === undefined ? {} : { target: targets.mulOnline, met: on.seconds <= targets.mulOnline }) },
      maxError: p0.mul.maxError,
    };
  }
  out.matmul = p0.matmul.map((m0, i) => {
    const m1 = p1.matmul[i]!;
    const matrix = prep(m0.preprocessMatrix, m1.preprocessMatrix);
    const truncations = prep(m0.preprocessTruncations, m1.preprocessTruncations);
    const on = bothParties(m0.online, m1.online);
    const s = m0.size;
    const matrixRow: Record<string, unknown> = { ...matrix };
    if (mode === 'dealer-free') {
      const rate = perSecond(s ** 3, matrix.seconds);
      Object.assign(matrixRow, { scalarTriples: s ** 3, triplesPerSecond: rate, target: triplesTarget, met: rate >= triplesTarget });
    }
    const online = { ...on, ...(s === MAT && targets.matmulOnline !== undefined ? { target: targets.matmulOnline, met: on.seconds <= targets.matmulOnline } : {}) };
    return { size: s, preprocessing: { matrixTriple: matrixRow, truncations: { count: s * s, ...truncations }, seconds: r3(matrix.seconds + truncations.seconds) }, online, maxError: m0.maxError };
  });
  if (mode === 'dealer-free') {
    // Matrix triple: linear in m·k·n scalar triples; truncations: linear in their count.
    const i = p0.matmul.length - 1;
    const from = p0.matmul[i]!.size;
    const matrix = prep(p0.matmul[i]!.preprocessMatrix, p1.matmul[i]!.preprocessMatrix);
    const trunc = prep(p0.matmul[i]!.preprocessTruncations, p1.matmul[i]!.preprocessTruncations);
    const cube = (MAT / from) ** 3;
    const square = (MAT / from) ** 2;
    out.matmul256Extrapolated = {
      size: MAT,
      from,
      measured: false,
      scalarTriples: MAT ** 3,
      preprocessingSeconds: Math.round(matrix.seconds * cube + trunc.seconds * square),
      preprocessingBytesSentPerParty: matrix.bytesSentPerParty.map((b, p) => Math.round(b * cube + trunc.bytesSentPerParty[p]! * square)),
      note: `extrapolated from the ${from}×${from}×${from} run: the matrix triple linearly in m·k·n scalar OT triples, the truncations linearly in m·n; the online phase does not depend on how the matrix triple was made (see the dealer-mode ${MAT} figure; dealer-free truncation opens packed bits instead of words)`,
    };
  }
  return out;
}

// ---- The compare section --------------------------------------------------------------------

/** One compare op from both parties' figures; targets (tabs, dealer, full size) on online and on preprocessing + online. */
function compareRow(mode: Mode, c0: CompareStep, c1: CompareStep, full: { size: number; needs: { andWords: number; triples: number } }, target?: number) {
  const pre = prep(c0.preprocess, c1.preprocess);
  const on = bothParties(c0.online, c1.online);
  const total = r3(pre.seconds + on.seconds);
  const row: Record<string, unknown> = {
    size: c0.size,
    needs: c0.needs,
    preprocessing: { seconds: pre.seconds, bytesSentPerParty: pre.bytesSentPerParty, bytesReceivedPerParty: pre.bytesReceivedPerParty, andWordsMade: c0.preprocess.andWordsMade, triplesMade: c0.preprocess.triplesMade },
    online: { seconds: on.seconds, rounds: on.rounds, messages: on.messages, bytesSentPerParty: on.bytesSentPerParty, andWordsMadeDuringOnline: c0.online.andWordsMade, triplesMadeDuringOnline: c0.online.triplesMade },
    totalSeconds: total,
    check: c0.mismatches !== undefined ? { mismatches: c0.mismatches, ok: c0.mismatches === 0 } : { maxError: c0.maxError, ok: c0.maxError === 0 },
  };
  if (target !== undefined && c0.size === full.size) {
    row.target = { seconds: target, onlineMet: on.seconds <= target, preprocessingPlusOnlineMet: total <= target };
  }
  if (mode === 'dealer-free' && c0.size !== full.size) {
    // Preprocessing is linear in the correlations (AND words dominate: ~2 KB of OT traffic each, a triple ~2.5 KB).
    const k = (full.needs.andWords + full.needs.triples) / (c0.needs.andWords + c0.needs.triples);
    row.extrapolated = {
      size: full.size,
      measured: false,
      needs: full.needs,
      preprocessingSeconds: Math.round(pre.seconds * k),
      preprocessingBytesSentPerParty: pre.bytesSentPerParty.map((b) => Math.round(b * k)),
      preprocessingElementsPerSecond: perSecond(c0.size, pre.seconds),
      andWordsPerSecond: perSecond(c0.needs.andWords, pre.seconds),
      note: 'preprocessing scaled linearly in the correlations (AND words + triples) from the measured size; the online phase does not depend on how the correlations were made (see the dealer-mode figure at full size)',
    };
  }
  return row;
}

function compareReport(mode: Mode, where: 'node' | 'tabs', f0: CompareFigures, f1: CompareFigures) {
  const full = COMPARE_FULL;
  const tabsDealer = where === 'tabs' && mode === 'dealer';
  const out: Record<string, unknown> = { sizesReduced: mode === 'dealer-free' || COMPARE_SCALE < 1 };
  if (f0.lt && f1.lt) out.lt = compareRow(mode, f0.lt, f1.lt, { size: full.ltSize, needs: compareNeeds('lt', full.ltSize) }, tabsDealer ? TARGETS.tabsDealerLt100kSeconds : undefined);
  if (f0.where && f1.where) out.where = compareRow(mode, f0.where, f1.where, { size: full.ltSize, needs: compareNeeds('where', full.ltSize) });
  if (f0.argmax && f1.argmax) {
    out.argmax = {
      rows: f0.argmax.rows,
      cols: f0.argmax.cols,
      axis: 1,
      ...compareRow(mode, f0.argmax, f1.argmax, { size: full.argmaxRows * full.argmaxCols, needs: compareNeeds('argmax', full.argmaxRows, full.argmaxCols) }),
    };
  }
  if (f0.sort && f1.sort) {
    const row = compareRow(mode, f0.sort, f1.sort, { size: full.sortSize, needs: compareNeeds('sort', full.sortSize) }, tabsDealer ? TARGETS.tabsDealerSort10kSeconds : undefined);
    // A sort's cost grows with its comparators (~n·log²n), not with n: give the rate per comparator too.
    const ex = row.extrapolated as Record<string, unknown> | undefined;
    if (ex) ex.preprocessingComparatorsPerSecond = perSecond(f0.sort.comparators, (row.preprocessing as { seconds: number }).seconds);
    out.sort = { comparators: f0.sort.comparators, ...row };
  }
  return out;
}

// ---- The math section -----------------------------------------------------------------------

/** Extrapolation of a reduced dealer-free run to the full size: preprocessing linear in the correlations, online from dealer mode. */
function extrapolate(pre: { seconds: number; bytesSentPerParty: number[] }, measured: number, full: number, dealerOnline: number | undefined, what: string) {
  const k = full / measured;
  const preprocessingSeconds = Math.round(pre.seconds * k);
  return {
    measured: false,
    factor: r3(k),
    preprocessingSeconds,
    preprocessingBytesSentPerParty: pre.bytesSentPerParty.map((b) => Math.round(b * k)),
    ...(dealerOnline === undefined ? {} : { onlineSecondsFromDealerMode: dealerOnline, totalSeconds: Math.round(preprocessingSeconds + dealerOnline) }),
    note: `extrapolated, not measured: preprocessing scaled linearly in the correlations (AND words + triples + truncations${what}) from the measured size; the online phase does not depend on how the correlations were made, so the total adds the dealer-mode online figure at full size from the same place`,
  };
}

function mathRow(mode: Mode, where: 'node' | 'tabs', op: 'div' | 'exp' | 'sigmoid', s0: MathStep, s1: MathStep, fullSize: number) {
  const pre = prep(s0.preprocess, s1.preprocess);
  const on = bothParties(s0.online, s1.online);
  const row: Record<string, unknown> = {
    size: s0.size,
    needs: s0.needs,
    preprocessing: { seconds: pre.seconds, bytesSentPerParty: pre.bytesSentPerParty, bytesReceivedPerParty: pre.bytesReceivedPerParty, andWordsMade: s0.preprocess.andWordsMade, triplesMade: s0.preprocess.triplesMade, truncationsMade: s0.preprocess.truncationsMade },
    online: { seconds: on.seconds, rounds: on.rounds, messages: on.messages, bytesSentPerParty: on.bytesSentPerParty, madeDuringOnline: { andWords: s0.online.andWordsMade, triples: s0.online.triplesMade, truncations: s0.online.truncationsMade } },
    totalSeconds: r3(pre.seconds + on.seconds),
    check: { maxError: s0.maxError, maxErrorOverBound: s0.maxErrorOverBound, ok: s0.withinBound },
  };
  if (mode === 'dealer-free' && s0.size !== fullSize) {
    const dealer = mathSection[where].dealer?.[op] as { size: number; online: { seconds: number } } | undefined;
    row.extrapolated = { size: fullSize, needs: mathNeeds(op, fullSize), ...extrapolate(pre, needsCount(s0.needs), needsCount(mathNeeds(op, fullSize)), dealer?.size === fullSize ? dealer.online.seconds : undefined, '') };
  }
  return row;
}

function logregRow(mode: Mode, where: 'node' | 'tabs', l0: LogRegFigures, l1: LogRegFigures) {
  const inputs = bothParties(l0.inputs, l1.inputs);
  const pre = prep(l0.preprocess, l1.preprocess);
  const on = bothParties(l0.online, l1.online);
  const total = r3(inputs.seconds + pre.seconds + on.seconds);
  const accuracyGapPoints = l0.accuracy !== null && l0.plainAccuracy !== null ? +(100 * Math.abs(l0.accuracy - l0.plainAccuracy)).toFixed(2) : null;
  const full = MATH_FULL;
  const atFull = l0.rows === full.lrRows && l0.cols === full.lrFeatures + 1 && l0.epochs === full.lrEpochs;
  const row: Record<string, unknown> = {
    rows: l0.rows,
    features: l0.cols - 1,
    cols: l0.cols,
    epochs: l0.epochs,
    learningRate: l0.learningRate,
    needs: { ...l0.needs, matrices: `${l0.needs.matrices?.length ?? 0} matrix triples ([rows, cols, 1] and [cols, rows, 1] per epoch)` },
    inputs: { seconds: inputs.seconds, bytesSentPerParty: inputs.bytesSentPerParty },
    preprocessing: { seconds: pre.seconds, bytesSentPerParty: pre.bytesSentPerParty, bytesReceivedPerParty: pre.bytesReceivedPerParty },
    online: { seconds: on.seconds, rounds: on.rounds, messages: on.messages, bytesSentPerParty: on.bytesSentPerParty, madeDuringOnline: { andWords: l0.online.andWordsMade, triples: l0.online.triplesMade, truncations: l0.online.truncationsMade, matrixTriples: l0.online.matrixTriplesMade } },
    totalSeconds: total,
    accuracy: l0.accuracy,
    plainAccuracy: l0.plainAccuracy,
    accuracyGapPoints,
    maxThetaDiff: l0.maxThetaDiff,
    theta: l0.theta,
  };
  if (where === 'tabs' && mode === 'dealer' && atFull) {
    row.target = {
      seconds: TARGETS.tabsDealerLogreg3750x20Seconds,
      met: total <= TARGETS.tabsDealerLogreg3750x20Seconds,
      accuracyPoints: TARGETS.logregAccuracyPointsFromPlaintext,
      accuracyMet: accuracyGapPoints !== null && accuracyGapPoints <= TARGETS.logregAccuracyPointsFromPlaintext,
    };
  }
  if (mode === 'dealer-free' && !atFull) {
    const dealer = mathSection[where].dealer?.logreg as { rows: number; epochs: number; online: { seconds: number }; inputs: { seconds: number } } | undefined;
    const fullNeeds = logregNeeds(full.lrRows, full.lrFeatures + 1, full.lrEpochs);
    const dealerOnline = dealer?.rows === full.lrRows && dealer.epochs === full.lrEpochs ? r3(dealer.online.seconds + dealer.inputs.seconds) : undefined;
    row.extrapolated = {
      rows: full.lrRows,
      features: full.lrFeatures,
      epochs: full.lrEpochs,
      ...extrapolate(pre, needsCount(l0.needs), needsCount(fullNeeds), dealerOnline, '; a matrix triple [m, k, n] as m·k·n scalar OT triples'),
    };
  }
  return row;
}

function mathReport(mode: Mode, where: 'node' | 'tabs', f0: MathFigures, f1: MathFigures) {
  const full = MATH_FULL;
  const out: Record<string, unknown> = { sizesReduced: mode === 'dealer-free' || MATH_SCALE < 1 };
  if (f0.div && f1.div) out.div = mathRow(mode, where, 'div', f0.div, f1.div, full.divSize);
  if (f0.exp && f1.exp) out.exp = mathRow(mode, where, 'exp', f0.exp, f1.exp, full.expSize);
  if (f0.sigmoid && f1.sigmoid) out.sigmoid = mathRow(mode, where, 'sigmoid', f0.sigmoid, f1.sigmoid, full.sigmoidSize);
  if (f0.logreg && f1.logreg) out.logreg = logregRow(mode, where, f0.logreg, f1.logreg);
  return out;
}

async function nodeRun(mode: Mode) {
  log(`node ${mode}: start`);
  const t = performance.now();
  const figs = await runLocal(2, (snp, party) => benchEngine(snp, party, SPECS[mode]), { preprocessing: mode });
  log(`node ${mode}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return report(mode, figs, SPECS[mode].mulSize === MUL ? { mulOnline: TARGETS.nodeOnlineMul1MSeconds } : {}, 'node');
}

// ---- Chromium -------------------------------------------------------------------------------

async function openTab(browser: Browser, url: string, name: string, dealer: boolean): Promise<Page> {
  const ctx = await browser.newContext();
  await ctx.grantPermissions(['microphone'], { origin: url });
  await ctx.addInitScript(() => localStorage.setItem('parleyDebug', '1'));
  const page = await ctx.newPage();
  if (process.env.TRACE === '1') page.on('console', (m) => console.error(`[${name}] ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[${name}] page error: ${e.message}`));
  await page.goto(url);
  await page.fill('[data-testid=join-name]', name);
  if (dealer) await page.check('[data-testid=role-dealer]');
  await page.click('[data-testid=join-submit]');
  await page.waitForFunction(() => document.querySelector('[data-testid=connection]')?.textContent === 'online');
  return page;
}

/** Tab `from` sends 16 MiB to tab `to` through the pool (a cold channel starts slowly). */
async function warm(pages: Page[], from: number, to: number): Promise<void> {
  const done = pages[to]!.evaluate((peer) => (globalThis as any).pool.measure.recvBulk(peer), from);
  await pages[from]!.evaluate(([peer, n]) => (globalThis as any).pool.measure.sendBulk(peer, n), [to, 16 * MiB] as const);
  await done;
}

async function tabsRun(browser: Browser, url: string, mode: Mode) {
  const tag = mode === 'dealer' ? 'd' : 'df';
  const names = [`${tag}-alice`, `${tag}-bob`, ...(mode === 'dealer' ? [`${tag}-dealer`] : [])];
  log(`tabs ${mode}: opening ${names.length} tabs`);
  const pages: Page[] = [];
  for (const [i, name] of names.entries()) pages.push(await openTab(browser, url, name, i === 2));
  try {
    const jobId = await pages[0]!.evaluate(async ([peer, dealer]) => {
      const { session } = (globalThis as any).parley;
      const job = await session.call('job:propose', {
        kind: 'securenumpy', peers: [peer], program: 'bench:engine', reveal: [{ output: 'none', to: [peer] }], ...(dealer ? { dealer } : {}),
      });
      return job.id as string;
    }, [names[1]!, names[2]] as const);
    for (const p of pages.slice(1)) await p.click('[data-testid=accept]');
    for (const p of pages) {
      await p.waitForFunction((n) => {
        const rows = [...document.querySelectorAll('[data-testid=link-state]')];
        return rows.length === n && rows.every((r) => r.textContent === 'open');
      }, names.length - 1, { timeout: 30_000 });
    }
    for (const p of pages) {
      await p.evaluate(async (id) => {
        (globalThis as any).pool = await (globalThis as any).parley.openPool(id);
      }, jobId);
    }
    log(`tabs ${mode}: connected; warming the channels`);
    await warm(pages, 0, 1);
    await warm(pages, 1, 0);
    if (mode === 'dealer') {
      await warm(pages, 2, 1);
      await warm(pages, 2, 0);
    }
    log(`tabs ${mode}: measuring`);
    const t = performance.now();
    const dealerRun = mode === 'dealer' ? pages[2]!.evaluate(() => (globalThis as any).pool.measure.dealer()) : Promise.resolve(null);
    const figs = (await Promise.all(pages.slice(0, 2).map((p) => p.evaluate((spec) => (globalThis as any).pool.measure.engine(spec), SPECS[mode])))) as PartyFigures[];
    await dealerRun;
    log(`tabs ${mode}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const full = SPECS[mode].mulSize === MUL;
    return report(mode, figs, { ...(full ? { mulOnline: TARGETS.tabsOnlineMul1MSeconds } : {}), matmulOnline: TARGETS.tabsOnlineMatmul256Seconds }, 'tabs');
  } finally {
    for (const p of pages) await p.context().close();
  }
}

/** Every target next to what it is compared with, one row per place and mode. */
function checks(r: any) {
  const rows: { target: string; where: string; size: number; measured: number; limit: number; met: boolean }[] = [];
  const add = (target: string, where: string, size: number, measured: number, limit: number, atMost: boolean) =>
    rows.push({ target, where, size, measured, limit, met: atMost ? measured <= limit : measured >= limit });
  for (const mode of ['dealer', 'dealer-free'] as const) {
    const tabs = r.tabs[mode];
    const node = r.node[mode];
    add('tabs online 1M multiply ≤ 2 s', `tabs ${mode}`, tabs.mul.size, tabs.mul.online.seconds, TARGETS.tabsOnlineMul1MSeconds, true);
    add('Node runLocal online 1M multiply ≤ 0.5 s', `node ${mode}`, node.mul.size, node.mul.online.seconds, TARGETS.nodeOnlineMul1MSeconds, true);
    const rateTarget = mode === 'dealer' ? TARGETS.dealerTriplesPerSecond : TARGETS.dealerFreeTriplesPerSecond;
    const label = mode === 'dealer' ? 'dealer preprocessing ≥ 500,000 triples/s' : 'dealer-free preprocessing ≥ 20,000 triples/s';
    for (const [where, x] of [[`node ${mode}`, node], [`tabs ${mode}`, tabs]] as const) {
      add(label, where, x.mul.size, x.mul.preprocessing.triples.triplesPerSecond, rateTarget, false);
    }
  }
  const m = r.tabs.dealer.matmul.find((x: { size: number }) => x.size === MAT);
  add('tabs online 256 matmul ≤ 1 s', 'tabs dealer', MAT, m.online.seconds, TARGETS.tabsOnlineMatmul256Seconds, true);
  const cmp = r.compare?.tabs?.dealer;
  if (cmp?.lt?.target) {
    add('tabs dealer 100,000 lt online ≤ 2 s', 'tabs dealer', cmp.lt.size, cmp.lt.online.seconds, TARGETS.tabsDealerLt100kSeconds, true);
    add('tabs dealer 100,000 lt preprocessing + online ≤ 2 s', 'tabs dealer', cmp.lt.size, cmp.lt.totalSeconds, TARGETS.tabsDealerLt100kSeconds, true);
  }
  if (cmp?.sort?.target) {
    add('tabs dealer sort of 10,000 online ≤ 30 s', 'tabs dealer', cmp.sort.size, cmp.sort.online.seconds, TARGETS.tabsDealerSort10kSeconds, true);
    add('tabs dealer sort of 10,000 preprocessing + online ≤ 30 s', 'tabs dealer', cmp.sort.size, cmp.sort.totalSeconds, TARGETS.tabsDealerSort10kSeconds, true);
  }
  const lr = r.math?.tabs?.dealer?.logreg;
  if (lr?.target) {
    add('tabs dealer logistic regression 3,750 × 20, 10 epochs, inputs + preprocessing + online ≤ 30 s', 'tabs dealer', lr.rows, lr.totalSeconds, TARGETS.tabsDealerLogreg3750x20Seconds, true);
    add('tabs dealer logistic regression accuracy within 1 point of plaintext', 'tabs dealer', lr.rows, lr.accuracyGapPoints ?? Infinity, TARGETS.logregAccuracyPointsFromPlaintext, true);
  }
  for (const where of ['node', 'tabs'] as const) {
    for (const mode of ['dealer', 'dealer-free'] as const) {
      const m = r.math?.[where]?.[mode];
      for (const op of ['div', 'exp', 'sigmoid'] as const) {
        if (m?.[op]) add(`${op}: every result within its documented bound (max error / bound ≤ 1)`, `${where} ${mode}`, m[op].size, m[op].check.maxErrorOverBound ?? Infinity, 1, true);
      }
    }
  }
  return rows;
}

// ---- Run ------------------------------------------------------------------------------------

const started = performance.now();
const result: Record<string, unknown> = {
  note: "seconds: the slower party's wall time; online rounds: the op's result depth over its inputs' (stats().rounds is a circuit depth); messages: the most batches either party sent the other during the op; bytes: per party (party 0, party 1), the dealer's link included; setup: the first correlations (base OTs dealer-free, the dealer's seeds), kept out of the rates",
  scale: { BENCH_SCALE: SCALE, dealerFreeMulSize: SPECS['dealer-free'].mulSize, dealerFreeMatmulSizes: DEALER_FREE_MATS },
  targets: TARGETS,
  plaintext: plaintext(),
  loadAverageAtStart: loadavg().map((x) => +x.toFixed(2)),
};
result.node = { dealer: await nodeRun('dealer'), 'dealer-free': await nodeRun('dealer-free') };

const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
const service = await createService({ dbFile: join(dir, 'p.db'), staticDir: resolve(import.meta.dirname, '../dist'), logger: createLogger('warn') });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  result.tabs = { dealer: await tabsRun(browser, service.url, 'dealer'), 'dealer-free': await tabsRun(browser, service.url, 'dealer-free') };
} finally {
  await browser.close();
  await service.close();
  rmSync(dir, { recursive: true, force: true });
}
if (COMPARE) {
  result.compare = {
    note: "lt: x.lt(y) of party 0's and party 1's vectors; where: snp.where(lt result, x, y); argmax: argmax(1) of the sum of both parties' rows; sort: snp.sort of the sum of both parties' vectors. Each op's correlations (needs) are made first by snp.preprocess (preprocessing), then the op runs (online; andWordsMadeDuringOnline/triplesMadeDuringOnline 0 = nothing made on the fly). check: the result revealed to party 0 against plaintext (values on a 1/64 grid, exact in fixed point). Dealer-free runs smaller sizes (size) with the preprocessing extrapolated to the full size.",
    sizes: { full: COMPARE_FULL, dealerFree: COMPARE_SPECS['dealer-free'], dealer: COMPARE_SPECS.dealer, BENCH_COMPARE_SCALE: COMPARE_SCALE, BENCH_COMPARE_DEALER_FREE_SCALE: COMPARE_DF_SCALE },
    targets: { tabsDealerLt100kSeconds: TARGETS.tabsDealerLt100kSeconds, tabsDealerSort10kSeconds: TARGETS.tabsDealerSort10kSeconds },
    ...compareSection,
  };
}
if (MATH) {
  result.math = {
    note: "div: x.div(d), x party 0's in [−100, 100], d party 1's with |d| from 2^-6 to 2^14, both signs; exp: x in [−20, 10]; sigmoid: x in [−30, 30]; inputs on the 2^-16 grid, so the plaintext reference sees exactly the encoded inputs. check: the result revealed to party 0, its largest error and its largest error / the documented bound (docs/securenumpy.md, Math). logreg: X (rows × features, standard normal, plus a column of ones) at party 0, y = [0.3 + w·x + N(0, 1) > 0] at party 1 (w fixed, ~N(0, 0.6²)); per epoch p = sigmoid(X·theta), theta -= lr·Xᵀ(p − y)/n; theta revealed to party 0; accuracy of the secure theta and of the float64 theta on the same data; totalSeconds = inputs + preprocessing (every correlation, made by snp.preprocess inside the total) + online. Each op's needs are made first (madeDuringOnline 0 = nothing made on the fly). Dealer-free runs smaller sizes (size, rows, epochs): its `extrapolated` figures are NOT measured.",
    sizes: { full: MATH_FULL, dealerFree: MATH_SPECS['dealer-free'], dealer: MATH_SPECS.dealer, BENCH_MATH_SCALE: MATH_SCALE, BENCH_MATH_DEALER_FREE_SCALE: MATH_DF_SCALE },
    targets: { tabsDealerLogreg3750x20Seconds: TARGETS.tabsDealerLogreg3750x20Seconds, logregAccuracyPointsFromPlaintext: TARGETS.logregAccuracyPointsFromPlaintext },
    ...mathSection,
  };
}
result.checks = checks(result as any);
result.loadAverageAtEnd = loadavg().map((x) => +x.toFixed(2));
result.totalSeconds = Math.round((performance.now() - started) / 1000);
console.log(JSON.stringify(result, null, 2));
