// The "rings" section of `npm run bench:engine`: the standard ring (Z_2^64) and the wide ring
// (Z_2^128, session option ring: 128) side by side in the same run, on the same sizes and in the
// same place (Node, then the tabs), each in dealer and dealer-free mode: a fixed-point multiply, a
// secret × secret matrix product and `lt` (with `where` on its result), each with preprocessing
// timed apart from the online phase (bench/engine/party.ts does the measuring), and the ratio
// wide / standard of each. Targets (issue 15): wide ≤ 3× standard online, ≤ 4.5× in
// preprocessing. A combination the engine refuses when the bench runs (a session option or an
// operation not written for the wide ring yet) gives an "unsupported" row with its code and
// message instead of failing the run.

import { DEALER_FREE_MATS, type Mode, MUL, r3, SCALE } from './config.js';
import type { EngineBenchSpec, PartyFigures } from './party.js';
import type { StepFigures } from './steps.js';

const RINGS = [64, 128] as const;
type RingBits = (typeof RINGS)[number];
export const RINGS_ON = process.env.BENCH_RINGS !== '0';

export const RING_TARGETS = { onlineRatio: 3, preprocessingRatio: 4.5 };

/**
 * Sizes per mode: dealer at the sizes (1M multiply, 256² matmul, 100,000 lt); dealer-free
 * smaller (its preprocessing runs at a few tens of thousands of triples a second), the ratio being
 * what this section is for.
 */
export const RING_SIZES: Record<Mode, { mul: number; matmul: number; lt: number }> = {
  dealer: { mul: MUL, matmul: 256, lt: 100_000 },
  'dealer-free': { mul: Math.max(1000, Math.round(50_000 * SCALE)), matmul: DEALER_FREE_MATS[0]!, lt: 2_000 },
};

function ringSpec(mode: Mode, ring: RingBits): EngineBenchSpec {
  const n = RING_SIZES[mode];
  return {
    mode,
    ring,
    mulSize: n.mul,
    matmulSizes: [n.matmul],
    compare: { ltSize: n.lt, argmaxRows: 0, argmaxCols: 0, sortSize: 0, ring },
    math: null,
  };
}

/** One run's outcome: both parties' figures, or what refused it. */
type RingRun = { figs: PartyFigures[] } | { unsupported: { code: string; message: string } };

/** Runs `f`; a coded refusal (ERR_UNSUPPORTED, a session option not offered yet…) becomes an "unsupported" outcome. */
async function attempt(f: () => Promise<PartyFigures[]>): Promise<RingRun> {
  try {
    return { figs: await f() };
  } catch (e) {
    const code = String((e as { code?: unknown }).code ?? /\bERR_[A-Z_]+/.exec(String(e))?.[0] ?? 'ERR_INTERNAL');
    return { unsupported: { code, message: String((e as Error).message ?? e).slice(0, 300) } };
  }
}

const slower = (a: StepFigures, b: StepFigures) => Math.max(a.seconds, b.seconds);

/** Preprocessing and online seconds (slower party) and online bytes of one op, or why it is missing. */
type Picked = { pre: StepFigures[]; online: StepFigures; check: number | null } | null | undefined;

interface OpFigures {
  preprocessingSeconds: number;
  preprocessingBytesSentPerParty: number[];
  onlineSeconds: number;
  onlineBytesSentPerParty: number[];
  onlineRounds: number;
  check: number | null;
}
type Unsupported = { unsupported: { code: string; message: string } };

function opRow(run: RingRun, pick: (f: PartyFigures) => Picked): OpFigures | Unsupported {
  if ('unsupported' in run) return { unsupported: run.unsupported };
  const [a, b] = run.figs.map(pick) as [Picked, Picked];
  if (!a || !b) return { unsupported: { code: 'ERR_UNSUPPORTED', message: 'not measured in this run' } };
  const pre = a.pre.reduce((t, s, i) => t + slower(s, b.pre[i]!), 0);
  return {
    preprocessingSeconds: r3(pre),
    preprocessingBytesSentPerParty: [0, 1].map((p) => (p === 0 ? a : b).pre.reduce((t, s) => t + s.bytesSent, 0)),
    onlineSeconds: r3(slower(a.online, b.online)),
    onlineBytesSentPerParty: [a.online.bytesSent, b.online.bytesSent],
    onlineRounds: Math.max(a.online.rounds, b.online.rounds),
    check: a.check,
  };
}

const OPS: Record<'mul' | 'matmul' | 'lt', (f: PartyFigures) => Picked> = {
  mul: (f) =>
    f.mul && {
      pre: [f.mul.preprocessTriples, f.mul.preprocessTruncations],
      online: f.mul.online,
      check: f.mul.maxError,
    },
  matmul: (f) => {
    const m = f.matmul[0];
    return m && { pre: [m.preprocessMatrix, m.preprocessTruncations], online: m.online, check: m.maxError };
  },
  lt: (f) => {
    const c = f.compare?.lt;
    return c ? { pre: [c.preprocess], online: c.online, check: c.mismatches ?? null } : null;
  },
};

const ratio = (wide: number, standard: number) => (standard > 0 ? +(wide / standard).toFixed(2) : null);

/** One mode's rows: each op in both rings and the ratio wide / standard against the targets. */
function ringsReport(mode: Mode, runs: Record<RingBits, RingRun>) {
  const sizes = RING_SIZES[mode];
  const out: Record<string, unknown> = {};
  for (const [op, pick] of Object.entries(OPS)) {
    const standard = opRow(runs[64], pick);
    const wide = opRow(runs[128], pick);
    const row: Record<string, unknown> = {
      size: op === 'matmul' ? `${sizes.matmul}×${sizes.matmul}·${sizes.matmul}×${sizes.matmul}` : sizes[op as 'mul'],
      standard,
      wide,
    };
    if ('onlineSeconds' in standard && 'onlineSeconds' in wide) {
      const online = ratio(wide.onlineSeconds, standard.onlineSeconds);
      const pre = ratio(wide.preprocessingSeconds, standard.preprocessingSeconds);
      row.ratio = {
        online,
        onlineTarget: RING_TARGETS.onlineRatio,
        onlineMet: online !== null && online <= RING_TARGETS.onlineRatio,
        preprocessing: pre,
        preprocessingTarget: RING_TARGETS.preprocessingRatio,
        preprocessingMet: pre !== null && pre <= RING_TARGETS.preprocessingRatio,
      };
    } else {
      row.ratio = 'unsupported';
    }
    out[op] = row;
  }
  return out;
}

/** The "rings" section of the JSON, filled by ringsAt(). */
export const ringSection: Record<'node' | 'tabs', Partial<Record<Mode, Record<string, unknown>>>> = {
  node: {},
  tabs: {},
};

/** The section at one place: both rings for each mode, one after the other, side by side in the JSON. */
export async function ringsAt(
  where: 'node' | 'tabs',
  run: (mode: Mode, spec: EngineBenchSpec) => Promise<PartyFigures[]>,
): Promise<void> {
  for (const mode of ['dealer', 'dealer-free'] as const) {
    const runs: Partial<Record<RingBits, RingRun>> = {};
    for (const ring of RINGS) runs[ring] = await attempt(() => run(mode, ringSpec(mode, ring)));
    ringSection[where][mode] = ringsReport(mode, runs as Record<RingBits, RingRun>);
  }
}

/** The check rows of the section: one per place, mode, op and phase (unsupported rows are listed as not met). */
export function ringChecks(section: Record<'node' | 'tabs', Partial<Record<Mode, Record<string, any>>>> = ringSection) {
  const rows: {
    target: string;
    where: string;
    size: unknown;
    measured: number | string;
    limit: number;
    met: boolean;
  }[] = [];
  for (const where of ['node', 'tabs'] as const) {
    for (const mode of ['dealer', 'dealer-free'] as const) {
      for (const [op, row] of Object.entries(section[where]?.[mode] ?? {})) {
        for (const [phase, limit] of [
          ['online', RING_TARGETS.onlineRatio],
          ['preprocessing', RING_TARGETS.preprocessingRatio],
        ] as const) {
          const r = row.ratio;
          const measured = r === 'unsupported' ? 'unsupported' : (r[phase] as number);
          rows.push({
            target: `wide ring / standard ring, ${op} ${phase} ≤ ${limit}×`,
            where: `${where} ${mode}`,
            size: row.size,
            measured,
            limit,
            met: typeof measured === 'number' && measured <= limit,
          });
        }
      }
    }
  }
  return rows;
}
