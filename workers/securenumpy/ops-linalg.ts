// Matrix products with NumPy's shape rules (matmul, dot, inner, outer). Secret × secret uses a
// matrix triple per matrix: one round opening m·k + k·n masked words, then local products.
// Secret × public is local. Fixed point × fixed point is truncated once per output element.

import { ParleyError } from '../../shared/errors.js';
import { broadcastShapes, sizeOf, type Shape } from '../../shared/nd/shape.js';
import { broadcastPositions } from '../../shared/nd/strided.js';
import type { SecureArray } from './array.js';
import { cast, encodePublic, operand, type Operand } from './operand.js';
import { mul } from './ops-arith.js';
import { constantPlain } from './ops-reveal.js';
import { reshape, transpose } from './ops-shape.js';
import { type MatmulPart, matmulShares, truncate } from './protocols.js';
import { ringMatmul } from './ring.js';
import type { Session } from './session.js';
import { type DType, plainToNd, promote } from './values.js';

interface Plan {
  out: number[];
  m: number;
  k: number;
  n: number;
  batch: number;
  /** For each batch element, the batch index into a and into b. */
  aIndex: Float64Array;
  bIndex: Float64Array;
}

/** numpy.matmul's shape rules. */
export function matmulPlan(a: Shape, b: Shape): Plan {
  if (a.length === 0 || b.length === 0) throw new ParleyError('ERR_SHAPE', 'matmul does not take 0-d operands; use mul');
  const A = a.length === 1 ? [1, a[0]!] : a;
  const B = b.length === 1 ? [b[0]!, 1] : b;
  const [m, k] = A.slice(-2) as [number, number];
  const [k2, n] = B.slice(-2) as [number, number];
  if (k !== k2) throw new ParleyError('ERR_SHAPE', `matmul: inner dimensions differ, (${a.join(', ')}) and (${b.join(', ')})`);
  const aBatch = A.slice(0, -2);
  const bBatch = B.slice(0, -2);
  const batchShape = broadcastShapes(aBatch, bBatch);
  const out = [...batchShape, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
  const index = (s: number[]) => (s.length === 0 ? new Float64Array(sizeOf(batchShape)) : broadcastPositions(s, batchShape));
  return { out, m, k, n, batch: sizeOf(batchShape), aIndex: index(aBatch), bIndex: index(bBatch) };
}

function dtypeOf(o: Operand): DType {
  return o.kind === 'secret' ? o.a.dtype : o.p.dtype;
}

export function matmulOperands(s: Session, x: Operand, y: Operand): SecureArray {
  const num = (t: DType): DType => (t === 'bool' ? 'int64' : t);
  const tx = num(dtypeOf(x));
  const ty = num(dtypeOf(y));
  const dtype = promote(tx, ty);
  const truncates = tx === 'float64' && ty === 'float64';
  const secrets = [x, y].filter((o) => o.kind === 'secret').map((o) => cast((o as { a: SecureArray }).a, num((o as { a: SecureArray }).a.dtype)));
  const shapeOf = (o: Operand, shapes: Shape[], i: number) => (o.kind === 'secret' ? shapes[i]! : o.p.shape);
  const plans = (shapes: Shape[]) => {
    const sx = shapeOf(x, shapes, 0);
    const sy = shapeOf(y, shapes, x.kind === 'secret' ? 1 : 0);
    return { sx, sy, plan: matmulPlan(sx, sy) };
  };
  const both = secrets.length === 2;
  return s.derive({
    inputs: secrets,
    dtype,
    shape: (shapes) => plans(shapes).plan.out,
    needs: (shapes) => {
      const { plan } = plans(shapes);
      const count = truncates ? sizeOf(plan.out) : 0;
      return { matrices: both ? Array.from({ length: plan.batch }, () => [plan.m, plan.k, plan.n] as const) : [], truncations: count };
    },
    run: async (c) => {
      const { plan } = plans(c.shapes);
      const { m, k, n } = plan;
      let i = 0;
      const word = (o: Operand, t: DType): BigUint64Array => {
        if (o.kind === 'secret') return c.shares[i++]!;
        // Public whole numbers were inferred as int64, so they are encoded unscaled and stay exact.
        return encodePublic(s, o.p, t, o.p.shape, 2 ** (31 - s.fracBits));
      };
      const X = word(x, tx);
      const Y = word(y, ty);
      let out: BigUint64Array = new BigUint64Array(plan.batch * m * n);
      if (both) {
        const parts: MatmulPart[] = Array.from({ length: plan.batch }, (_, b) => ({
          x: X.subarray(plan.aIndex[b]! * m * k, (plan.aIndex[b]! + 1) * m * k),
          y: Y.subarray(plan.bIndex[b]! * k * n, (plan.bIndex[b]! + 1) * k * n),
          m,
          k,
          n,
          triple: c.material!.matrices[b]!,
        }));
        (await matmulShares(c.wire, c.key(0), parts)).forEach((z, b) => out.set(z, b * m * n));
      } else {
        for (let b = 0; b < plan.batch; b++) {
          const xa = X.subarray(plan.aIndex[b]! * m * k, (plan.aIndex[b]! + 1) * m * k);
          const yb = Y.subarray(plan.bIndex[b]! * k * n, (plan.bIndex[b]! + 1) * k * n);
          out.set(ringMatmul(xa, yb, m, k, n) as BigUint64Array, b * m * n);
        }
      }
      if (truncates) out = await truncate(c.wire, c.key(1), out, s.fracBits, c.material!.trunc);
      return out;
    },
  });
}

export function matmul(a: SecureArray, other: unknown): SecureArray {
  return matmulOperands(a.session, { kind: 'secret', a }, operand(a.session, other));
}

function known(a: SecureArray | Operand): Shape {
  if ('kind' in a) return a.kind === 'secret' ? a.a.shape : a.p.shape;
  return a.shape;
}

function asSecret(s: Session, o: Operand): SecureArray {
  return o.kind === 'secret' ? o.a : constantPlain(s, o.p, o.p.dtype === 'bool' ? 'int64' : o.p.dtype);
}

/** numpy.dot: products for 0-d, matmul up to 2-D, and the sum over a's last and b's second-to-last axis beyond. */
export function dotOperands(s: Session, x: Operand, y: Operand): SecureArray {
  const sx = known(x);
  const sy = known(y);
  if (sx.length === 0 || sy.length === 0) {
    return x.kind === 'secret' ? mul(x.a, y.kind === 'secret' ? y.a : plainToNd(y.p)) : mul((y as { a: SecureArray }).a, plainToNd(x.p));
  }
  if (sx.length <= 2 && sy.length <= 2) return matmulOperands(s, x, y);
  if (sy.length === 1) return matmulOperands(s, x, y);
  const K = sx[sx.length - 1]!;
  if (sy[sy.length - 2] !== K) throw new ParleyError('ERR_SHAPE', `dot: shapes (${sx.join(', ')}) and (${sy.join(', ')}) are not aligned`);
  const a2 = reshape(asSecret(s, x), [-1, K]);
  const nd = sy.length;
  const perm = [nd - 2, ...Array.from({ length: nd - 2 }, (_, i) => i), nd - 1];
  const b2 = reshape(transpose(asSecret(s, y), perm), [K, -1]);
  const prod = matmulOperands(s, { kind: 'secret', a: a2 }, { kind: 'secret', a: b2 });
  return reshape(prod, [...sx.slice(0, -1), ...sy.slice(0, -2), sy[nd - 1]!]);
}

export function innerOperands(s: Session, x: Operand, y: Operand): SecureArray {
  const sx = known(x);
  const sy = known(y);
  if (sx.length === 0 || sy.length === 0) return dotOperands(s, x, y);
  const K = sx[sx.length - 1]!;
  if (sy[sy.length - 1] !== K) throw new ParleyError('ERR_SHAPE', `inner: last dimensions differ, (${sx.join(', ')}) and (${sy.join(', ')})`);
  const prod = matmulOperands(s, { kind: 'secret', a: reshape(asSecret(s, x), [-1, K]) }, { kind: 'secret', a: transpose(reshape(asSecret(s, y), [-1, K])) });
  return reshape(prod, [...sx.slice(0, -1), ...sy.slice(0, -1)]);
}

export function outerOperands(s: Session, x: Operand, y: Operand): SecureArray {
  return matmulOperands(s, { kind: 'secret', a: reshape(asSecret(s, x), [-1, 1]) }, { kind: 'secret', a: reshape(asSecret(s, y), [1, -1]) });
}

export function dot(a: SecureArray, other: unknown): SecureArray {
  return dotOperands(a.session, { kind: 'secret', a }, operand(a.session, other));
}

