// `npm run bench:engine`: the SecureNumpy engine's figures as JSON, in Node and in two Chromium tabs over WebRTC.
//
// One run measures both parties in Node (runLocal) and two real tabs (a third tab as dealer in
// dealer mode), each in dealer-free and dealer mode, next to a plaintext baseline and the targets.
// Per mode: a 1,000,000-element fixed-point multiply and a secret × secret square matrix product,
// each with its preprocessing timed apart from its online phase. Dealer-free matrix triples cost
// m·k·n scalar OT triples, so dealer-free matmul is measured at 32 and 64 and extrapolated to 256.
// Dealer-free runs on silent OT (the default); the same run measures the IKNP baseline (session
// option otExtension: 'iknp') on 200,000 triples in Node and in the tabs ("iknpBaseline").
// BENCH_SCALE (default 1) shrinks the dealer-free multiply for a quicker run. BENCH_LANES sets the
// dealer-free preprocessing lanes each party wishes for (workers/ot/lanes/; default: in the tabs
// navigator.hardwareConcurrency − 1, from 1 to 8, each lane in a worker of its own; in Node 1).
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
// at party 1, from a known linear model with noise) by the shipped preset program
// (workers/programs/logistic-regression.ts) for 10 epochs, theta revealed to party 0 and its
// accuracy given next to the plaintext theta's (the program module's reference). Each op's
// correlations are made first by snp.preprocess (timed). Dealer-free runs 2,000 values and
// 375 × 20 for 2 epochs and extrapolates the preprocessing linearly in the correlations.
// BENCH_MATH=0 skips the section; BENCH_MATH_SCALE (0, 1] shrinks its sizes (rows, not epochs);
// BENCH_MATH_DEALER_FREE_SCALE (> 0, default 1) multiplies the dealer-free sizes.
//
// The "rings" section (issue 15): both rings side by side in Node and in the tabs, each mode:
// multiply, matmul and lt with preprocessing and online timed apart, and the ratio wide / standard
// against the targets (≤ 3× online, ≤ 4.5× preprocessing); a combination the engine refuses gives
// an "unsupported" row (bench/engine/rings.ts). BENCH_RINGS=0 skips it.
//
// Where the code is: bench/engine/party.ts runs one party's measurements (steps.ts, compare.ts,
// math.ts, logreg.ts), the same in Node and in the tabs' bench workers (bench/pool-page.ts
// connects the job with bench/worker/bench.worker.ts, whose Pool is built as the product's job
// workers build theirs); config.ts holds sizes and targets, report.ts turns figures into JSON.

import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { runLocal } from '../workers/securenumpy/index.js';
import {
  COMPARE,
  COMPARE_DF_SCALE,
  COMPARE_FULL,
  COMPARE_SCALE,
  COMPARE_SPECS,
  DEALER_FREE_MATS,
  IKNP_BASELINE,
  LANES,
  MAT,
  MATH,
  MATH_DF_SCALE,
  MATH_FULL,
  MATH_SCALE,
  MATH_SPECS,
  type Mode,
  MUL,
  r3,
  SCALE,
  SPECS,
  TARGETS,
} from './engine/config.js';
import { benchEngine, type EngineBenchSpec, type PartyFigures } from './engine/party.js';
import { compareSection, mathSection, report } from './engine/report.js';
import { RING_SIZES, RING_TARGETS, RINGS_ON, ringChecks, ringSection, ringsAt } from './engine/rings.js';
import { plainMatmul } from './engine/steps.js';
import { type BenchWorld, startWorld } from './harness.js';
import { POOL_PAGE, poolTabs } from './pool-tabs.js';

const MiB = 1024 * 1024;

const log = (msg: string) => console.error(`[bench:engine ${new Date().toISOString().slice(11, 19)}] ${msg}`);

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

const label = (mode: Mode, spec: EngineBenchSpec) =>
  `${mode}${spec.otExtension ? ` (${spec.otExtension})` : ''}${spec.ring ? ` ring ${spec.ring}` : ''}`;

async function nodeFigures(mode: Mode, spec: EngineBenchSpec): Promise<PartyFigures[]> {
  log(`node ${label(mode, spec)}: start`);
  const t = performance.now();
  const figs = await runLocal(2, (snp, party) => benchEngine(snp, party, spec), {
    preprocessing: mode,
    ...(spec.ring !== undefined ? { ring: spec.ring } : {}),
    ...(spec.lanes !== undefined ? { lanes: spec.lanes } : {}),
    ...(spec.otExtension !== undefined ? { otExtension: spec.otExtension } : {}),
  });
  log(`node ${label(mode, spec)}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return figs;
}

async function nodeRun(mode: Mode, spec = SPECS[mode]) {
  const figs = await nodeFigures(mode, spec);
  return report(mode, figs, spec.mulSize === MUL ? { mulOnline: TARGETS.nodeOnlineMul1MSeconds } : {}, 'node');
}

// ---- Chromium -------------------------------------------------------------------------------

/** Tab `from` sends 16 MiB to tab `to` through the pool (a cold channel starts slowly). */
async function warm(pages: Page[], from: number, to: number): Promise<void> {
  const done = pages[to]!.evaluate((peer) => (globalThis as any).pool.measure.recvBulk(peer), from);
  await pages[from]!.evaluate(([peer, n]) => (globalThis as any).pool.measure.sendBulk(peer, n), [
    to,
    16 * MiB,
  ] as const);
  await done;
}

async function tabsFigures(world: BenchWorld, mode: Mode, spec: EngineBenchSpec): Promise<PartyFigures[]> {
  const tag = `${spec.ring ? `r${spec.ring}` : ''}${mode === 'dealer' ? 'd' : spec.otExtension === 'iknp' ? 'iknp' : 'df'}`;
  const names = [`${tag}-alice`, `${tag}-bob`, ...(mode === 'dealer' ? [`${tag}-dealer`] : [])];
  log(`tabs ${label(mode, spec)}: opening ${names.length} tabs`);
  const { pages } = await poolTabs(world, names, { dealer: mode === 'dealer' });
  try {
    log(`tabs ${label(mode, spec)}: connected; warming the channels`);
    await warm(pages, 0, 1);
    await warm(pages, 1, 0);
    if (mode === 'dealer') {
      await warm(pages, 2, 1);
      await warm(pages, 2, 0);
    }
    log(`tabs ${label(mode, spec)}: measuring`);
    const t = performance.now();
    const dealerRun =
      mode === 'dealer' ? pages[2]!.evaluate(() => (globalThis as any).pool.measure.dealer()) : Promise.resolve(null);
    dealerRun.catch(() => null); // a refused run closes the tabs under a waiting dealer
    const figs = (await Promise.all(
      pages.slice(0, 2).map((p) => p.evaluate((s) => (globalThis as any).pool.measure.engine(s), spec)),
    )) as PartyFigures[];
    await dealerRun;
    log(`tabs ${label(mode, spec)}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    return figs;
  } finally {
    for (const p of pages) await p.context().close();
  }
}

async function tabsRun(world: BenchWorld, mode: Mode, spec = SPECS[mode]) {
  const figs = await tabsFigures(world, mode, spec);
  return report(
    mode,
    figs,
    {
      ...(spec.mulSize === MUL ? { mulOnline: TARGETS.tabsOnlineMul1MSeconds } : {}),
      matmulOnline: TARGETS.tabsOnlineMatmul256Seconds,
    },
    'tabs',
  );
}

/** Every target next to what it is compared with, one row per place and mode. */
function checks(r: any) {
  const rows: { target: string; where: string; size: number; measured: number; limit: number; met: boolean }[] = [];
  const add = (target: string, where: string, size: number, measured: number, limit: number, atMost: boolean) =>
    rows.push({ target, where, size, measured, limit, met: atMost ? measured <= limit : measured >= limit });
  for (const mode of ['dealer', 'dealer-free'] as const) {
    const tabs = r.tabs[mode];
    const node = r.node[mode];
    add(
      'tabs online 1M multiply ≤ 2 s',
      `tabs ${mode}`,
      tabs.mul.size,
      tabs.mul.online.seconds,
      TARGETS.tabsOnlineMul1MSeconds,
      true,
    );
    add(
      'Node runLocal online 1M multiply ≤ 0.5 s',
      `node ${mode}`,
      node.mul.size,
      node.mul.online.seconds,
      TARGETS.nodeOnlineMul1MSeconds,
      true,
    );
    const rateTarget = mode === 'dealer' ? TARGETS.dealerTriplesPerSecond : TARGETS.dealerFreeTriplesPerSecond;
    const label =
      mode === 'dealer' ? 'dealer preprocessing ≥ 500,000 triples/s' : 'dealer-free preprocessing ≥ 50,000 triples/s';
    for (const [where, x] of [
      [`node ${mode}`, node],
      [`tabs ${mode}`, tabs],
    ] as const) {
      add(label, where, x.mul.size, x.mul.preprocessing.triples.triplesPerSecond, rateTarget, false);
      if (mode === 'dealer-free') {
        const t = x.mul.preprocessing.triples;
        const perTriple = (t.bytesSentPerParty[0] + t.bytesSentPerParty[1]) / t.count;
        add(
          'dealer-free ≤ 600 bytes per triple',
          where,
          t.count,
          Math.round(perTriple),
          TARGETS.dealerFreeBytesPerTriple,
          true,
        );
      }
    }
  }
  const m = r.tabs.dealer.matmul.find((x: { size: number }) => x.size === MAT);
  add('tabs online 256 matmul ≤ 1 s', 'tabs dealer', MAT, m.online.seconds, TARGETS.tabsOnlineMatmul256Seconds, true);
  const cmp = r.compare?.tabs?.dealer;
  if (cmp?.lt?.target) {
    add(
      'tabs dealer 100,000 lt online ≤ 2 s',
      'tabs dealer',
      cmp.lt.size,
      cmp.lt.online.seconds,
      TARGETS.tabsDealerLt100kSeconds,
      true,
    );
    add(
      'tabs dealer 100,000 lt preprocessing + online ≤ 2 s',
      'tabs dealer',
      cmp.lt.size,
      cmp.lt.totalSeconds,
      TARGETS.tabsDealerLt100kSeconds,
      true,
    );
  }
  if (cmp?.sort?.target) {
    add(
      'tabs dealer sort of 10,000 online ≤ 30 s',
      'tabs dealer',
      cmp.sort.size,
      cmp.sort.online.seconds,
      TARGETS.tabsDealerSort10kSeconds,
      true,
    );
    add(
      'tabs dealer sort of 10,000 preprocessing + online ≤ 30 s',
      'tabs dealer',
      cmp.sort.size,
      cmp.sort.totalSeconds,
      TARGETS.tabsDealerSort10kSeconds,
      true,
    );
  }
  const lr = r.math?.tabs?.dealer?.logreg;
  if (lr?.target) {
    add(
      'tabs dealer logistic regression 3,750 × 20, 10 epochs, inputs + preprocessing + online ≤ 30 s',
      'tabs dealer',
      lr.rows,
      lr.totalSeconds,
      TARGETS.tabsDealerLogreg3750x20Seconds,
      true,
    );
    add(
      'tabs dealer logistic regression accuracy within 1 point of plaintext',
      'tabs dealer',
      lr.rows,
      lr.accuracyGapPoints ?? Infinity,
      TARGETS.logregAccuracyPointsFromPlaintext,
      true,
    );
  }
  for (const where of ['node', 'tabs'] as const) {
    for (const mode of ['dealer', 'dealer-free'] as const) {
      const m = r.math?.[where]?.[mode];
      for (const op of ['div', 'exp', 'sigmoid'] as const) {
        if (m?.[op])
          add(
            `${op}: every result within its documented bound (max error / bound ≤ 1)`,
            `${where} ${mode}`,
            m[op].size,
            m[op].check.maxErrorOverBound ?? Infinity,
            1,
            true,
          );
      }
    }
  }
  return rows;
}

// ---- Run ------------------------------------------------------------------------------------

const started = performance.now();
const result: Record<string, unknown> = {
  note: "seconds: the slower party's wall time; online rounds: the op's result depth over its inputs' (stats().rounds is a circuit depth); messages: the most batches either party sent the other during the op; bytes: per party (party 0, party 1), the dealer's link included; setup: the first correlations (base OTs dealer-free, the dealer's seeds), kept out of the rates",
  scale: {
    BENCH_SCALE: SCALE,
    BENCH_LANES: LANES ?? 'unset (tabs: navigator.hardwareConcurrency − 1, from 1 to 8; Node: 1)',
    dealerFreeMulSize: SPECS['dealer-free'].mulSize,
    dealerFreeMatmulSizes: DEALER_FREE_MATS,
  },
  targets: TARGETS,
  plaintext: plaintext(),
  loadAverageAtStart: loadavg().map((x) => +x.toFixed(2)),
};
result.node = { dealer: await nodeRun('dealer'), 'dealer-free': await nodeRun('dealer-free') };
if (RINGS_ON) await ringsAt('node', nodeFigures);
const baseline: Record<string, unknown> = {
  note: 'dealer-free on IKNP OT extension instead of silent OT (session option otExtension: iknp), the same code otherwise: the baseline of the dealer-free figures, measured in this run',
  node: await nodeRun('dealer-free', IKNP_BASELINE),
};

const world = await startWorld({ page: POOL_PAGE, log });
try {
  result.tabs = { dealer: await tabsRun(world, 'dealer'), 'dealer-free': await tabsRun(world, 'dealer-free') };
  baseline.tabs = await tabsRun(world, 'dealer-free', IKNP_BASELINE);
  if (RINGS_ON) await ringsAt('tabs', (mode, spec) => tabsFigures(world, mode, spec));
} finally {
  await world.close();
}
result.iknpBaseline = baseline;
if (COMPARE) {
  result.compare = {
    note: "lt: x.lt(y) of party 0's and party 1's vectors; where: snp.where(lt result, x, y); argmax: argmax(1) of the sum of both parties' rows; sort: snp.sort of the sum of both parties' vectors. Each op's correlations (needs) are made first by snp.preprocess (preprocessing), then the op runs (online; andWordsMadeDuringOnline/triplesMadeDuringOnline 0 = nothing made on the fly). check: the result revealed to party 0 against plaintext (values on a 1/64 grid, exact in fixed point). Dealer-free runs smaller sizes (size) with the preprocessing extrapolated to the full size.",
    sizes: {
      full: COMPARE_FULL,
      dealerFree: COMPARE_SPECS['dealer-free'],
      dealer: COMPARE_SPECS.dealer,
      BENCH_COMPARE_SCALE: COMPARE_SCALE,
      BENCH_COMPARE_DEALER_FREE_SCALE: COMPARE_DF_SCALE,
    },
    targets: {
      tabsDealerLt100kSeconds: TARGETS.tabsDealerLt100kSeconds,
      tabsDealerSort10kSeconds: TARGETS.tabsDealerSort10kSeconds,
    },
    ...compareSection,
  };
}
if (MATH) {
  result.math = {
    note: "div: x.div(d), x party 0's in [−100, 100], d party 1's with |d| from 2^-6 to 2^14, both signs; exp: x in [−20, 10]; sigmoid: x in [−30, 30]; inputs on the 2^-16 grid, so the plaintext reference sees exactly the encoded inputs. check: the result revealed to party 0, its largest error and its largest error / the documented bound (docs/securenumpy.md, Math). logreg: X (rows × features, standard normal, plus a column of ones) at party 0, y = [0.3 + w·x + N(0, 1) > 0] at party 1 (w fixed, ~N(0, 0.6²)); per epoch p = sigmoid(X·theta), theta -= lr·Xᵀ(p − y)/n; theta revealed to party 0; accuracy of the secure theta and of the float64 theta on the same data; totalSeconds = inputs + preprocessing (every correlation, made by snp.preprocess inside the total) + online. Each op's needs are made first (madeDuringOnline 0 = nothing made on the fly). Dealer-free runs smaller sizes (size, rows, epochs): its `extrapolated` figures are NOT measured.",
    sizes: {
      full: MATH_FULL,
      dealerFree: MATH_SPECS['dealer-free'],
      dealer: MATH_SPECS.dealer,
      BENCH_MATH_SCALE: MATH_SCALE,
      BENCH_MATH_DEALER_FREE_SCALE: MATH_DF_SCALE,
    },
    targets: {
      tabsDealerLogreg3750x20Seconds: TARGETS.tabsDealerLogreg3750x20Seconds,
      logregAccuracyPointsFromPlaintext: TARGETS.logregAccuracyPointsFromPlaintext,
    },
    ...mathSection,
  };
}
if (RINGS_ON) {
  result.rings = {
    note: "the standard ring (64, Z_2^64) and the wide ring (128, Z_2^128) on the same sizes, in the same place, one after the other: preprocessingSeconds = the op's correlations made by snp.preprocess (mul: triples + truncations; matmul: the matrix triple + truncations; lt: AND words), onlineSeconds = the op itself (slower party); check: largest error (mul, matmul) or mismatches (lt) at party 0; ratio = wide / standard; 'unsupported': the engine refused the combination when this run was made (code and message)",
    sizes: RING_SIZES,
    targets: RING_TARGETS,
    ...ringSection,
  };
}
result.checks = [...checks(result as any), ...(RINGS_ON ? ringChecks(ringSection) : [])];
result.loadAverageAtEnd = loadavg().map((x) => +x.toFixed(2));
result.totalSeconds = Math.round((performance.now() - started) / 1000);
console.log(JSON.stringify(result, null, 2));
