// The `snp` object a SecureNumpy program receives: NumPy's module-level functions (creation,
// manipulation, math, linear algebra, statistics) over one session. Creation functions make
// public constants held by party 0 (or `party`), which cost no communication. Loading this
// module also installs the operations behind SecureArray's methods (array-ops.ts).

import { ParleyError } from '../../shared/errors.js';
import { checkShape } from '../../shared/nd/shape.js';
import { NDArray } from '../../shared/ndarray.js';
import { type Axis, SecureArray } from './array.js';
import { type CompareOp, installArrayOps } from './array-ops.js';
import { copy, operand } from './operand.js';
import * as arith from './ops-arith.js';
import * as cmp from './ops-compare.js';
import { astype } from './ops-convert.js';
import * as mexp from './ops-exp.js';
import { privateJoin } from './ops-join.js';
import * as linalg from './ops-linalg.js';
import * as math from './ops-math.js';
import * as order from './ops-order.js';
import * as reduce from './ops-reduce.js';
import { constant, constantPlain, fromShare, input, revealTo, toShare } from './ops-reveal.js';
import * as shape from './ops-shape.js';
import * as sorting from './ops-sort.js';
import * as mstats from './ops-stats.js';
import type { Needs } from './preprocessing.js';
import type { Session, SessionStats } from './session.js';
import { checkDtype, type SecureDType } from './values.js';

installArrayOps({
  add: arith.add,
  sub: arith.sub,
  mul: arith.mul,
  div: (a, other) => (other instanceof SecureArray ? math.divide(a, other) : arith.div(a, other)),
  neg: arith.neg,
  logical: arith.logical,
  not: arith.not,
  compare: (a, other: unknown, op: CompareOp) => cmp.compare(a.session, a, other, op),
  astype,
  matmul: linalg.matmul,
  dot: linalg.dot,
  get: shape.get,
  set: shape.set,
  reshape: shape.reshape,
  transpose: shape.transpose,
  copy,
  sum: reduce.sum,
  prod: reduce.prod,
  mean: reduce.mean,
  cumsum: reduce.cumsum,
  argsort: sorting.argsort,
  extreme: order.extreme,
  revealTo,
  toShare,
});

type Opts = { party?: number; dtype?: SecureDType; axis?: Axis; shape?: number[] };

function isOpts(v: unknown): v is Opts {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof SecureArray) &&
    !ArrayBuffer.isView((v as { data?: unknown }).data) &&
    Object.getPrototypeOf(v) === Object.prototype
  );
}

/** Splits a trailing NumPy-keywords object off positional arguments. */
function split(args: unknown[]): [unknown[], Opts] {
  if (args.length > 0 && isOpts(args[args.length - 1])) return [args.slice(0, -1), args[args.length - 1] as Opts];
  return [args, {}];
}

function shapeArg(v: unknown): number[] {
  return [...checkShape(typeof v === 'number' ? [v] : v)];
}

function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ParleyError('ERR_BAD_INPUT', `${name} must be a finite number, got ${String(v)}`);
  return v;
}

function count(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new ParleyError('ERR_BAD_INPUT', `${name} must be a non-negative whole number, got ${String(v)}`);
  return v;
}

/** A dimension such as eye's N: NumPy refuses a negative one as it refuses negative shapes. */
function dim(v: unknown, name: string): number {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v < 0)
    throw new ParleyError('ERR_SHAPE', `negative dimensions are not allowed: ${name} = ${v}`);
  return count(v, name);
}

function isBoolData(data: unknown): boolean {
  if (data instanceof NDArray) return data.dtype === 'bool';
  if (!Array.isArray(data)) return typeof data === 'boolean';
  return data.length > 0 && data.every(isBoolData);
}

export function createSnp(s: Session) {
  const secret = (v: unknown): SecureArray => {
    const o = operand(s, v);
    return o.kind === 'secret' ? o.a : constant(s, v, o.p.dtype);
  };
  const filled = (sh: unknown, value: number | boolean, o: Opts, dflt: SecureDType = 'float64') =>
    constant(s, value, checkDtype(o.dtype ?? dflt), o.party ?? 0, shapeArg(sh));
  const values = (vals: number[], o: Opts, dflt: SecureDType) =>
    constant(s, vals, checkDtype(o.dtype ?? dflt), o.party ?? 0);
  const axisOf = (rest: unknown[], o: Opts): Axis => (rest.length > 0 ? (rest[0] as Axis) : o.axis);
  /** The axis positional or as { axis }, else NumPy's default for the function. */
  const sortAxis = (args: unknown[], dflt: Axis): Axis => {
    const [pos, o] = split(args);
    return pos.length > 0 ? (pos[0] as Axis) : 'axis' in o ? o.axis : dflt;
  };

  const linspaceValues = (start: number, stop: number, n: number, endpoint: boolean) => {
    const div = endpoint ? n - 1 : n;
    const step = div > 0 ? (stop - start) / div : 0;
    const out = Array.from({ length: n }, (_, i) => start + i * step);
    if (endpoint && n > 1) out[n - 1] = stop;
    return out;
  };

  const snp = {
    /** This party's index. */
    party: s.party,

    // Creation.
    array: (data: unknown, owner: number, ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      // Boolean data is bool unless a dtype is given; everything else defaults to float64.
      const dtype = pos[0] ?? o.dtype ?? (isBoolData(data) ? 'bool' : undefined);
      return input(s, data, owner, dtype, { shape: o.shape });
    },
    zeros: (sh: unknown, o: Opts = {}) => filled(sh, 0, o),
    empty: (sh: unknown, o: Opts = {}) => filled(sh, 0, o),
    ones: (sh: unknown, o: Opts = {}) => filled(sh, 1, o),
    full: (sh: unknown, value: number | boolean, o: Opts = {}) =>
      filled(sh, value, o, typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int64' : 'float64'),
    eye: (...args: unknown[]) => {
      const [pos, o] = split(args);
      const N = dim(pos[0], 'N');
      const M = pos[1] === undefined || pos[1] === null ? N : dim(pos[1], 'M');
      const k = pos[2] === undefined ? 0 : num(pos[2], 'k');
      const flat = Array.from({ length: N * M }, (_, p) => ((p % M) - Math.floor(p / M) === k ? 1 : 0));
      return constantPlain(
        s,
        { shape: [N, M], dtype: 'int64', values: flat },
        checkDtype(o.dtype ?? 'float64'),
        o.party ?? 0,
      );
    },
    identity: (n: number, o: Opts = {}) => snp.eye(n, o),
    arange: (...args: unknown[]) => {
      const [pos, o] = split(args);
      const [start, stop, step] =
        pos.length === 1
          ? [0, num(pos[0], 'stop'), 1]
          : [num(pos[0], 'start'), num(pos[1], 'stop'), pos[2] === undefined ? 1 : num(pos[2], 'step')];
      if (step === 0) throw new ParleyError('ERR_BAD_INPUT', 'arange step cannot be zero');
      const n = Math.max(0, Math.ceil((stop - start) / step));
      const whole = [start, stop, step].every(Number.isInteger);
      return values(
        Array.from({ length: n }, (_, i) => start + i * step),
        o,
        whole ? 'int64' : 'float64',
      );
    },
    linspace: (...args: unknown[]) => {
      const [pos, o] = split(args);
      const n = pos[2] === undefined ? 50 : count(pos[2], 'num');
      return values(
        linspaceValues(num(pos[0], 'start'), num(pos[1], 'stop'), n, pos[3] === undefined ? true : Boolean(pos[3])),
        o,
        'float64',
      );
    },
    logspace: (...args: unknown[]) => {
      const [pos, o] = split(args);
      const n = pos[2] === undefined ? 50 : count(pos[2], 'num');
      const base = pos[4] === undefined ? 10 : num(pos[4], 'base');
      const exps = linspaceValues(
        num(pos[0], 'start'),
        num(pos[1], 'stop'),
        n,
        pos[3] === undefined ? true : Boolean(pos[3]),
      );
      return values(
        exps.map((e) => base ** e),
        o,
        'float64',
      );
    },
    fromShare: (share: NDArray, dtype?: SecureDType) => fromShare(s, share, dtype),

    // Manipulation.
    reshape: (x: unknown, sh: number | number[]) => shape.reshape(secret(x), typeof sh === 'number' ? [sh] : sh),
    transpose: (x: unknown, axes?: number[]) => shape.transpose(secret(x), axes),
    concatenate: (arrays: unknown[], ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      const axis = (pos.length > 0 ? pos[0] : 'axis' in o ? o.axis : 0) as number | null;
      return shape.concatenate(s, arrays, axis);
    },
    stack: (arrays: unknown[], ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      return shape.stack(s, arrays, ((pos.length > 0 ? pos[0] : o.axis) ?? 0) as number);
    },
    vstack: (arrays: unknown[]) => shape.vstack(s, arrays),
    row_stack: (arrays: unknown[]) => shape.vstack(s, arrays),
    hstack: (arrays: unknown[]) => shape.hstack(s, arrays),
    column_stack: (arrays: unknown[]) => shape.columnStack(s, arrays),
    resize: (x: unknown, sh: number | number[]) => shape.resize(secret(x), sh),
    repeat: (x: unknown, repeats: number | number[], axis?: number | null) => shape.repeat(secret(x), repeats, axis),
    tile: (x: unknown, reps: number | number[]) => shape.tile(secret(x), reps),
    flatten: (x: unknown) => shape.reshape(secret(x), [-1]),
    ravel: (x: unknown) => shape.reshape(secret(x), [-1]),
    copy: (x: unknown) => copy(secret(x)),

    // Math.
    add: (a: unknown, b: unknown) => (a instanceof SecureArray ? a.add(b) : secret(b).add(a)),
    subtract: (a: unknown, b: unknown) => (a instanceof SecureArray ? a.sub(b) : secret(b).neg().add(a)),
    multiply: (a: unknown, b: unknown) => (a instanceof SecureArray ? a.mul(b) : secret(b).mul(a)),
    divide: (a: unknown, b: unknown) => (a instanceof SecureArray ? a.div(b) : math.divide(secret(a), secret(b))),
    true_divide: (a: unknown, b: unknown) => (a instanceof SecureArray ? a.div(b) : math.divide(secret(a), secret(b))),
    reciprocal: (x: unknown) => math.reciprocal(secret(x)),
    exp: (x: unknown) => mexp.exp(secret(x)),
    sqrt: (x: unknown) => math.sqrt(secret(x)),
    log: (x: unknown) => math.log(secret(x)),
    sigmoid: (x: unknown) => mexp.sigmoid(secret(x)),
    softmax: (x: unknown, ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      return mexp.softmax(secret(x), (pos.length > 0 ? pos[0] : 'axis' in o ? o.axis : -1) as Axis);
    },
    var: (x: unknown, ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      return mstats.variance(secret(x), axisOf(pos, o));
    },
    std: (x: unknown, ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      return mstats.std(secret(x), axisOf(pos, o));
    },
    negative: (x: unknown) => secret(x).neg(),
    square: (x: unknown) => arith.square(secret(x)),
    power: (x: unknown, k: number) => power(secret(x), k),
    sum: (x: unknown, ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      return reduce.sum(secret(x), axisOf(pos, o));
    },
    prod: (x: unknown, ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      return reduce.prod(secret(x), axisOf(pos, o));
    },
    cumsum: (x: unknown, ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      return reduce.cumsum(secret(x), axisOf(pos, o));
    },
    mean: (x: unknown, ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      return reduce.mean(secret(x), axisOf(pos, o));
    },
    average: (x: unknown, axis?: Axis, weights?: unknown) => average(secret(x), axis, weights),
    max: (x: unknown, ...rest: unknown[]) => extreme(x, rest, 'max', false),
    min: (x: unknown, ...rest: unknown[]) => extreme(x, rest, 'min', false),
    amax: (x: unknown, ...rest: unknown[]) => extreme(x, rest, 'max', false),
    amin: (x: unknown, ...rest: unknown[]) => extreme(x, rest, 'min', false),
    argmax: (x: unknown, ...rest: unknown[]) => extreme(x, rest, 'max', true),
    argmin: (x: unknown, ...rest: unknown[]) => extreme(x, rest, 'min', true),
    ptp: (x: unknown, ...rest: unknown[]) => {
      const [pos, o] = split(rest);
      return order.ptp(secret(x), axisOf(pos, o));
    },

    // Comparisons (secret bool results) and selection; any operand may be public.
    lt: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'lt'),
    le: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'le'),
    gt: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'gt'),
    ge: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'ge'),
    eq: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'eq'),
    ne: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'ne'),
    less: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'lt'),
    less_equal: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'le'),
    greater: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'gt'),
    greater_equal: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'ge'),
    equal: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'eq'),
    not_equal: (a: unknown, b: unknown) => cmp.compare(s, a, b, 'ne'),
    where: (cond: unknown, a: unknown, b: unknown) => cmp.where(s, cond, a, b),
    maximum: (a: unknown, b: unknown) => cmp.maximum(s, a, b),
    minimum: (a: unknown, b: unknown) => cmp.minimum(s, a, b),
    clip: (x: unknown, lo: unknown, hi: unknown) => cmp.clip(s, x, lo, hi),
    abs: (x: unknown) => cmp.abs(s, secret(x)),
    absolute: (x: unknown) => cmp.abs(s, secret(x)),
    sign: (x: unknown) => cmp.sign(s, secret(x)),
    relu: (x: unknown) => cmp.relu(s, secret(x)),

    // Sorting (oblivious networks; ops-sort.ts) and order statistics built on it.
    sort: (x: unknown, ...rest: unknown[]) => sorting.sort(secret(x), sortAxis(rest, -1)),
    argsort: (x: unknown, ...rest: unknown[]) => sorting.argsort(secret(x), sortAxis(rest, -1)),
    median: (x: unknown, ...rest: unknown[]) => sorting.median(secret(x), sortAxis(rest, null)),
    percentile: (x: unknown, q: unknown, ...rest: unknown[]) => sorting.percentile(secret(x), q, sortAxis(rest, null)),

    // Linear algebra.
    matmul: (a: unknown, b: unknown) => linalg.matmulOperands(s, operand(s, a), operand(s, b)),
    dot: (a: unknown, b: unknown) => linalg.dotOperands(s, operand(s, a), operand(s, b)),
    inner: (a: unknown, b: unknown) => linalg.innerOperands(s, operand(s, a), operand(s, b)),
    outer: (a: unknown, b: unknown) => linalg.outerOperands(s, operand(s, a), operand(s, b)),

    // Extensions (not in NumPy).
    /**
     * Aligns party 0's and party 1's rows on a key without revealing which keys they share
     * (ops-join.ts): resolves to { matched, left, right }; each party passes its own side.
     */
    privateJoin: (sideA: unknown, sideB: unknown, opts?: unknown) => privateJoin(s, sideA, sideB, opts),
    /**
     * Resolves to the shapes of these arrays once all are known here (inputs' shapes travel
     * together, so this is one round for all); from then on their shapes are settled.
     */
    ready: (...xs: SecureArray[]): Promise<number[][]> => {
      for (const x of xs)
        if (!(x instanceof SecureArray) || x.session !== s)
          throw new ParleyError('ERR_BAD_INPUT', 'snp.ready takes SecureArrays of this session');
      return Promise.all(xs.map((x) => x.ready()));
    },
    /** Makes correlated randomness ahead of time, e.g. before timing an online phase. */
    preprocess: (plan: Needs) => s.prep.stock(plan),
    /** Counts of operations, rounds, correlations made and consumed, and bytes. */
    stats: (): SessionStats => s.stats(),
  };

  function power(x: SecureArray, k: number): SecureArray {
    if (!Number.isSafeInteger(k))
      throw new ParleyError('ERR_BAD_INPUT', `power takes a whole-number exponent, got ${k}`);
    if (k < 0) return math.reciprocal(power(x, -k));
    if (k === 0) return x.mul(0).add(1);
    let result: SecureArray | null = null;
    let base = x;
    for (let e = k; e > 0; e = Math.floor(e / 2)) {
      if (e % 2 === 1) result = result ? result.mul(base) : base;
      if (e > 1) base = base.mul(base);
    }
    return result === x ? x.copy() : result!;
  }

  function extreme(x: unknown, rest: unknown[], kind: order.OrderKind, arg: boolean): SecureArray {
    const [pos, o] = split(rest);
    return order.extreme(secret(x), axisOf(pos, o), kind, arg);
  }

  function average(x: SecureArray, axis: Axis, weights: unknown): SecureArray {
    if (weights === undefined || weights === null) return reduce.mean(x, axis);
    const w = operand(s, weights);
    if (w.kind === 'secret') return mstats.averageSecret(x, w.a, axis);
    return reduce.average(x, axis, w.p);
  }

  return snp;
}

export type Snp = ReturnType<typeof createSnp>;
