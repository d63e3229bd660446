// Leakage tests' view of a computation: runs a SecureNumpy program at both parties (dealer mode,
// or dealer-free with its OT preprocessing; either ring) and records every keyed value party 1 receives from
// party 0 (key:length, in arrival order, since batching depends on timing only) and the ring
// words it carried; dealer-free, also every other message party 1 receives (the OT protocols').

import { createSession, type Snp, serveDealer } from '../../workers/securenumpy/index.js';
import { poolGroup } from './pools.js';

export interface Transcript {
  /** `${key}:${length}` of each value party 1 received from party 0. */
  seen: string[];
  /** The ring words those values carried. */
  words: bigint[];
  /** `${id}:${type}:${length}` of every other message party 1 received, sorted (dealer-free). */
  other: string[];
}

export async function receivedByParty1(
  program: (snp: Snp, party: number) => Promise<unknown>,
  preprocessing: 'dealer' | 'dealer-free' = 'dealer',
  ring: 64 | 128 = 64,
): Promise<Transcript> {
  const dealt = preprocessing === 'dealer';
  const g = poolGroup(dealt ? 3 : 2);
  const dealer = dealt ? serveDealer(g.pools[2]!) : Promise.resolve();
  const out: Transcript = { seen: [], words: [], other: [] };
  const pool1 = g.pools[1]!;
  const recv = pool1.recv.bind(pool1);
  pool1.recv = (async (from: number, id?: string) => {
    const m = await recv(from, id as string);
    if (from === 0 && Array.isArray(m)) {
      const keys = m[0] as Float64Array;
      keys.forEach((k, i) => out.seen.push(`${k}:${(m[i + 1] as { length: number }).length}`));
      for (const v of m.slice(1)) if (v instanceof BigUint64Array) out.words.push(...v);
    } else if (!dealt) {
      out.other.push(`${id}:${(m as object)?.constructor?.name}:${(m as { length?: number })?.length}`);
    }
    return m;
  }) as typeof pool1.recv;
  const sessions = [0, 1].map((p) => createSession(g.pools[p]!, { party: p, preprocessing, ring }));
  await Promise.all(sessions.map(({ snp }, p) => program(snp, p)));
  await Promise.all(sessions.map((s) => s.close()));
  await dealer;
  g.close();
  out.other.sort();
  return out;
}
