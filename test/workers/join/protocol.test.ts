// The join's message flow (workers/join/protocol.ts) against a semi-honest A's attack on the OKVS:
// from its own view (B's OKVS, every OPRF value it unblinded, its bins) A computes, for every
// OPRF value Fv it holds and every bin u, Decode(D, (Fv, u)) ⊕ KDF(Fv, u), and compares with B's
// targets t_u (taken from B's shares here: B's `test` is −t_u). Only (F(a, u_a), u_a) of a
// matched key may hit; with an OPRF independent of the bin, a matched key also hit in its other
// candidate bins, telling A which of its keys are in B's set. Also checks the shares' meaning.

import { describe, expect, it } from 'vitest';
import { RING64 } from '../../../shared/rings.js';
import { hashToCurve } from '../../../workers/join/hash-to-curve.js';
import { kdfWords } from '../../../workers/join/kdf.js';
import { okvsDecode } from '../../../workers/join/okvs.js';
import { OprfBlinding, OprfKey } from '../../../workers/join/oprf.js';
import {
  dstOf,
  type JoinChannel,
  type JoinSide,
  joinAsA,
  joinAsB,
  type OprfSuite,
} from '../../../workers/join/protocol.js';

type Payload = BigUint64Array | Float64Array;

/** Two connected channels, recording what A receives by stage. */
function channels(): { a: JoinChannel; b: JoinChannel; toA: Map<number, Payload> } {
  const boxes = [new Map<number, Promise<Payload>>(), new Map<number, Promise<Payload>>()];
  const resolvers = [new Map<number, (v: Payload) => void>(), new Map<number, (v: Payload) => void>()];
  const slot = (to: number, stage: number) => {
    if (!boxes[to]!.has(stage)) boxes[to]!.set(stage, new Promise((r) => resolvers[to]!.set(stage, r)));
    return boxes[to]!.get(stage)!;
  };
  const toA = new Map<number, Payload>();
  const end = (me: number): JoinChannel => ({
    post: (stage, v) => {
      slot(1 - me, stage);
      if (me === 1) toA.set(stage, v);
      resolvers[1 - me]!.get(stage)!(v);
    },
    take: (stage) => slot(me, stage),
  });
  return { a: end(0), b: end(1), toA };
}

const enc = (s: string) => new TextEncoder().encode(s);
const side = (keys: string[], cols: number): JoinSide => ({
  keys: keys.map(enc),
  values: BigUint64Array.from({ length: keys.length * cols }, (_, i) => BigInt(i + 1)),
  cols,
});

describe('join protocol', () => {
  it("a semi-honest A's OKVS decodes hit B's targets only at its own matched (F(a, u_a), u_a)", async () => {
    const nA = 120;
    const nB = 100;
    const common = 50;
    const A = side(
      Array.from({ length: nA }, (_, i) => `key-${i}`),
      1,
    );
    const B = side(
      Array.from({ length: nB }, (_, j) => `key-${j < common ? j : 1000 + j}`),
      1,
    );
    // A's OPRF values: everything it unblinds.
    const unblinded: Uint8Array[] = [];
    const suite: OprfSuite = {
      hash: hashToCurve,
      key: () => OprfKey.create(),
      blinding: async () => {
        const r = await OprfBlinding.create();
        return {
          blind: (p) => r.blind(p),
          unblind: async (p) => {
            const out = await r.unblind(p);
            unblinded.push(out);
            return out;
          },
        };
      },
    };
    const ch = channels();
    const dst = dstOf(new Uint8Array(32).fill(7));
    const [sa, sb] = await Promise.all([
      joinAsA(ch.a, suite, RING64, A, nB, B.cols, dst),
      joinAsB(ch.b, suite, RING64, B, nA, A.cols, dst),
    ]);
    const m = sa.m;
    const t = sb.test.map((x) => -x);
    // The honest outcome: exactly `common` bins match, carrying B's payload.
    const hits = Array.from({ length: m }, (_, u) => u).filter((u) => sa.test[u] === t[u]);
    expect(hits.length).toBe(common);
    for (const u of hits) expect(Number(sa.left[u]!)).toBeLessThanOrEqual(common);
    for (const u of hits) expect(BigInt.asUintN(64, sa.right[u]! + sb.right[u]!)).toBe(sa.left[u]!);

    // The attack: every OPRF value A holds, decoded at every bin.
    const values = Buffer.concat(unblinded);
    const F = values.length / 32;
    const okvs = ch.toA.get(2) as BigUint64Array;
    const wv = 1 + B.cols;
    const points = new Uint8Array(32 * F * m);
    const bins = new Uint32Array(F * m);
    for (let f = 0; f < F; f++) {
      for (let u = 0; u < m; u++) {
        points.set(values.subarray(32 * f, 32 * f + 32), 32 * (f * m + u));
        bins[f * m + u] = u;
      }
    }
    const pads = kdfWords(points, bins, 1 + wv);
    const posKeys = BigUint64Array.from({ length: F * m }, (_, k) => pads[k * (1 + wv)]!);
    const decoded = okvsDecode(okvs.subarray(2), wv, new Uint32Array(okvs.slice(0, 2).buffer), posKeys);
    const derived: string[] = [];
    const perValue = new Array<number>(F).fill(0);
    for (let k = 0; k < F * m; k++) {
      const u = bins[k]!;
      if ((decoded[k * wv]! ^ pads[k * (1 + wv) + 1]!) === t[u]) {
        derived.push(`${Math.floor(k / m)}@${u}`);
        perValue[Math.floor(k / m)]!++;
      }
    }
    // Each matched key opens exactly one target (its own bin's), nothing else opens.
    expect(derived.length).toBe(common);
    expect(new Set(derived.map((d) => Number(d.split('@')[1]))).size).toBe(derived.length);
    expect(Math.max(...perValue)).toBeLessThanOrEqual(1);
    expect(derived.map((d) => Number(d.split('@')[1])).sort((x, y) => x - y)).toEqual(hits);
  });
});
