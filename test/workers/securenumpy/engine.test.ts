// The engine's own guarantees: truncation error and range, rounds shared by independent
// operations, reveal policy refused before sending, failures reaching the peer, input sharing
// without data traffic, and correlated randomness never handed out twice.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DealerClient, serveDealer } from '../../../workers/securenumpy/dealer.js';
import { DealerFreeMaker } from '../../../workers/securenumpy/dealer-free.js';
import { createSession, runLocal } from '../../../workers/securenumpy/index.js';
import { Preprocessing, type TruncMaterial } from '../../../workers/securenumpy/preprocessing.js';
import { poolGroup } from '../../helpers/pools.js';

const U = 2 ** -16;
const modes = ['dealer', 'dealer-free'] as const;

describe.each(modes)('fixed-point products (%s)', (preprocessing) => {
  it('are within one unit in the last place of the product of the rounded inputs (at most 2^-16), up to the edge of the range', async () => {
    const edge = 32767.99;
    const xs = [0, 1, -1, U, -U, 0.5, edge, -edge, edge, 181.02, -3.75];
    const ys = [0, -1, -1, U, U, 0.25, 1, edge, -edge, 181.02, 7.125];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.double({ min: -1000, max: 1000, noNaN: true }),
            fc.double({ min: -1000, max: 1000, noNaN: true }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        async (pairs) => {
          const a = [...xs, ...pairs.map((p) => p[0])];
          const b = [...ys, ...pairs.map((p) => p[1])];
          const [r] = await runLocal(
            2,
            (snp, party) => {
              const x = snp.array(party === 0 ? a : null, 0, { shape: [a.length] });
              const y = snp.array(party === 1 ? b : null, 1, { shape: [b.length] });
              return x.mul(y).revealTo(0);
            },
            { preprocessing },
          );
          const got = r!.data as Float64Array;
          a.forEach((v, i) => {
            const exact = Math.round(v / U) * U * (Math.round(b[i]! / U) * U);
            expect(Math.abs(got[i]! - exact)).toBeLessThanOrEqual(U + Math.abs(exact) * 2 ** -52); // (exact is a double)
          });
        },
      ),
      { numRuns: preprocessing === 'dealer' ? 15 : 3 },
    );
  });
});

describe('rounds and traffic', () => {
  it('independent products issued together share their rounds and their messages', async () => {
    const [r0, r1] = await runLocal(
      2,
      async (snp, party) => {
        // All material from the stock, so no operation waits for the dealer: each party posts the
        // four openings in one turn, and the four truncations in the turn the peer's openings arrive.
        await snp.preprocess({ triples: 8, truncations: 9, matrices: [[1, 2, 1]] }); // 4 products, 1 dot
        const x = snp.array(party === 0 ? [1.5, 2] : null, 0, { shape: [2] });
        const y = snp.array(party === 1 ? [3, 4.25] : null, 1, { shape: [2] });
        await Promise.all([x.toShare(), y.toShare()]);
        const s0 = snp.stats();
        await x.mul(y).toShare();
        const s1 = snp.stats();
        await Promise.all([x.mul(y).toShare(), x.mul(x).toShare(), y.mul(y).toShare(), x.matmul(y).toShare()]);
        const s2 = snp.stats();
        const chained = x.mul(y).mul(x).mul(y);
        await chained.toShare();
        const s3 = snp.stats();
        const madeSoFar = (t: typeof s0) => t.triplesMade + t.truncationsMade + t.matrixTriplesMade;
        return {
          one: s1.rounds - s0.rounds,
          four: s2.rounds - s1.rounds,
          chain: s3.rounds - s2.rounds,
          oneMsgs: s1.messages - s0.messages,
          fourMsgs: s2.messages - s1.messages,
          made: madeSoFar(s2) - madeSoFar(s0),
        };
      },
      { preprocessing: 'dealer' },
    );
    for (const r of [r0!, r1!]) {
      // A fixed-point product is two rounds deep (Beaver's opening, then truncation).
      expect(r.one).toBe(2);
      // Four independent products issued together still end two rounds deep...
      expect(r.four).toBe(0);
      // ...while three dependent ones end six rounds deep, four more than before.
      expect(r.chain).toBe(4);
      expect(r.made).toBe(0);
      // ...and they share their messages: at most one per round (eight if each product sent its
      // own). Whether a party's two rounds leave as one batch or two depends on how the event loop
      // interleaves the parties, so the bound is the round count, not an exact number; stats()
      // sends what is queued, so no batch is counted in the wrong window.
      expect(r.oneMsgs).toBeGreaterThanOrEqual(1);
      expect(r.oneMsgs).toBeLessThanOrEqual(2);
      expect(r.fourMsgs).toBeGreaterThanOrEqual(1);
      expect(r.fourMsgs).toBeLessThanOrEqual(2);
    }
  });

  it('dealer-free truncation sends one bit per value online, in at most two rounds with the product', async () => {
    const n = 4096;
    const parties = await runLocal(
      2,
      async (snp, party) => {
        await snp.preprocess({ triples: n, truncations: n });
        const x = snp.array(party === 0 ? new Array(n).fill(1.5) : null, 0, { shape: [n] });
        const y = snp.array(party === 1 ? new Array(n).fill(-2.25) : null, 1, { shape: [n] });
        await Promise.all([x.toShare(), y.toShare()]);
        const before = snp.stats();
        const z = x.mul(y);
        await z.toShare();
        const after = snp.stats(); // (sends this party's last post first)
        const made = after.triplesMade - before.triplesMade + after.truncationsMade - before.truncationsMade;
        return {
          bytes: after.bytesSent - before.bytesSent,
          rounds: after.rounds - before.rounds,
          made,
          z: await z.revealTo(0),
        };
      },
      { preprocessing: 'dealer-free' },
    );
    // Within one unit in the last place (exact unless a share's low 16 bits happen to be all zero).
    for (const v of parties[0]!.z!.data as Float64Array) expect(Math.abs(v + 3.375)).toBeLessThanOrEqual(2 ** -16);
    for (const r of parties) {
      expect(r.made).toBe(0); // all from the stock
      expect(r.rounds).toBe(2); // Beaver's opening, then the masked top bits
      expect(r.bytes).toBeGreaterThanOrEqual(16 * n + n / 8); // d and e, then e_i packed 64 to a word
      expect(r.bytes).toBeLessThan(16 * n + n / 8 + 512); // (it was 32 bytes per value with a triple)
    }
  });

  it('sharing an input sends its shape, not its data', async () => {
    const n = 100_000;
    const [bytes] = await runLocal(
      2,
      async (snp, party) => {
        const before = snp.stats().bytesSent;
        const x = snp.array(party === 0 ? new Array(n).fill(3.5) : null, 0);
        await x.ready();
        await x.toShare();
        return snp.stats().bytesSent - before;
      },
      { preprocessing: 'dealer' },
    );
    expect(bytes).toBeLessThan(1024);
  });
});

describe('refusals and failures', () => {
  it('a reveal the job does not allow throws at the call, before anything is sent', async () => {
    const [r0, r1] = await runLocal(
      2,
      async (snp, party) => {
        const x = snp.array(party === 0 ? [1, 2] : null, 0, { shape: [2] });
        await x.toShare();
        const before = snp.stats().bytesSent;
        let code = '';
        try {
          void x.revealTo(1);
        } catch (e) {
          code = (e as { code: string }).code;
        }
        return { code, sent: snp.stats().bytesSent - before };
      },
      { preprocessing: 'dealer', reveal: [0] },
    );
    expect(r0).toEqual({ code: 'ERR_REVEAL_DENIED', sent: 0 });
    expect(r1).toEqual({ code: 'ERR_REVEAL_DENIED', sent: 0 });
  });

  it('inputs outside the fixed-point range are refused at the owner', async () => {
    await expect(
      runLocal(2, (snp, party) => snp.array(party === 0 ? [1, 40000] : null, 0).revealTo(0)),
    ).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
    await expect(
      runLocal(2, (snp, party) => snp.array(party === 0 ? [NaN] : null, 0).revealTo(0)),
    ).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE' });
  });

  it('a party that fails stops its peer at once with ERR_PEER_ABORTED, and runLocal reports the first error', async () => {
    const seen: string[] = [];
    const run = runLocal(
      2,
      async (snp, party) => {
        const x = snp.array(party === 0 ? [1, 2] : null, 0, { shape: [2] });
        if (party === 1) {
          await x.toShare();
          throw Object.assign(new Error('party 1 gave up'), { code: 'ERR_BAD_INPUT' });
        }
        try {
          return await x.mul(x).revealTo(0);
        } catch (e) {
          seen.push((e as { code: string }).code);
          throw e;
        }
      },
      { preprocessing: 'dealer' },
    );
    await expect(run).rejects.toThrow('party 1 gave up');
    expect(seen).toEqual(['ERR_PEER_ABORTED']);
  });

  it('a malformed batch from the peer stops the session with ERR_PROTOCOL, and the peer learns it', async () => {
    const g = poolGroup(2);
    const session = createSession(g.pools[0]!, { party: 0, preprocessing: 'dealer-free' });
    const x = session.snp.array(null, 1, { shape: [2] });
    await g.pools[1]!.send(0, ['not', 'a', 'batch']);
    await expect(x.revealTo(0)).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    await expect(g.pools[1]!.recv(0)).rejects.toMatchObject({ code: 'ERR_PEER_ABORTED' });
    g.close();
  });

  it('a peer that disappears mid-computation fails the session with ERR_PEER_LEFT after the grace period', async () => {
    const g = poolGroup(2, { graceMs: 200 });
    const [s0, s1] = [0, 1].map((p) => createSession(g.pools[p]!, { party: p, preprocessing: 'dealer-free' }));
    const x0 = s0!.snp.array([1, 2], 0);
    s1!.snp.array(null, 0);
    await x0.toShare();
    g.net.remove(1);
    await expect(x0.mul(x0).revealTo(0)).rejects.toMatchObject({ code: 'ERR_PEER_LEFT' });
    g.close();
  });

  it('only two parties', async () => {
    await expect(runLocal(3, () => null)).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });

  it('refuses an unknown OT extension when the session is made, and runs on IKNP when asked', async () => {
    await expect(runLocal(2, () => null, { otExtension: 'fast' as 'iknp' })).rejects.toMatchObject({
      code: 'ERR_BAD_REQUEST',
    });
    const [r] = await runLocal(
      2,
      (snp, party) =>
        snp
          .array(party === 0 ? [1.5, -2] : null, 0)
          .mul(snp.array(party === 1 ? [4, 3] : null, 1))
          .revealTo(0),
      { otExtension: 'iknp' },
    );
    expect(Array.from(r!.data as Float64Array)).toEqual([6, -6]);
  });
});

describe('correlated randomness', () => {
  async function consumeMany(mode: 'dealer' | 'dealer-free', batch: number, takes: number[]) {
    const g = poolGroup(mode === 'dealer' ? 3 : 2);
    const dealer = mode === 'dealer' ? serveDealer(g.pools[2]!) : null;
    const makers = [0, 1].map((p) =>
      mode === 'dealer' ? new DealerClient(g.pools[p]!, p as 0 | 1, 2) : new DealerFreeMaker(g.pools[p]!, p as 0 | 1),
    );
    const preps = makers.map((m) => new Preprocessing(m, batch));
    const got = await Promise.all(
      preps.map((p) => Promise.all(takes.map((n) => p.reserve({ triples: n, truncations: n })))),
    );
    makers.forEach((m) => m.close());
    await dealer;
    g.close();
    return { got, stats: preps.map((p) => p.stats) };
  }

  /** Checks one take's truncation material at both parties; returns party 0's random words. */
  function truncationWords(t0: TruncMaterial, t1: TruncMaterial): bigint[] {
    let wrong = 0;
    for (const b of [...t0.bits.mine, ...t1.bits.mine]) expect(b === 0n || b === 1n).toBe(true);
    t0.bits.z.forEach((z, i) => {
      if (BigInt.asUintN(64, z + t1.bits.z[i]!) !== t0.bits.mine[i]! * t1.bits.mine[i]!) wrong++;
    });
    expect(wrong).toBe(0);
    return [...t0.bits.z, ...t1.bits.z];
  }

  it.each([
    ['dealer', 1000, 7],
    ['dealer-free', 4096, 5],
  ] as const)(
    '%s: every triple and truncation correlation is handed out once, across several refills, and each is valid',
    async (mode, batch, refills) => {
      const per = Math.ceil(batch / 3);
      const takes = Array.from({ length: refills * 3 }, () => per);
      const { got, stats } = await consumeMany(mode, batch, takes);
      const masks = new Set<bigint>();
      const truncWords = new Set<bigint>();
      let count = 0;
      for (let t = 0; t < takes.length; t++) {
        const m0 = got[0]![t]!;
        const m1 = got[1]![t]!;
        for (let i = 0; i < m0.triples.a.length; i++) {
          const a = m0.triples.a[i]! + m1.triples.a[i]!;
          const b = m0.triples.b[i]! + m1.triples.b[i]!;
          expect(BigInt.asUintN(64, m0.triples.c[i]! + m1.triples.c[i]!)).toBe(BigInt.asUintN(64, a * b));
          masks.add(BigInt.asUintN(64, a));
          masks.add(m0.triples.a[i]!);
          count++;
        }
        for (const v of truncationWords(m0.trunc, m1.trunc)) truncWords.add(v);
      }
      expect(count).toBe(per * takes.length);
      expect(masks.size).toBe(2 * count);
      expect(truncWords.size).toBe(2 * count); // no truncation correlation handed out twice
      for (const s of stats) {
        expect(s.triplesConsumed).toBe(count); // dealer-free truncations no longer spend triples
        expect(s.truncationsConsumed).toBe(count);
        expect(s.triplesMade).toBeGreaterThanOrEqual(s.triplesConsumed);
        expect(s.truncationsMade).toBeGreaterThanOrEqual(s.truncationsConsumed);
      }
      expect(stats[0]!.triplesMade).toBeGreaterThan(batch * (refills - 1));
      expect(stats[0]!.truncationsMade).toBeGreaterThan(batch * (refills - 1));
    },
    60_000,
  );

  it('dealer bit products are valid and their bits look uniform', async () => {
    const { got } = await consumeMany('dealer', 64, [2000, 2000]);
    let ones = 0;
    for (let t = 0; t < 2; t++) {
      const b0 = got[0]![t]!.trunc.bits;
      const b1 = got[1]![t]!.trunc.bits;
      for (let i = 0; i < b0.mine.length; i++) {
        expect(BigInt.asUintN(64, b0.z[i]! + b1.z[i]!)).toBe(b0.mine[i]! * b1.mine[i]!);
        ones += Number(b0.mine[i]!) + Number(b1.mine[i]!);
      }
    }
    expect(ones).toBeGreaterThan(3600);
    expect(ones).toBeLessThan(4400);
  });
});
