// Secure comparisons at the engine level: packed AND triples (both modes) valid, uniform and
// never handed out twice; the online AND on packed words, the sign bit and the zero test against
// plaintext over random sharings in both rings (including the extremes: ±2^63 in Z_2^64, ±2^127
// and the word boundary 2^64 in Z_2^128); lt on int64 values whose difference approaches 2^63
// (ring 64) or 2^64 (every int64 pair, ring 128); rounds and correlations per comparison per
// ring; and no leakage: what a party receives during lt has the same sizes and count for
// different inputs, with a dealer in both rings and dealer-free (ring 64) through silent OT.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RING64, RING128, type Ring } from '../../../shared/rings.js';
import type { AndTriples } from '../../../workers/securenumpy/correlations.js';
import { DealerClient, serveDealer } from '../../../workers/securenumpy/dealer.js';
import { DealerFreeMaker } from '../../../workers/securenumpy/dealer-free.js';
import { Exchange } from '../../../workers/securenumpy/exchange.js';
import { runLocal } from '../../../workers/securenumpy/index.js';
import { Preprocessing } from '../../../workers/securenumpy/preprocessing.js';
import type { Wire } from '../../../workers/securenumpy/protocols.js';
import {
  andWords,
  isZeroBits,
  msbAndWords,
  msbBits,
  zeroAndWords,
} from '../../../workers/securenumpy/protocols-bool.js';
import { poolDuo, poolGroup } from '../../helpers/pools.js';
import { receivedByParty1 } from '../../helpers/transcript.js';

const MASK = (1n << 64n) - 1n;
const popcount = (v: bigint) => v.toString(2).split('1').length - 1;

function randomWord(): bigint {
  const b = crypto.getRandomValues(new Uint32Array(2));
  return (BigInt(b[0]!) << 32n) | BigInt(b[1]!);
}

/** Valid packed AND triples for both parties, made in the clear (for the online protocols). */
function localAndTriples(n: number): [AndTriples, AndTriples] {
  const w = () => BigUint64Array.from({ length: n }, randomWord);
  const [a0, b0, c0, a1, b1] = [w(), w(), w(), w(), w()];
  const c1 = c0.map((c, i) => ((a0[i]! ^ a1[i]!) & (b0[i]! ^ b1[i]!)) ^ c);
  return [
    { a: a0, b: b0, c: c0 },
    { a: a1, b: b1, c: c1 },
  ];
}

/** Runs `f` at both parties over two Exchanges on an in-memory pool pair. */
async function online<T>(f: (w: Wire, party: 0 | 1) => Promise<T>, ring: Ring = RING64): Promise<[T, T]> {
  const g = poolDuo();
  try {
    const wires = [0, 1].map((p) => ({ party: p as 0 | 1, ex: new Exchange(g.pools[p]!, 1 - p), ring }));
    return (await Promise.all(wires.map((w) => f(w, w.party)))) as [T, T];
  } finally {
    g.close();
  }
}

/** Random additive sharings x0 + x1 = x mod 2^ℓ of the given values, ring.words words each (low first). */
function share(xs: readonly bigint[], ring: Ring = RING64): [BigUint64Array, BigUint64Array] {
  const W = ring.words;
  const [x0, x1] = [new BigUint64Array(W * xs.length), new BigUint64Array(W * xs.length)];
  xs.forEach((x, i) => {
    let r = 0n;
    for (let j = 0; j < W; j++) r = (r << 64n) | randomWord();
    const d = BigInt.asUintN(ring.bits, x - r);
    for (let j = 0; j < W; j++) {
      x0[W * i + j] = BigInt.asUintN(64, r >> BigInt(64 * j));
      x1[W * i + j] = BigInt.asUintN(64, d >> BigInt(64 * j));
    }
  });
  return [x0, x1];
}

describe('packed AND triples', () => {
  async function takeAnd(mode: 'dealer' | 'dealer-free', batch: number, takes: number[]) {
    const g = poolGroup(mode === 'dealer' ? 3 : 2);
    const dealer = mode === 'dealer' ? serveDealer(g.pools[2]!) : null;
    const makers = [0, 1].map((p) =>
      mode === 'dealer' ? new DealerClient(g.pools[p]!, p as 0 | 1, 2) : new DealerFreeMaker(g.pools[p]!, p as 0 | 1),
    );
    const preps = makers.map((m) => new Preprocessing(m, batch));
    const got = await Promise.all(preps.map((p) => Promise.all(takes.map((n) => p.reserve({ andWords: n })))));
    makers.forEach((m) => m.close());
    await dealer;
    g.close();
    return { got, stats: preps.map((p) => p.stats) };
  }

  it.each([
    ['dealer', 500, 3000],
    ['dealer-free', 300, 1000],
  ] as const)(
    '%s: valid, uniform-looking, and each word handed out once across refills',
    async (mode, batch, total) => {
      const takes = [total / 4, total / 4, total / 2];
      const { got, stats } = await takeAnd(mode, batch, takes);
      const seen = new Set<bigint>();
      let bad = 0;
      let ones = 0;
      let words = 0;
      for (let t = 0; t < takes.length; t++) {
        const [m0, m1] = [got[0]![t]!.and, got[1]![t]!.and];
        expect(m0.a.length).toBe(takes[t]);
        for (let i = 0; i < m0.a.length; i++) {
          const a = m0.a[i]! ^ m1.a[i]!;
          const b = m0.b[i]! ^ m1.b[i]!;
          if ((m0.c[i]! ^ m1.c[i]!) !== (a & b)) bad++;
          for (const v of [m0.a[i]!, m0.b[i]!, m1.a[i]!, m1.b[i]!, m0.c[i]!, m1.c[i]!]) seen.add(v);
          ones += popcount(a) + popcount(b) + popcount(m0.c[i]!) + popcount(m1.c[i]!);
          words += 4;
        }
      }
      expect(bad).toBe(0);
      expect(seen.size).toBe(6 * total); // no word repeated, within or across takes (2^-64 chance each)
      expect(ones / (64 * words)).toBeGreaterThan(0.48);
      expect(ones / (64 * words)).toBeLessThan(0.52);
      for (const s of stats) {
        expect(s.andWordsConsumed).toBe(total);
        expect(s.andWordsMade).toBeGreaterThanOrEqual(total);
        expect(s.triplesMade + s.truncationsMade).toBe(0); // AND triples need nothing else
      }
    },
    30_000,
  );
});

describe('online protocols on packed words', () => {
  it('andWords gives the bitwise AND of XOR-shared words and spends its triples', async () => {
    const n = 200;
    const u = BigUint64Array.from({ length: n }, randomWord);
    const v = BigUint64Array.from({ length: n }, randomWord);
    u[0] = 0n;
    v[1] = MASK;
    const [u0, v0] = [BigUint64Array.from({ length: n }, randomWord), BigUint64Array.from({ length: n }, randomWord)];
    const shares = [
      [u0, v0],
      [u0.map((x, i) => x ^ u[i]!), v0.map((x, i) => x ^ v[i]!)],
    ];
    const t = localAndTriples(n);
    const [z0, z1] = await online((w, p) => andWords(w, 7, shares[p]![0]!, shares[p]![1]!, t[p]!));
    for (let i = 0; i < n; i++) expect(z0[i]! ^ z1[i]!).toBe(u[i]! & v[i]!);
    for (const x of t) expect([...x.a, ...x.b, ...x.c].every((w) => w === 0n)).toBe(true); // wiped after use
  });
});

/** Values at the edges: zero, ±1, the sign boundary, the word boundaries. */
function specials(ring: Ring): bigint[] {
  const h = BigInt(ring.bits - 1);
  const edges = [0n, 1n, -1n, 2n ** (h - 1n), -(2n ** (h - 1n)), 2n ** h - 1n, -(2n ** h), 12345n, -12345n];
  const words = [2n ** 32n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, 2n ** 64n + 1n, 2n ** 100n];
  return [...edges, ...words.filter((v) => v < 2n ** h).flatMap((v) => [v, -v])];
}

describe.each([RING64, RING128])('sign bit and zero test, ring $bits', (ring) => {
  const h = BigInt(ring.bits - 1);
  it(`msbBits is the sign bit, and isZeroBits the zero test, over random sharings including the extremes (±2^${ring.bits - 1})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: -(2n ** h), max: 2n ** h - 1n }), { minLength: 1, maxLength: 40 }),
        async (random) => {
          const xs = [...specials(ring), ...random];
          const [x0, x1] = share(xs, ring);
          const x = [x0, x1];
          const tm = localAndTriples(msbAndWords(ring) * xs.length);
          const tz = localAndTriples(zeroAndWords(ring) * xs.length);
          const [r0, r1] = await online(async (w, p) => {
            const keys = (base: number) => (stage: number) => base + stage;
            return Promise.all([msbBits(w, keys(0), x[p]!, tm[p]!), isZeroBits(w, keys(100), x[p]!, tz[p]!)]);
          }, ring);
          xs.forEach((v, i) => {
            expect(r0[0][i]! ^ r1[0][i]!, `msb of ${v}`).toBe(v < 0n ? 1n : 0n);
            expect(r0[1][i]! ^ r1[1][i]!, `zero test of ${v}`).toBe(v === 0n ? 1n : 0n);
            for (const r of [r0, r1]) expect(r[0][i]! <= 1n && r[1][i]! <= 1n).toBe(true);
          });
          // Every AND-triple word was spent (wiped), none left over.
          for (const t of [...tm, ...tz]) expect(t.a.every((q) => q === 0n)).toBe(true);
        },
      ),
      { numRuns: 10 },
    );
  });
});

describe.each([64, 128] as const)('comparisons in the engine, ring %i (dealer)', (bits) => {
  const opts = { preprocessing: 'dealer' as const, ring: bits };
  const [rounds, words, zeros] = bits === 64 ? [7, 12, 6] : [8, 27, 7];

  it(`lt, gt and eq on int64 values whose difference approaches 2^${bits === 64 ? 63 : 64}, as bigints`, async () => {
    // Ring 64 holds differences below 2^63; ring 128 every difference of two int64 values.
    const top = bits === 64 ? 2n ** 62n - 1n : 2n ** 63n - 1n;
    const low = bits === 64 ? -(2n ** 62n) : -(2n ** 63n);
    const xs = [top, -top, top, 0n, -top, 5n, low, top, low, top];
    const ys = [-top, top, top, -top, 0n, 5n, top, low, low, top - 1n];
    const [r] = await runLocal(
      2,
      async (snp, party) => {
        const x = snp.array(party === 0 ? xs : null, 0, 'int64', { shape: [xs.length] });
        const y = snp.array(party === 1 ? ys : null, 1, 'int64', { shape: [ys.length] });
        return Promise.all([x.lt(y), x.gt(y), x.eq(y), x.ge(y)].map((a) => a.revealTo(0)));
      },
      opts,
    );
    expect(r![0]!.toArray()).toEqual(xs.map((x, i) => x < ys[i]!));
    expect(r![1]!.toArray()).toEqual(xs.map((x, i) => x > ys[i]!));
    expect(r![2]!.toArray()).toEqual(xs.map((x, i) => x === ys[i]!));
    expect(r![3]!.toArray()).toEqual(xs.map((x, i) => x >= ys[i]!));
  });

  it(`cost ${rounds} rounds and ${words} AND words per value (lt), ${zeros} and ${zeros} (float64 eq), 6 words (int64 eq), and where two more rounds`, async () => {
    const n = 100;
    const [r] = await runLocal(
      2,
      async (snp, party) => {
        const x = snp.array(party === 0 ? Array.from({ length: n }, (_, i) => i - 50) : null, 0, { shape: [n] });
        const y = snp.array(party === 1 ? Array.from({ length: n }, (_, i) => 50 - i) : null, 1, { shape: [n] });
        await Promise.all([x.share, y.share]);
        const s0 = snp.stats();
        const lt = x.lt(y);
        await lt.share;
        const s1 = snp.stats();
        await x.eq(y).share;
        const s2 = snp.stats();
        await snp.where(lt, x, y).share;
        const s3 = snp.stats();
        const k = x.astype('int64');
        await k.share;
        const s4 = snp.stats();
        await k.eq(1).share;
        const s5 = snp.stats();
        return {
          lt: [
            s1.rounds - s0.rounds,
            s1.andWordsConsumed - s0.andWordsConsumed,
            s1.triplesConsumed - s0.triplesConsumed,
          ],
          eq: [s2.rounds - s1.rounds, s2.andWordsConsumed - s1.andWordsConsumed],
          where: [s3.rounds - s1.rounds, s3.triplesConsumed - s2.triplesConsumed, s3.truncationsConsumed],
          intEq: [s5.rounds - s4.rounds, s5.andWordsConsumed - s4.andWordsConsumed],
        };
      },
      opts,
    );
    expect(r!.lt).toEqual([rounds, words * n, 0]);
    expect(r!.eq).toEqual([0, zeros * n]); // eq's rounds run beside lt's
    expect(r!.where).toEqual([2, 2 * n, 0]); // B2A and one product; no truncation
    expect(r!.intEq).toEqual([6, 6 * n]); // int64: the low words (NumPy's wrap at 2^64)
  });

  it('leak nothing: what party 1 receives during lt has the same sizes and count for different inputs', async () => {
    const n = 50;
    /**
     * What party 1 receives from party 0 while computing x < y: every keyed value as key:length
     * (how values are grouped into messages depends on timing only), and the opened words.
     */
    async function transcript(xs: number[], ys: number[]): Promise<{ sizes: string[]; bits: bigint[] }> {
      const t = await receivedByParty1(
        async (snp, p) => {
          await snp.preprocess({ andWords: words * n });
          const x = snp.array(p === 0 ? xs : null, 0, { shape: [n] });
          const y = snp.array(p === 1 ? ys : null, 1, { shape: [n] });
          await x.lt(y).share;
        },
        'dealer',
        bits,
      );
      return { sizes: t.seen, bits: t.words };
    }
    const a = await transcript(
      Array.from({ length: n }, () => 0),
      Array.from({ length: n }, () => 0),
    );
    const b = await transcript(
      Array.from({ length: n }, (_, i) => (i % 2 ? 30000 : -30000)),
      Array.from({ length: n }, (_, i) => i - 25),
    );
    // The session's parameters, the input seed, x's shape, then the rounds of openings: ring 64
    // 2n words, 5 × 4n words, 2n words; ring 128 4n words (two-word generate), 6 × 8n, 2n (the
    // last level on the high words only).
    const rest = bits === 64 ? ['100', ...Array(5).fill('200'), '100'] : ['200', ...Array(6).fill('400'), '100'];
    expect(a.sizes.map((v) => v.split(':')[1])).toEqual(['2', '2', '4', ...rest]);
    expect(b.sizes).toEqual(a.sizes);
    // The openings look uniform even for all-zero inputs (fresh masks, never reused).
    const opened = a.bits.slice(-2 * n);
    const ones = opened.reduce((s, w) => s + popcount(w), 0);
    expect(ones / (64 * opened.length)).toBeGreaterThan(0.45);
    expect(ones / (64 * opened.length)).toBeLessThan(0.55);
  });
});

describe('comparisons in the engine, dealer-free (ring 64)', () => {
  it('leak nothing dealer-free through silent OT: party 1 receives the same messages and sizes for different inputs', async () => {
    // 200 comparisons need 2,400 AND words: 153,600 COTs per OT instance, above IKNP_LIMIT, so
    // the preprocessing runs Ferret (workers/ot/silent/), the default dealer-free path.
    const n = 200;
    async function transcript(xs: number[], ys: number[]) {
      return receivedByParty1(async (snp, p) => {
        await snp.preprocess({ andWords: 12 * n });
        const x = snp.array(p === 0 ? xs : null, 0, { shape: [n] });
        const y = snp.array(p === 1 ? ys : null, 1, { shape: [n] });
        await x.lt(y).share;
      }, 'dealer-free');
    }
    const a = await transcript(
      Array.from({ length: n }, () => 0),
      Array.from({ length: n }, () => 0),
    );
    const b = await transcript(
      Array.from({ length: n }, (_, i) => (i % 2 ? 30000 : -30000)),
      Array.from({ length: n }, (_, i) => i - 100),
    );
    expect(a.other.some((m) => m.includes('/f/ggm/'))).toBe(true); // Ferret served the OTs
    expect(b.other).toEqual(a.other);
    expect(b.seen).toEqual(a.seen);
  }, 60_000);
});
