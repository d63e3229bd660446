// Matrix products with NumPy's shape rules (matmul, dot, inner, outer), each one operation whose
// operands are laid out as a batch of (m×k)·(k×n) products once their shapes are known — so
// shapes still on their way from another party need no special handling. Secret × secret uses
// a matrix triple per matrix: one round opening m·k + k·n masked words, then local products.
// Secret × public is local. Fixed point × fixed point is truncated once per output element.
// Both rings (W words per element).

import { ParleyError } from '../../shared/errors.js';
import { broadcastShapes, type Shape, sizeOf } from '../../shared/nd/shape.js';
import { broadcastPositions, transposePositions } from '../../shared/nd/strided.js';
import type { SecureArray } from './array.js';
import { gatherElements, type Operand, operand, publicEncoder, widen } from './operand.js';
import { type MatmulPart, matmulShares, truncate } from './protocols.js';
import type { Session } from './session.js';
import { inputBound, promote, type SecureDType } from './values.js';

/** A batch of (m×k)·(k×n) products: which blocks of x and y (after optional gathers) each uses. */
export interface Layout {
  out: number[];
  m: number;
  k: number;
  n: number;
  batch: number;
  aIndex: Float64Array;
  bIndex: Float64Array;
  /** Re-arrangements of x or y into row-major blocks, when a reshape alone is not enough. */
  aPos: Float64Array | null;
  bPos: Float64Array | null;
}

const single = (out: number[], m: number, k: number, n: number, bPos: Float64Array | null = null): Layout => ({
  out,
  m,
  k,
  n,
  batch: 1,
  aIndex: new Float64Array(1),
  bIndex: new Float64Array(1),
  aPos: null,
  bPos,
});

/** numpy.matmul's shape rules. */
function matmulLayout(a: Shape, b: Shape): Layout {
  if (a.length === 0 || b.length === 0)
    throw new ParleyError('ERR_SHAPE', 'matmul does not take 0-d operands; use mul');
  const A = a.length === 1 ? [1, a[0]!] : a;
  const B = b.length === 1 ? [b[0]!, 1] : b;
  const [m, k] = A.slice(-2) as [number, number];
  const [k2, n] = B.slice(-2) as [number, number];
  if (k !== k2)
    throw new ParleyError('ERR_SHAPE', `matmul: inner dimensions differ, (${a.join(', ')}) and (${b.join(', ')})`);
  const aBatch = A.slice(0, -2);
  const bBatch = B.slice(0, -2);
  const batchShape = broadcastShapes(aBatch, bBatch);
  const out = [...batchShape, ...(a.length === 1 ? [] : [m]), ...(b.length === 1 ? [] : [n])];
  const index = (s: number[]) =>
    s.length === 0 ? new Float64Array(sizeOf(batchShape)) : broadcastPositions(s, batchShape);
  return {
    out,
    m,
    k,
    n,
    batch: sizeOf(batchShape),
    aIndex: index(aBatch),
    bIndex: index(bBatch),
    aPos: null,
    bPos: null,
  };
}

/** A 0-d operand times an array: a (1×1)·(1×n) or (m×1)·(1×1) product. */
function scalarLayout(a: Shape, b: Shape): Layout {
  if (a.length === 0) return single([...b], 1, 1, sizeOf(b));
  return single([...a], sizeOf(a), 1, 1);
}

/** numpy.dot: products for 0-d, matmul up to 2-D or with a 1-D b, else the sum over a[-1] and b[-2]. */
function dotLayout(a: Shape, b: Shape): Layout {
  if (a.length === 0 || b.length === 0) return scalarLayout(a, b);
  if ((a.length <= 2 && b.length <= 2) || b.length === 1) return matmulLayout(a, b);
  const K = a[a.length - 1]!;
  if (b[b.length - 2] !== K)
    throw new ParleyError('ERR_SHAPE', `dot: shapes (${a.join(', ')}) and (${b.join(', ')}) are not aligned`);
  const nd = b.length;
  const perm = [nd - 2, ...Array.from({ length: nd - 2 }, (_, i) => i), nd - 1];
  const { positions } = transposePositions(b, perm);
  return single(
    [...a.slice(0, -1), ...b.slice(0, -2), b[nd - 1]!],
    sizeOf(a) / K || 0,
    K,
    K === 0 ? 0 : sizeOf(b) / K,
    positions,
  );
}

/** numpy.inner: the sum over the last axes of both. */
function innerLayout(a: Shape, b: Shape): Layout {
  if (a.length === 0 || b.length === 0) return scalarLayout(a, b);
  const K = a[a.length - 1]!;
  if (b[b.length - 1] !== K)
    throw new ParleyError('ERR_SHAPE', `inner: last dimensions differ, (${a.join(', ')}) and (${b.join(', ')})`);
  const N = K === 0 ? sizeOf(b.slice(0, -1)) : sizeOf(b) / K;
  const M = K === 0 ? sizeOf(a.slice(0, -1)) : sizeOf(a) / K;
  return single([...a.slice(0, -1), ...b.slice(0, -1)], M, K, N, transposePositions([N, K], [1, 0]).positions);
}

/** numpy.outer: both flattened, every product. */
function outerLayout(a: Shape, b: Shape): Layout {
  return single([sizeOf(a), sizeOf(b)], sizeOf(a), 1, sizeOf(b));
}

const numeric = (t: SecureDType): SecureDType => (t === 'bool' ? 'int64' : t);
const dtypeOf = (o: Operand): SecureDType => numeric(o.kind === 'secret' ? o.a.dtype : o.p.dtype);

/** One batched product of x and y laid out by `layout`; either may be public (both, even). */
function product(s: Session, x: Operand, y: Operand, layout: (a: Shape, b: Shape) => Layout): SecureArray {
  const tx = dtypeOf(x);
  const ty = dtypeOf(y);
  const truncates = tx === 'float64' && ty === 'float64';
  const both = x.kind === 'secret' && y.kind === 'secret';
  const secrets = [x, y].flatMap((o) => (o.kind === 'secret' ? [widen(o.a, numeric(o.a.dtype))] : []));
  // Public operands are encoded now, so a value out of range throws at the call.
  const encoded = [x, y].map((o, i) =>
    o.kind === 'public' ? publicEncoder(s, o.p, i === 0 ? tx : ty, inputBound(s.fracBits, s.ring))(o.p.shape) : null,
  );
  const shapesOf = (secretShapes: Shape[]): [Shape, Shape] => {
    let i = 0;
    const sx = x.kind === 'secret' ? secretShapes[i++]! : x.p.shape;
    const sy = y.kind === 'secret' ? secretShapes[i++]! : y.p.shape;
    return [sx, sy];
  };
  return s.derive({
    inputs: secrets,
    dtype: promote(tx, ty),
    shape: (shapes) => layout(...shapesOf(shapes)).out,
    needs: (shapes) => {
      const L = layout(...shapesOf(shapes));
      return {
        matrices: both ? Array.from({ length: L.batch }, () => [L.m, L.k, L.n] as const) : [],
        truncations: truncates ? sizeOf(L.out) : 0,
      };
    },
    run: async (c) => {
      const L = layout(...shapesOf(c.shapes));
      const { m, k, n } = L;
      const W = s.ring.words;
      let i = 0;
      const words = [x, y].map((o, j) => (o.kind === 'secret' ? c.shares[i++]! : encoded[j]!));
      const X = L.aPos ? gatherElements(words[0]!, L.aPos, W) : words[0]!;
      const Y = L.bPos ? gatherElements(words[1]!, L.bPos, W) : words[1]!;
      const block = (v: BigUint64Array, index: Float64Array, size: number, b: number) =>
        v.subarray(W * index[b]! * size, W * (index[b]! + 1) * size);
      let out: BigUint64Array = new BigUint64Array(W * L.batch * m * n);
      if (both) {
        const parts: MatmulPart[] = Array.from({ length: L.batch }, (_, b) => ({
          x: block(X, L.aIndex, m * k, b),
          y: block(Y, L.bIndex, k * n, b),
          m,
          k,
          n,
          triple: c.material!.matrices[b]!,
        }));
        (await matmulShares(c.wire, c.key(0), parts)).forEach((z, b) => out.set(z, W * b * m * n));
      } else if (secrets.length === 1 || s.party === 0) {
        // Local: each party's share times the public operand (both public: party 0 holds it).
        for (let b = 0; b < L.batch; b++)
          out.set(
            s.ring.ringMatmul(block(X, L.aIndex, m * k, b), block(Y, L.bIndex, k * n, b), m, k, n),
            W * b * m * n,
          );
      }
      if (truncates) out = await truncate(c.wire, c.key(both ? 1 : 0), out, s.fracBits, c.material!.trunc);
      return out;
    },
  });
}

export const matmulOperands = (s: Session, x: Operand, y: Operand) => product(s, x, y, matmulLayout);
export const dotOperands = (s: Session, x: Operand, y: Operand) => product(s, x, y, dotLayout);
export const innerOperands = (s: Session, x: Operand, y: Operand) => product(s, x, y, innerLayout);
export const outerOperands = (s: Session, x: Operand, y: Operand) => product(s, x, y, outerLayout);

export function matmul(a: SecureArray, other: unknown): SecureArray {
  return matmulOperands(a.session, { kind: 'secret', a }, operand(a.session, other));
}

export function dot(a: SecureArray, other: unknown): SecureArray {
  return dotOperands(a.session, { kind: 'secret', a }, operand(a.session, other));
}
