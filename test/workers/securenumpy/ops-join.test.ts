// The join's packed zero test (packedZero in workers/securenumpy/ops-join.ts): [x0 ⊕ −x1 = 0]
// as XOR-shared bits, exact for equal words and for words that differ in any single bit (each
// level of the packed AND-reduction is reached), with about one AND-triple word per value.

import { describe, expect, it } from 'vitest';
import { RING64 } from '../../../shared/rings.js';
import type { AndTriples } from '../../../workers/securenumpy/correlations.js';
import { Exchange } from '../../../workers/securenumpy/exchange.js';
import { packedZero, packedZeroWords } from '../../../workers/securenumpy/ops-join.js';
import { poolDuo } from '../../helpers/pools.js';

const word = () => new BigUint64Array(crypto.getRandomValues(new Uint32Array(2)).buffer)[0]!;

function andTriples(n: number): [AndTriples, AndTriples] {
  const r = () => BigUint64Array.from({ length: n }, word);
  const [a0, b0, c0, a1, b1] = [r(), r(), r(), r(), r()];
  const c1 = c0.map((c, i) => ((a0[i]! ^ a1[i]!) & (b0[i]! ^ b1[i]!)) ^ c);
  return [
    { a: a0, b: b0, c: c0 },
    { a: a1, b: b1, c: c1 },
  ];
}

describe('packedZero', () => {
  it('is 1 exactly where w = t, for equal words and every single-bit difference', async () => {
    const w: bigint[] = [];
    const t: bigint[] = [];
    for (let k = 0; k < 64; k++) {
      const x = word();
      w.push(x, x);
      t.push(x ^ (1n << BigInt(k)), x); // differs in bit k; equal
    }
    for (let k = 0; k < 37; k++) {
      w.push(word());
      t.push(word());
    }
    const n = w.length;
    const g = poolDuo();
    try {
      const triples = andTriples(packedZeroWords(n));
      const wires = [0, 1].map((p) => ({ party: p as 0 | 1, ex: new Exchange(g.pools[p]!, 1 - p), ring: RING64 }));
      // Party 0 passes w, party 1 −t (the join's test shares).
      const inputs = [BigUint64Array.from(w), BigUint64Array.from(t, (v) => -v)];
      const [z0, z1] = await Promise.all(wires.map((wire, p) => packedZero(wire, (s) => s, inputs[p]!, triples[p]!)));
      const got = Array.from(z0!, (v, i) => Number(v ^ z1![i]!));
      expect(got).toEqual(w.map((x, i) => (x === t[i] ? 1 : 0)));
    } finally {
      g.close();
    }
    expect(packedZeroWords(n)).toBeLessThanOrEqual(n + 6);
  });
});
