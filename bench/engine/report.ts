// The JSON of `npm run bench:engine` from both parties' figures: one mode's multiply and matmul
// rows with their targets, and the compare and math sections, with the dealer-free runs'
// extrapolations to the full sizes (marked as not measured).

import { type CompareFigures, type CompareStep, compareNeeds } from './compare.js';
import {
  COMPARE_FULL,
  COMPARE_SCALE,
  MAT,
  MATH_FULL,
  MATH_SCALE,
  type Mode,
  perSecond,
  r3,
  TARGETS,
} from './config.js';
import type { LogRegFigures } from './logreg.js';
import type { MathFigures, MathStep } from './math.js';
import { logregNeeds, mathNeeds, needsCount } from './needs.js';
import type { PartyFigures } from './party.js';
import { bothParties, type StepFigures } from './steps.js';

/** The "compare" section of the JSON, filled by report(). */
export const compareSection: Record<'node' | 'tabs', Partial<Record<Mode, unknown>>> = { node: {}, tabs: {} };
/** The "math" section of the JSON, filled by report() (dealer first, so dealer-free rows can point at its online figures). */
export const mathSection: Record<'node' | 'tabs', Partial<Record<Mode, Record<string, any>>>> = { node: {}, tabs: {} };

/** A preprocessing step: as bothParties, without rounds and messages (correlations travel outside the online exchange). */
function prep(a: StepFigures, b: StepFigures) {
  const { rounds: _r, messages: _m, ...rest } = bothParties(a, b);
  return { ...rest, bytesReceivedPerParty: [a.bytesReceived, b.bytesReceived] };
}

/** The JSON for one mode from both parties' figures. */
export function report(
  mode: Mode,
  figs: PartyFigures[],
  targets: { mulOnline?: number; matmulOnline?: number },
  where: 'node' | 'tabs',
) {
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
      online: {
        ...on,
        ...(targets.mulOnline === undefined ? {} : { target: targets.mulOnline, met: on.seconds <= targets.mulOnline }),
      },
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
      Object.assign(matrixRow, {
        scalarTriples: s ** 3,
        triplesPerSecond: rate,
        target: triplesTarget,
        met: rate >= triplesTarget,
      });
    }
    const online = {
      ...on,
      ...(s === MAT && targets.matmulOnline !== undefined
        ? { target: targets.matmulOnline, met: on.seconds <= targets.matmulOnline }
        : {}),
    };
    return {
      size: s,
      preprocessing: {
        matrixTriple: matrixRow,
        truncations: { count: s * s, ...truncations },
        seconds: r3(matrix.seconds + truncations.seconds),
      },
      online,
      maxError: m0.maxError,
    };
  });
  if (mode === 'dealer-free' && p0.matmul.length > 0) {
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
      preprocessingBytesSentPerParty: matrix.bytesSentPerParty.map((b, p) =>
        Math.round(b * cube + trunc.bytesSentPerParty[p]! * square),
      ),
      note: `extrapolated from the ${from}×${from}×${from} run: the matrix triple linearly in m·k·n scalar OT triples, the truncations linearly in m·n; the online phase does not depend on how the matrix triple was made (see the dealer-mode ${MAT} figure; dealer-free truncation opens packed bits instead of words)`,
    };
  }
  return out;
}

// ---- The compare section --------------------------------------------------------------------

/** One compare op from both parties' figures; targets (tabs, dealer, full size) on online and on preprocessing + online. */
function compareRow(
  mode: Mode,
  c0: CompareStep,
  c1: CompareStep,
  full: { size: number; needs: { andWords: number; triples: number } },
  target?: number,
) {
  const pre = prep(c0.preprocess, c1.preprocess);
  const on = bothParties(c0.online, c1.online);
  const total = r3(pre.seconds + on.seconds);
  const row: Record<string, unknown> = {
    size: c0.size,
    needs: c0.needs,
    preprocessing: {
      seconds: pre.seconds,
      bytesSentPerParty: pre.bytesSentPerParty,
      bytesReceivedPerParty: pre.bytesReceivedPerParty,
      andWordsMade: c0.preprocess.andWordsMade,
      triplesMade: c0.preprocess.triplesMade,
    },
    online: {
      seconds: on.seconds,
      rounds: on.rounds,
      messages: on.messages,
      bytesSentPerParty: on.bytesSentPerParty,
      andWordsMadeDuringOnline: c0.online.andWordsMade,
      triplesMadeDuringOnline: c0.online.triplesMade,
    },
    totalSeconds: total,
    check:
      c0.mismatches !== undefined
        ? { mismatches: c0.mismatches, ok: c0.mismatches === 0 }
        : { maxError: c0.maxError, ok: c0.maxError === 0 },
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
  if (f0.lt && f1.lt)
    out.lt = compareRow(
      mode,
      f0.lt,
      f1.lt,
      { size: full.ltSize, needs: compareNeeds('lt', full.ltSize) },
      tabsDealer ? TARGETS.tabsDealerLt100kSeconds : undefined,
    );
  if (f0.where && f1.where)
    out.where = compareRow(mode, f0.where, f1.where, { size: full.ltSize, needs: compareNeeds('where', full.ltSize) });
  if (f0.argmax && f1.argmax) {
    out.argmax = {
      rows: f0.argmax.rows,
      cols: f0.argmax.cols,
      axis: 1,
      ...compareRow(mode, f0.argmax, f1.argmax, {
        size: full.argmaxRows * full.argmaxCols,
        needs: compareNeeds('argmax', full.argmaxRows, full.argmaxCols),
      }),
    };
  }
  if (f0.sort && f1.sort) {
    const row = compareRow(
      mode,
      f0.sort,
      f1.sort,
      { size: full.sortSize, needs: compareNeeds('sort', full.sortSize) },
      tabsDealer ? TARGETS.tabsDealerSort10kSeconds : undefined,
    );
    // A sort's cost grows with its comparators (~n·log²n), not with n: give the rate per comparator too.
    const ex = row.extrapolated as Record<string, unknown> | undefined;
    if (ex)
      ex.preprocessingComparatorsPerSecond = perSecond(
        f0.sort.comparators,
        (row.preprocessing as { seconds: number }).seconds,
      );
    out.sort = { comparators: f0.sort.comparators, ...row };
  }
  return out;
}

// ---- The math section -----------------------------------------------------------------------

/** Extrapolation of a reduced dealer-free run to the full size: preprocessing linear in the correlations, online from dealer mode. */
function extrapolate(
  pre: { seconds: number; bytesSentPerParty: number[] },
  measured: number,
  full: number,
  dealerOnline: number | undefined,
  what: string,
) {
  const k = full / measured;
  const preprocessingSeconds = Math.round(pre.seconds * k);
  return {
    measured: false,
    factor: r3(k),
    preprocessingSeconds,
    preprocessingBytesSentPerParty: pre.bytesSentPerParty.map((b) => Math.round(b * k)),
    ...(dealerOnline === undefined
      ? {}
      : { onlineSecondsFromDealerMode: dealerOnline, totalSeconds: Math.round(preprocessingSeconds + dealerOnline) }),
    note: `extrapolated, not measured: preprocessing scaled linearly in the correlations (AND words + triples + truncations${what}) from the measured size; the online phase does not depend on how the correlations were made, so the total adds the dealer-mode online figure at full size from the same place`,
  };
}

function mathRow(
  mode: Mode,
  where: 'node' | 'tabs',
  op: 'div' | 'exp' | 'sigmoid',
  s0: MathStep,
  s1: MathStep,
  fullSize: number,
) {
  const pre = prep(s0.preprocess, s1.preprocess);
  const on = bothParties(s0.online, s1.online);
  const row: Record<string, unknown> = {
    size: s0.size,
    needs: s0.needs,
    preprocessing: {
      seconds: pre.seconds,
      bytesSentPerParty: pre.bytesSentPerParty,
      bytesReceivedPerParty: pre.bytesReceivedPerParty,
      andWordsMade: s0.preprocess.andWordsMade,
      triplesMade: s0.preprocess.triplesMade,
      truncationsMade: s0.preprocess.truncationsMade,
    },
    online: {
      seconds: on.seconds,
      rounds: on.rounds,
      messages: on.messages,
      bytesSentPerParty: on.bytesSentPerParty,
      madeDuringOnline: {
        andWords: s0.online.andWordsMade,
        triples: s0.online.triplesMade,
        truncations: s0.online.truncationsMade,
      },
    },
    totalSeconds: r3(pre.seconds + on.seconds),
    check: { maxError: s0.maxError, maxErrorOverBound: s0.maxErrorOverBound, ok: s0.withinBound },
  };
  if (mode === 'dealer-free' && s0.size !== fullSize) {
    const dealer = mathSection[where].dealer?.[op] as { size: number; online: { seconds: number } } | undefined;
    row.extrapolated = {
      size: fullSize,
      needs: mathNeeds(op, fullSize),
      ...extrapolate(
        pre,
        needsCount(s0.needs),
        needsCount(mathNeeds(op, fullSize)),
        dealer?.size === fullSize ? dealer.online.seconds : undefined,
        '',
      ),
    };
  }
  return row;
}

function logregRow(mode: Mode, where: 'node' | 'tabs', l0: LogRegFigures, l1: LogRegFigures) {
  const inputs = bothParties(l0.inputs, l1.inputs);
  const pre = prep(l0.preprocess, l1.preprocess);
  const on = bothParties(l0.online, l1.online);
  const total = r3(inputs.seconds + pre.seconds + on.seconds);
  const accuracyGapPoints =
    l0.accuracy !== null && l0.plainAccuracy !== null
      ? +(100 * Math.abs(l0.accuracy - l0.plainAccuracy)).toFixed(2)
      : null;
  const full = MATH_FULL;
  const atFull = l0.rows === full.lrRows && l0.cols === full.lrFeatures + 1 && l0.epochs === full.lrEpochs;
  const row: Record<string, unknown> = {
    rows: l0.rows,
    features: l0.cols - 1,
    cols: l0.cols,
    epochs: l0.epochs,
    learningRate: l0.learningRate,
    needs: {
      ...l0.needs,
      matrices: `${l0.needs.matrices?.length ?? 0} matrix triples ([rows, cols, 1] and [cols, rows, 1] per epoch)`,
    },
    inputs: { seconds: inputs.seconds, bytesSentPerParty: inputs.bytesSentPerParty },
    preprocessing: {
      seconds: pre.seconds,
      bytesSentPerParty: pre.bytesSentPerParty,
      bytesReceivedPerParty: pre.bytesReceivedPerParty,
    },
    online: {
      seconds: on.seconds,
      rounds: on.rounds,
      messages: on.messages,
      bytesSentPerParty: on.bytesSentPerParty,
      madeDuringOnline: {
        andWords: l0.online.andWordsMade,
        triples: l0.online.triplesMade,
        truncations: l0.online.truncationsMade,
        matrixTriples: l0.online.matrixTriplesMade,
      },
    },
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
    const dealer = mathSection[where].dealer?.logreg as
      | { rows: number; epochs: number; online: { seconds: number }; inputs: { seconds: number } }
      | undefined;
    const fullNeeds = logregNeeds(full.lrRows, full.lrFeatures + 1, full.lrEpochs, full.lrRate);
    const dealerOnline =
      dealer?.rows === full.lrRows && dealer.epochs === full.lrEpochs
        ? r3(dealer.online.seconds + dealer.inputs.seconds)
        : undefined;
    row.extrapolated = {
      rows: full.lrRows,
      features: full.lrFeatures,
      epochs: full.lrEpochs,
      ...extrapolate(
        pre,
        needsCount(l0.needs),
        needsCount(fullNeeds),
        dealerOnline,
        '; a matrix triple [m, k, n] as m·k·n scalar OT triples',
      ),
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
