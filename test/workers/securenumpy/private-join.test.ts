// snp.privateJoin (workers/securenumpy/ops-join.ts over workers/join/): random key sets with chosen
// overlaps give exactly the plaintext inner join (the count of matches, the sums of both parties'
// columns over them, and matched rows that line up), in both rings and both preprocessing modes
// (every overlap in dealer mode; a representative join dealer-free); what each party receives has
// sizes that depend only on n_A, n_B, a and b; refusals (duplicate or malformed keys, values whose
// row count differs from the keys', a side passed by the wrong party, options that differ) fail
// at the refusing party with its code and at the other with a coded failure, never a hang.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFacade } from '../../../workers/securenumpy/facade.js';
import { createSession, type Snp, serveDealer } from '../../../workers/securenumpy/index.js';
import { poolGroup } from '../../helpers/pools.js';

type Key = string | number;
interface Side {
  keys: Key[];
  values: number[][];
}
type Mode = 'dealer' | 'dealer-free';

/** Runs `program` at both parties (and a dealer in dealer mode); each party's outcome, settled. */
async function both<T>(
  program: (snp: Snp, party: number) => Promise<T>,
  mode: Mode = 'dealer',
  ring: 64 | 128 = 64,
  record?: string[][],
): Promise<PromiseSettledResult<T>[]> {
  const dealt = mode === 'dealer';
  const g = poolGroup(dealt ? 3 : 2);
  const dealer = dealt ? serveDealer(g.pools[2]!).catch(() => undefined) : Promise.resolve();
  if (record) {
    for (const p of [0, 1]) {
      const pool = g.pools[p]!;
      const recv = pool.recv.bind(pool);
      pool.recv = (async (from: number, id?: string) => {
        const m = await recv(from, id as string);
        if (Array.isArray(m) && m[0] instanceof Float64Array) {
          const keys = m[0];
          keys.forEach((k, i) => record[p]!.push(`${from}:${k}:${(m[i + 1] as { length: number }).length}`));
        } else record[p]!.push(`${from}:${id}:${(m as { length?: number })?.length}`);
        return m;
      }) as typeof pool.recv;
    }
  }
  const sessions = [0, 1].map((p) => createSession(g.pools[p]!, { party: p, preprocessing: mode, ring }));
  const out = await Promise.allSettled(sessions.map(({ snp }, p) => Promise.resolve().then(() => program(snp, p))));
  await Promise.all(sessions.map((s) => s.close().catch(() => undefined)));
  for (const p of g.pools) p.close();
  await dealer;
  return out;
}

/** The join revealed to party 0: matched, left and right, as plain arrays. */
async function joinRevealed(A: Side, B: Side, mode: Mode = 'dealer', ring: 64 | 128 = 64) {
  const [r0, r1] = (await both(
    async (snp, p) => {
      const { matched, left, right } = await snp.privateJoin(p === 0 ? A : null, p === 1 ? B : null);
      const count = snp.sum(matched.astype('float64'));
      const sums = [snp.sum(left, 0), snp.sum(right, 0)];
      const out = await Promise.all([matched, left, right, count, ...sums].map((x) => x.revealTo(0)));
      return out.map((x) => x?.toArray());
    },
    mode,
    ring,
  )) as [PromiseSettledResult<unknown[]>, PromiseSettledResult<unknown[]>];
  if (r0.status === 'rejected') throw r0.reason;
  if (r1.status === 'rejected') throw r1.reason;
  const [matched, left, right, count, sumLeft, sumRight] = r0.value as [
    boolean[],
    number[][],
    number[][],
    number,
    number[],
    number[],
  ];
  return { matched, left, right, count, sumLeft, sumRight };
}

const norm = (k: Key) => String(k);

/** Checks the join against the plaintext inner join of A and B. */
function checkJoin(A: Side, B: Side, got: Awaited<ReturnType<typeof joinRevealed>>) {
  const bIndex = new Map(B.keys.map((k, j) => [norm(k), j]));
  const common = A.keys.map((k, i) => [i, bIndex.get(norm(k))] as const).filter(([, j]) => j !== undefined);
  const a = A.values[0]?.length ?? 0;
  const b = B.values[0]?.length ?? 0;
  expect(got.matched.length).toBe(Math.ceil(1.27 * A.keys.length) + 8);
  expect(got.count).toBe(common.length);
  const colSum = (rows: number[][], cols: number) =>
    Array.from({ length: cols }, (_, c) => rows.reduce((s, r) => s + r[c]!, 0));
  const close = (x: number[], y: number[]) => x.forEach((v, c) => expect(v).toBeCloseTo(y[c]!, 3));
  close(
    got.sumLeft,
    colSum(
      common.map(([i]) => A.values[i]!),
      a,
    ),
  );
  close(
    got.sumRight,
    colSum(
      common.map(([, j]) => B.values[j!]!),
      b,
    ),
  );
  // Matched rows line up: the left row is A's row of a key, the right row B's row of the same key.
  const aRow = new Map(A.values.map((r, i) => [r[0], i]));
  const bRow = new Map(B.values.map((r, j) => [r[0], j]));
  const pairs: string[] = [];
  got.matched.forEach((m, u) => {
    if (!m) {
      expect(got.right[u]!.every((v) => v === 0)).toBe(true); // both zeroed where not matched
      expect(got.left[u]!.every((v) => v === 0)).toBe(true);
      return;
    }
    const i = aRow.get(got.left[u]![0]);
    const j = bRow.get(got.right[u]![0]);
    expect(i).toBeDefined();
    expect(j).toBeDefined();
    expect(norm(A.keys[i!]!)).toBe(norm(B.keys[j!]!));
    expect(got.left[u]).toEqual(A.values[i!]);
    got.right[u]!.forEach((v, c) => expect(v).toBeCloseTo(B.values[j!]![c]!, 4));
    pairs.push(norm(A.keys[i!]!));
  });
  expect(pairs.sort()).toEqual(common.map(([i]) => norm(A.keys[i]!)).sort());
}

/**
 * n_A and n_B keys, the first `common` of B's being A's first (common ≤ n_A); A's values encode
 * A's row, B's values B's row. A's every third key is an integer, which B writes as its decimal
 * string (42 and "42" are the same key).
 */
function sides(nA: number, nB: number, common: number, a = 2, b = 1): [Side, Side] {
  const A: Side = { keys: [], values: [] };
  const B: Side = { keys: [], values: [] };
  for (let i = 0; i < nA; i++) {
    A.keys.push(i % 3 === 0 ? 1000 + i : `id-${1000 + i}`);
    A.values.push(Array.from({ length: a }, (_, c) => i + 0.25 + 100 * c));
  }
  for (let j = 0; j < nB; j++) {
    B.keys.push(j < common ? String(A.keys[j]) : `b-only-${j}`);
    B.values.push(Array.from({ length: b }, (_, c) => -(j * 2 + 0.5) - 50 * c));
  }
  return [A, B];
}

describe('snp.privateJoin', () => {
  it.each([
    ['0% overlap', 10, 10, 0],
    ['50% overlap', 10, 10, 5],
    ['100% overlap', 12, 12, 12],
    ['A empty', 0, 6, 0],
    ['B empty', 6, 0, 0],
    ['both empty', 0, 0, 0],
  ])('gives the plaintext inner join: %s (dealer, ring 64)', async (_, nA, nB, common) => {
    const [A, B] = sides(nA, nB, common);
    checkJoin(A, B, await joinRevealed(A, B));
  });

  it('gives the plaintext inner join for random key sets and overlaps (property, dealer)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 99 })), {
          maxLength: 24,
          selector: norm,
        }),
        fc.nat(),
        fc.nat(),
        async (universe, cut, shift) => {
          const usable = universe.filter((k) => typeof k === 'number' || k.trim().length > 0);
          const split = usable.length === 0 ? 0 : cut % (usable.length + 1);
          const from = usable.length === 0 ? 0 : shift % (usable.length + 1);
          const A: Side = { keys: usable.slice(0, split), values: [] };
          const B: Side = { keys: usable.slice(from), values: [] };
          A.values = A.keys.map((_, i) => [i + 0.5]);
          B.values = B.keys.map((_, j) => [-j - 0.25, j * 3]);
          checkJoin(A, B, await joinRevealed(A, B));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('joins in the wide ring (dealer)', async () => {
    const [A, B] = sides(9, 7, 4, 1, 2);
    B.values[0] = [1e9 + 0.5, -3e8]; // beyond Z_2^64's input range
    checkJoin(A, B, await joinRevealed(A, B, 'dealer', 128));
  });

  it('joins dealer-free in both rings', async () => {
    for (const ring of [64, 128] as const) {
      const [A, B] = sides(8, 9, 4);
      checkJoin(A, B, await joinRevealed(A, B, 'dealer-free', ring));
    }
  }, 120_000);

  it("reaches a program through the sandbox's facade", async () => {
    const [A, B] = sides(5, 4, 3);
    const out = await both(async (snp, p) => {
      const program = createFacade(snp).snp as unknown as Snp;
      const { matched, right } = await program.privateJoin(p === 0 ? A : null, p === 1 ? B : null);
      const total = await program.sum(right).revealTo(0);
      const count = await program.sum(matched.astype('float64')).revealTo(0);
      return [count?.toArray(), total?.toArray()];
    });
    expect(out[0]).toEqual({ status: 'fulfilled', value: [3, -(0.5 + 2.5 + 4.5)] });
  });

  it('leaks only the sizes: what each party receives has the same sizes for different key sets', async () => {
    async function transcript(common: number, keyset: string): Promise<string[][]> {
      const [A, B] = sides(9, 7, common);
      A.keys = A.keys.map((k) => `${keyset}${k}`);
      B.keys = B.keys.map((k) => `${keyset}${k}`);
      const seen: string[][] = [[], []];
      const out = await both(
        async (snp, p) => {
          const { matched, left, right } = await snp.privateJoin(p === 0 ? A : null, p === 1 ? B : null);
          await Promise.all([matched.toShare(), left.toShare(), right.toShare()]);
        },
        'dealer',
        64,
        seen,
      );
      expect(out.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      return seen.map((s) => s.sort());
    }
    const none = await transcript(0, 'x');
    const all = await transcript(7, 'y');
    expect(none[0]!.length).toBeGreaterThan(0);
    expect(none).toEqual(all);
  });
});

describe('snp.privateJoin refusals', () => {
  /** Runs a join with these sides; each party's error code (or 'ok'). */
  async function codes(A: unknown, B: unknown, optsA?: object, optsB?: object): Promise<string[]> {
    const out = await both(async (snp, p) => {
      const { matched, left, right } = await snp.privateJoin(
        p === 0 ? A : null,
        p === 1 ? B : null,
        ...(p === 0 ? (optsA ? [optsA] : []) : optsB ? [optsB] : []),
      );
      await Promise.all([matched.toShare(), left.toShare(), right.toShare()]);
    });
    return out.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code));
  }
  const good: Side = { keys: ['a', 'b'], values: [[1], [2]] };

  it('refuses duplicate keys at that party (ERR_DUPLICATE_KEY) and fails the other with the code', async () => {
    expect(await codes({ keys: ['a', 'b', 'a'], values: [[1], [2], [3]] }, good)).toEqual([
      'ERR_DUPLICATE_KEY',
      'ERR_DUPLICATE_KEY',
    ]);
    expect(await codes(good, { keys: [7, '7'], values: [[1], [2]] })).toEqual([
      'ERR_DUPLICATE_KEY',
      'ERR_DUPLICATE_KEY',
    ]);
    // Duplicates after normalisation: trim and caseFold as both parties pass them.
    const opts = { trim: true, caseFold: true };
    expect(await codes({ keys: ['Ann ', 'ann'], values: [[1], [2]] }, good, opts, opts)).toEqual([
      'ERR_DUPLICATE_KEY',
      'ERR_DUPLICATE_KEY',
    ]);
  });

  it('refuses malformed keys (ERR_BAD_INPUT) at that party and fails the other with the code', async () => {
    for (const keys of [
      ['a', ''],
      ['a', { id: 1 }],
      ['a', 1.5],
      ['a', 'x'.repeat(257)],
    ])
      expect(await codes(good, { keys, values: [[1], [2]] })).toEqual(['ERR_BAD_INPUT', 'ERR_BAD_INPUT']);
  });

  it('refuses values whose row count differs from the keys (ERR_SHAPE)', async () => {
    expect(await codes({ keys: ['a', 'b'], values: [[1]] }, good)).toEqual(['ERR_SHAPE', 'ERR_SHAPE']);
    expect(await codes(good, { keys: ['a'], values: [[1], [2]] })).toEqual(['ERR_SHAPE', 'ERR_SHAPE']);
  });

  it('refuses a side passed by the wrong party, or a missing side (ERR_BAD_INPUT)', async () => {
    const out = await both(async (snp, p) => {
      // Party 1 passes party 0's side as well as its own.
      const r = await snp.privateJoin(p === 0 ? good : good, p === 1 ? good : null);
      await r.matched.toShare();
    });
    expect(out.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'))).toEqual([
      'ERR_BAD_INPUT',
      'ERR_BAD_INPUT',
    ]);
    expect(await codes(null, good)).toEqual(['ERR_BAD_INPUT', 'ERR_BAD_INPUT']);
  });

  it('refuses options that differ between the parties (ERR_BAD_REQUEST at both)', async () => {
    expect(await codes(good, good, { trim: true }, { trim: false })).toEqual(['ERR_BAD_REQUEST', 'ERR_BAD_REQUEST']);
  });
});
