// Reductions along an axis built from the math ops: var, std, average with secret weights, and
// perGroup (x combined with one reduced value per group), which softmax in ops-exp.ts shares.
//
// VAR, STD: compositions (mean, centred squares, mean; sqrt). Their bounds are in docs/securenumpy.md (Math).

import { ParleyError } from '../../shared/errors.js';
import { normalizeAxes, type Shape, sizeOf } from '../../shared/nd/shape.js';
import { reductionPositions } from '../../shared/nd/strided.js';
import type { Ring } from '../../shared/rings.js';
import type { SecureArray } from './array.js';
import { type Axis, asFloat, Proto } from './math-core.js';
import { broadcastTo, gatherElements } from './operand.js';
import { divide, sqrt } from './ops-math.js';
import * as reduce from './ops-reduce.js';

/** Σ of each group of `r` (group g: positions g·group … g·group + group − 1 of r.positions). */
function groupSums(ring: Ring, v: BigUint64Array, r: ReturnType<typeof reductionPositions>): BigUint64Array {
  const groups = sizeOf(r.outShape);
  let out: BigUint64Array = new BigUint64Array(ring.words * groups);
  const at = new Float64Array(groups);
  for (let j = 0; j < r.group; j++) {
    for (let g = 0; g < groups; g++) at[g] = r.positions[g * r.group + j]!;
    out = ring.add(out, gatherElements(v, at, ring.words));
  }
  return out;
}

// ---- reductions along an axis ----------------------------------------------------------------

/** x combined with g (x reduced along `axis`, one value per group): x − g (local) or x·g. */
export function perGroup(x: SecureArray, g: SecureArray, axis: Axis, op: 'sub' | 'mul'): SecureArray {
  const s = x.session;
  const plan = (sh: Shape) => reductionPositions(sh, normalizeAxes(axis, sh.length));
  return s.derive({
    inputs: [x, g],
    dtype: 'float64',
    shape: ([xs]) => xs!,
    needs: op === 'mul' ? (_, out) => ({ triples: sizeOf(out), truncations: sizeOf(out) }) : undefined,
    run: async (c) => {
      const r = plan(c.shapes[0]!);
      const xv = c.shares[0]!;
      const gv = c.shares[1]!;
      const W = s.ring.words;
      const spread = new BigUint64Array(xv.length);
      for (let k = 0; k < xv.length / W; k++)
        for (let j = 0; j < W; j++) spread[W * r.positions[k]! + j] = gv[W * Math.floor(k / r.group) + j]!;
      if (op === 'sub') return s.ring.sub(xv, spread);
      const p = new Proto(c);
      const out = await p.mulTrunc(xv, spread, s.fracBits);
      p.done();
      return out;
    },
  });
}

/** NumPy's var (ddof = 0): the mean of (x − mean)² along `axis`. */
export function variance(x0: SecureArray, axis: Axis = null): SecureArray {
  const x = asFloat(x0);
  const ax = axis as number | null | undefined;
  const dev = perGroup(x, reduce.mean(x, ax), axis, 'sub');
  return reduce.mean(dev.mul(dev), ax);
}

export function std(x: SecureArray, axis: Axis = null): SecureArray {
  return sqrt(variance(x, axis));
}

/**
 * Σ x·w / Σ w along `axis` with secret weights of x's shape, or 1-D weights laid along a single
 * axis (NumPy). The choice is made from the shapes inside the ops, so a shape still on its way
 * at one party gives both parties the same ops.
 */
export function averageSecret(x0: SecureArray, w0: SecureArray, axis: Axis): SecureArray {
  const x = asFloat(x0);
  const w = asFloat(w0);
  const s = x.session;
  /** The shape w is read at (x's shape for 1-D weights along the axis, else w's own) and whether it is 1-D. */
  const layout = (xs: Shape, ws: Shape): { along: boolean; as: Shape } => {
    if (ws.length === 1 && xs.length > 1 && typeof axis === 'number') {
      const ax = normalizeAxes(axis, xs.length)[0]!;
      if (ws[0] !== xs[ax])
        throw new ParleyError('ERR_SHAPE', `1-D weights need the length of axis ${axis} (${xs[ax]}), got ${ws[0]}`);
      return { along: true, as: xs.map((d, i) => (i === ax ? d : 1)) };
    }
    if (xs.length !== ws.length || xs.some((d, i) => d !== ws[i])) {
      throw new ParleyError(
        'ERR_SHAPE',
        `average with secret weights needs weights of the data's shape ${JSON.stringify(xs)} (or 1-D along the axis), got ${JSON.stringify(ws)}`,
      );
    }
    return { along: false, as: ws };
  };
  const weighted = s.derive({
    inputs: [x, w],
    dtype: 'float64',
    shape: ([xs, ws]) => (layout(xs!, ws!), xs!),
    needs: (_, out) => ({ triples: sizeOf(out), truncations: sizeOf(out) }),
    run: async (c) => {
      const p = new Proto(c);
      const ws = broadcastTo(c.shares[1]!, layout(c.shapes[0]!, c.shapes[1]!).as, c.out);
      const out = await p.mulTrunc(c.shares[0]!, ws, s.fracBits);
      p.done();
      return out;
    },
  });
  const plan = (xs: Shape, ws: Shape) => {
    const l = layout(xs, ws);
    return reductionPositions(ws, l.along ? [0] : normalizeAxes(axis, ws.length));
  };
  const den = s.derive({
    inputs: [x, w],
    dtype: 'float64',
    shape: ([xs, ws]) => plan(xs!, ws!).outShape,
    run: (c) => {
      const r = plan(c.shapes[0]!, c.shapes[1]!);
      return groupSums(s.ring, c.shares[1]!, r);
    },
  });
  return divide(reduce.sum(weighted, axis as number | null | undefined), den);
}
