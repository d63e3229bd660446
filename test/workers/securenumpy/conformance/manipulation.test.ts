// Checks SecureNumpy's shape manipulation (reshape transpose flatten concatenate stacks resize repeat tile) against NumPy, u/2 per element.

import { describe, it } from 'vitest';
import { type Case, close, input, pick, randArr, randInt, randShape, rng, runCases, type Snp, U } from './harness.js';
import * as R from './reference.js';

const HALF_U = U / 2;
/** A case whose result is a rearrangement of rounded inputs. */
const moved = (label: string, run: Case['run'], want: R.Arr) => close(label, run, want, HALF_U);

/** A random shape of the same size as `shape`, with one dimension possibly given as -1. */
function reshapeTarget(r: () => number, size: number): number[] {
  const dims: number[] = [];
  let rest = size;
  const nd = randInt(r, 1, 3);
  for (let i = 0; i < nd - 1; i++) {
    const divisors = Array.from({ length: rest }, (_, j) => j + 1).filter((d) => rest % d === 0);
    const d = pick(r, divisors);
    dims.push(d);
    rest /= d;
  }
  dims.push(rest);
  if (r() < 0.5) dims[randInt(r, 0, dims.length - 1)] = -1;
  return dims;
}

function shuffle<T>(r: () => number, xs: T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randInt(r, 0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('manipulation: reshape, transpose, flatten', () => {
  it('reshape with -1, as a method (array or separate dims) and as snp.reshape', async () => {
    const r = rng(501);
    const cases: Case[] = [];
    for (let i = 0; i < 8; i++) {
      const x = randArr(r, randShape(r, 1, 3));
      const t = reshapeTarget(r, x.data.length);
      const X = (snp: Snp, p: number) => input(snp, p, i % 2, x, 'float64', i % 3 === 0);
      cases.push(moved(`[${x.shape}].reshape([${t}])`, (snp, p) => X(snp, p).reshape(t), R.reshape(x, t)));
      cases.push(moved(`[${x.shape}].reshape(${t})`, (snp, p) => X(snp, p).reshape(...t), R.reshape(x, t)));
      cases.push(moved(`snp.reshape([${x.shape}], [${t}])`, (snp, p) => snp.reshape(X(snp, p), t), R.reshape(x, t)));
    }
    const one = randArr(r, [1, 1]);
    cases.push(moved('[1,1].reshape([]) is 0-d', (snp, p) => input(snp, p, 0, one).reshape([]), R.reshape(one, [])));
    const z = randArr(r, []);
    cases.push(
      moved('0-d .reshape([1,-1,1])', (snp, p) => input(snp, p, 1, z).reshape([1, -1, 1]), R.reshape(z, [1, -1, 1])),
    );
    cases.push(moved('snp.reshape(x, -1)', (snp, p) => snp.reshape(input(snp, p, 1, one), -1), R.reshape(one, -1)));
    await runCases(cases);
  });

  it('transpose without and with axes (negative too), .T, snp.transpose; flatten, ravel, copy', async () => {
    const r = rng(502);
    const cases: Case[] = [];
    for (let i = 0; i < 6; i++) {
      const x = randArr(r, randShape(r, 0, 3));
      const nd = x.shape.length;
      const perm = shuffle(
        r,
        Array.from({ length: nd }, (_, j) => j),
      ).map((a) => (r() < 0.3 ? a - nd : a));
      const X = (snp: Snp, p: number) => input(snp, p, i % 2, x, 'float64', true);
      cases.push(moved(`[${x.shape}].transpose()`, (snp, p) => X(snp, p).transpose(), R.transpose(x)));
      cases.push(
        moved(`[${x.shape}].transpose([${perm}])`, (snp, p) => X(snp, p).transpose(perm), R.transpose(x, perm)),
      );
      if (nd > 0)
        cases.push(
          moved(`[${x.shape}].transpose(${perm})`, (snp, p) => X(snp, p).transpose(...perm), R.transpose(x, perm)),
        );
      cases.push(moved(`[${x.shape}].T`, (snp, p) => X(snp, p).T, R.transpose(x)));
      cases.push(moved(`snp.transpose([${x.shape}])`, (snp, p) => snp.transpose(X(snp, p)), R.transpose(x)));
      cases.push(
        moved(
          `snp.transpose([${x.shape}], [${perm}])`,
          (snp, p) => snp.transpose(X(snp, p), perm),
          R.transpose(x, perm),
        ),
      );
      cases.push(moved(`[${x.shape}].flatten()`, (snp, p) => X(snp, p).flatten(), R.flatten(x)));
      cases.push(moved(`[${x.shape}].ravel()`, (snp, p) => X(snp, p).ravel(), R.ravel(x)));
      cases.push(moved(`snp.flatten([${x.shape}])`, (snp, p) => snp.flatten(X(snp, p)), R.flatten(x)));
      cases.push(moved(`[${x.shape}].copy()`, (snp, p) => X(snp, p).copy(), x));
    }
    await runCases(cases);
  });
});

describe('manipulation: joining', () => {
  it('concatenate along 0, 1, -1 and null, several owners, a public member', async () => {
    const r = rng(503);
    const cases: Case[] = [];
    for (let i = 0; i < 6; i++) {
      const base = randShape(r, 1, 3);
      const nd = base.length;
      const axis = pick(r, [...Array.from({ length: nd }, (_, j) => j), -1, null]);
      const ax = axis === null ? 0 : R.normAxis(axis, nd);
      const parts = Array.from({ length: randInt(r, 2, 3) }, () =>
        randArr(
          r,
          base.map((d, j) => (axis !== null && j === ax ? randInt(r, 1, 3) : d)),
        ),
      );
      const lab = `concatenate ${parts.map((a) => `[${a.shape}]`).join(' ')} axis ${axis}`;
      cases.push(
        moved(
          lab,
          (snp, p) =>
            snp.concatenate(
              parts.map((a, j) => input(snp, p, j % 2, a, 'float64', j === 0)),
              axis,
            ),
          R.concatenate(parts, axis),
        ),
      );
    }
    const a = randArr(r, [2, 2]);
    const pub = R.fromNested([[1.5, -2.5]]);
    cases.push(
      moved(
        'concatenate [secret, public]',
        (snp, p) => snp.concatenate([input(snp, p, 0, a), R.toNested(pub)]),
        R.concatenate([a, pub]),
      ),
    );
    cases.push(
      moved(
        'concatenate default axis',
        (snp, p) => snp.concatenate([input(snp, p, 0, a), input(snp, p, 1, a)]),
        R.concatenate([a, a]),
      ),
    );
    await runCases(cases);
  });

  it('concatenate and stack take the axis as a trailing { axis } object too', async () => {
    const r = rng(509);
    const a = randArr(r, [2, 3]);
    const b = randArr(r, [2, 1]);
    await runCases([
      moved(
        'concatenate(arrays, { axis: 1 })',
        (snp, p) => snp.concatenate([input(snp, p, 0, a), input(snp, p, 1, b)], { axis: 1 } as never),
        R.concatenate([a, b], 1),
      ),
      moved(
        'stack(arrays, { axis: -1 })',
        (snp, p) => snp.stack([input(snp, p, 0, a), input(snp, p, 1, a)], { axis: -1 } as never),
        R.stack([a, a], -1),
      ),
    ]);
  });

  it('stack along new axes (0, 1, -1) for 1-D to 3-D inputs', async () => {
    const r = rng(504);
    const cases: Case[] = [];
    for (let i = 0; i < 6; i++) {
      const s = randShape(r, 0, 2);
      const axis = pick(r, [0, ...Array.from({ length: s.length + 1 }, (_, j) => j), -1, -(s.length + 1)]);
      const parts = Array.from({ length: randInt(r, 1, 3) }, () => randArr(r, s));
      const lab = `stack ${parts.length} × [${s}] axis ${axis}`;
      cases.push(
        moved(
          lab,
          (snp, p) =>
            snp.stack(
              parts.map((a, j) => input(snp, p, (i + j) % 2, a)),
              axis,
            ),
          R.stack(parts, axis),
        ),
      );
    }
    const v = randArr(r, [3]);
    cases.push(
      moved('stack default axis', (snp, p) => snp.stack([input(snp, p, 0, v), input(snp, p, 1, v)]), R.stack([v, v])),
    );
    await runCases(cases);
  });

  it('vstack, row_stack, hstack and column_stack with 1-D and 2-D inputs', async () => {
    const r = rng(505);
    const v1 = randArr(r, [3]);
    const v2 = randArr(r, [3]);
    const m = randArr(r, [2, 3]);
    const c = randArr(r, [3, 2]);
    const s0 = randArr(r, []);
    const I = (snp: Snp, p: number, a: R.Arr, owner: number) => input(snp, p, owner, a, 'float64', owner === 1);
    await runCases([
      moved('vstack 1-D, 1-D', (snp, p) => snp.vstack([I(snp, p, v1, 0), I(snp, p, v2, 1)]), R.vstack([v1, v2])),
      moved('vstack 2-D, 1-D', (snp, p) => snp.vstack([I(snp, p, m, 0), I(snp, p, v2, 1)]), R.vstack([m, v2])),
      moved('row_stack 1-D, 2-D', (snp, p) => snp.row_stack([I(snp, p, v1, 1), I(snp, p, m, 0)]), R.rowStack([v1, m])),
      moved('hstack 1-D, 1-D', (snp, p) => snp.hstack([I(snp, p, v1, 0), I(snp, p, v2, 1)]), R.hstack([v1, v2])),
      moved('hstack 2-D, 2-D', (snp, p) => snp.hstack([I(snp, p, c, 0), I(snp, p, c, 1)]), R.hstack([c, c])),
      moved('hstack 0-d, 1-D', (snp, p) => snp.hstack([I(snp, p, s0, 0), I(snp, p, v1, 1)]), R.hstack([s0, v1])),
      moved(
        'column_stack 1-D, 1-D',
        (snp, p) => snp.column_stack([I(snp, p, v1, 0), I(snp, p, v2, 1)]),
        R.columnStack([v1, v2]),
      ),
      moved(
        'column_stack 1-D, 2-D',
        (snp, p) => snp.column_stack([I(snp, p, v1, 1), I(snp, p, c, 0)]),
        R.columnStack([v1, c]),
      ),
    ]);
  });
});

describe('manipulation: resize, repeat, tile', () => {
  it('resize repeats the data cyclically, to larger, smaller and 3-D shapes', async () => {
    const r = rng(506);
    const cases: Case[] = [];
    for (let i = 0; i < 6; i++) {
      const x = randArr(r, randShape(r, 1, 3));
      const t = randShape(r, 1, 3, 5);
      cases.push(
        moved(`resize [${x.shape}] → [${t}]`, (snp, p) => snp.resize(input(snp, p, i % 2, x), t), R.resize(x, t)),
      );
    }
    const x = randArr(r, [2, 2]);
    cases.push(moved('resize to a number', (snp, p) => snp.resize(input(snp, p, 0, x), 7), R.resize(x, 7)));
    cases.push(moved('resize to [0]', (snp, p) => snp.resize(input(snp, p, 0, x), [0]), R.resize(x, [0])));
    await runCases(cases);
  });

  it('repeat flattens without an axis; repeats along 0, 1, -1; 0-d input', async () => {
    const r = rng(507);
    const cases: Case[] = [];
    for (let i = 0; i < 8; i++) {
      const x = randArr(r, randShape(r, 1, 3));
      const k = randInt(r, 0, 3);
      const axis = pick(r, [undefined, ...Array.from({ length: x.shape.length }, (_, j) => j), -1]);
      cases.push(
        moved(
          `repeat [${x.shape}] ${k} axis ${axis}`,
          (snp, p) => snp.repeat(input(snp, p, i % 2, x), k, axis),
          R.repeat(x, k, axis),
        ),
      );
    }
    const s = randArr(r, []);
    cases.push(moved('repeat 0-d 3', (snp, p) => snp.repeat(input(snp, p, 1, s), 3), R.repeat(s, 3)));
    await runCases(cases);
  });

  it('repeat with a count per element along an axis, as NumPy', async () => {
    const r = rng(510);
    const cases: Case[] = [];
    for (let i = 0; i < 4; i++) {
      const x = randArr(r, randShape(r, 1, 3));
      const axis = pick(r, [...Array.from({ length: x.shape.length }, (_, j) => j), -1]);
      const list = Array.from({ length: x.shape[R.normAxis(axis, x.shape.length)]! }, () => randInt(r, 0, 2));
      cases.push(
        moved(
          `repeat [${x.shape}] [${list}] axis ${axis}`,
          (snp, p) => snp.repeat(input(snp, p, i % 2, x), list as never, axis),
          R.repeat(x, list, axis),
        ),
      );
    }
    await runCases(cases);
  });

  it('tile with a number, with reps shorter and longer than ndim', async () => {
    const r = rng(508);
    const cases: Case[] = [];
    for (let i = 0; i < 6; i++) {
      const x = randArr(r, randShape(r, 0, 3, 3));
      const reps = r() < 0.3 ? randInt(r, 1, 3) : Array.from({ length: randInt(r, 1, 4) }, () => randInt(r, 1, 3));
      cases.push(
        moved(
          `tile [${x.shape}] ${JSON.stringify(reps)}`,
          (snp, p) => snp.tile(input(snp, p, i % 2, x), reps),
          R.tile(x, reps),
        ),
      );
    }
    await runCases(cases);
  });
});
