// Leakage tests' view of a computation: runs a dealer-mode SecureNumpy program at both parties
// and records every keyed value party 1 receives from party 0 (key:length, in arrival order,
// since batching depends on timing only) and the ring words it carried.

import { createSession, type Snp, serveDealer } from '../../workers/securenumpy/index.js';
import { poolGroup } from './pools.js';

export interface Transcript {
  /** `${key}:${length}` of each value party 1 received from party 0. */
  seen: string[];
  /** The ring words those values carried. */
  words: bigint[];
}

export async function receivedByParty1(program: (snp: Snp, party: number) => Promise<unknown>): Promise<Transcript> {
  const g = poolGroup(3);
  const dealer = serveDealer(g.pools[2]!);
  const out: Transcript = { seen: [], words: [] };
  const pool1 = g.pools[1]!;
  const recv = pool1.recv.bind(pool1);
  pool1.recv = (async (from: number, id?: string) => {
    const m = await recv(from, id as string);
    if (from === 0 && Array.isArray(m)) {
      const keys = m[0] as Float64Array;
      keys.forEach((k, i) => out.seen.push(`${k}:${(m[i + 1] as { length: number }).length}`));
      for (const v of m.slice(1)) if (v instanceof BigUint64Array) out.words.push(...v);
    }
    return m;
  }) as typeof pool1.recv;
  const sessions = [0, 1].map((p) => createSession(g.pools[p]!, { party: p, preprocessing: 'dealer' }));
  await Promise.all(sessions.map(({ snp }, p) => program(snp, p)));
  await Promise.all(sessions.map((s) => s.close()));
  await dealer;
  g.close();
  return out;
}
