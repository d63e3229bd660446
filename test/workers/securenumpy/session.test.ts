// Session parameters both parties must share: each party's first batch carries its
// [ring, fracBits], and a mismatch fails the session at both parties with ERR_BAD_REQUEST
// (it used to compute garbage silently); agreement rides on the first batch, costing no message.
// The `ring` option: 64 by default; 128 in both preprocessing modes (dealer-free by default).

import { describe, expect, it } from 'vitest';
import { createSession, runLocal, type SecureSession } from '../../../workers/securenumpy/index.js';
import { poolGroup } from '../../helpers/pools.js';

type Program = (s: SecureSession, party: number) => Promise<unknown>;

/** Both parties of `program` over a pool pair, each with its own options; their outcomes. */
async function runApart(fracBits: [number, number], program: Program) {
  const g = poolGroup(2);
  const sessions = [0, 1].map((p) =>
    createSession(g.pools[p]!, { party: p, preprocessing: 'dealer-free', fracBits: fracBits[p]! }),
  );
  const outcomes = await Promise.allSettled(sessions.map((s, p) => program(s, p)));
  await Promise.allSettled(sessions.map((s) => s.close()));
  g.close();
  return outcomes;
}

// Party 1 first speaks after party 0's batch arrives (its mismatch is found before it sent
// anything); in the second both speak in their first turn.
const programs: [string, Program][] = [
  ['one party speaks first', (s, p) => s.snp.array(p === 0 ? [1.5, 2] : null, 0, { shape: [2] }).revealTo(0)],
  [
    'both speak at once',
    (s, p) =>
      s.snp
        .array(p === 0 ? [1.5, 2] : null, 0, { shape: [2] })
        .add(s.snp.array(p === 1 ? [3, 4] : null, 1, { shape: [2] }))
        .revealTo(0),
  ],
];

describe('session parameters', () => {
  it.each(programs)(
    'parties with different fracBits both fail with ERR_BAD_REQUEST naming both (%s)',
    async (_, program) => {
      const outcomes = await runApart([16, 20], program);
      for (const [p, o] of outcomes.entries()) {
        expect(o.status).toBe('rejected');
        const e = (o as PromiseRejectedResult).reason as { code: string; message: string };
        expect(e.code, `party ${p}`).toBe('ERR_BAD_REQUEST');
        expect(e.message).toMatch(/fracBits 16\b/);
        expect(e.message).toMatch(/fracBits 20\b/);
      }
    },
  );

  it.each(programs)('parties with the same options compute as before (%s)', async (_, program) => {
    const outcomes = await runApart([20, 20], program);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    const r = (outcomes[0] as PromiseFulfilledResult<{ data: Float64Array } | null>).value!;
    expect(Array.from(r.data)).toEqual(program === programs[0]![1] ? [1.5, 2] : [4.5, 6]);
  });

  it('a peer whose first batch does not lead with its parameters is refused with ERR_PROTOCOL', async () => {
    const g = poolGroup(2);
    const s = createSession(g.pools[0]!, { party: 0, preprocessing: 'dealer-free' });
    const x = s.snp.array(null, 1, { shape: [2] });
    await g.pools[1]!.send(0, [Float64Array.of(0), Float64Array.of(0, 2)]);
    await expect(x.revealTo(0)).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    await expect(g.pools[1]!.recv(0)).rejects.toMatchObject({ code: 'ERR_PEER_ABORTED' });
    g.close();
  });

  it('the parameters ride on the first batch: sharing an input is still one message', async () => {
    const [m0, m1] = await runLocal(
      2,
      async (snp, party) => {
        await snp.array(party === 0 ? [1, 2, 3] : null, 0).toShare();
        return snp.stats().messages;
      },
      { preprocessing: 'dealer' },
    );
    expect(m0).toBe(1); // its shape and the input seed, with its parameters in front
    expect(m1).toBe(0); // party 1 has nothing to say, so it sends nothing (not even its parameters)
  });
});

describe('the ring option', () => {
  it('is 64 by default and when asked; the wide ring runs with a dealer and dealer-free (the default)', async () => {
    const g = poolGroup(2);
    expect(createSession(g.pools[0]!, { party: 0 }).snp).toBeDefined();
    expect(createSession(g.pools[1]!, { party: 1, ring: 128 }).snp).toBeDefined();
    g.close();
    for (const preprocessing of ['dealer', 'dealer-free'] as const) {
      const [wide] = await runLocal(2, (snp, p) => snp.array(p === 0 ? [5e6] : null, 0).revealTo(0), {
        ring: 128,
        preprocessing,
      });
      expect(Array.from(wide!.data as Float64Array)).toEqual([5e6]);
    }
    const [r] = await runLocal(
      2,
      (snp, p) =>
        snp
          .array(p === 0 ? [2.5] : null, 0)
          .mul(2)
          .revealTo(0),
      { ring: 64 },
    );
    expect(Array.from(r!.data as Float64Array)).toEqual([5]);
  });

  it.each([32, 96, '64'])('refuses ring %s with ERR_BAD_REQUEST', async (ring) => {
    await expect(runLocal(2, () => null, { ring: ring as 64 })).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });
});
