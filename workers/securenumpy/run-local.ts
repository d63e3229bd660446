// runLocal: both parties of a SecureNumpy program (and the dealer, in dealer mode) in one
// process over the in-memory network — for tests, benchmarks and notebooks. A failure at one
// party aborts the others at once, and runLocal rejects with the first error.

import { ParleyError, toErrorInfo } from '../../shared/errors.js';
import { MemoryNetwork } from '../pool/memory-network.js';
import { Pool } from '../pool/pool.js';
import { serveDealer } from './dealer.js';
import { Session, type SessionOptions } from './session.js';
import { createSnp, type Snp } from './snp.js';

export interface RunLocalOptions extends Omit<SessionOptions, 'party' | 'dealer'> {}

export type Program<T> = (snp: Snp, party: number) => T | Promise<T>;

export async function runLocal<T>(
  n: number,
  program: Program<T>,
  options: RunLocalOptions = {},
): Promise<Awaited<T>[]> {
  if (n !== 2) throw new ParleyError('ERR_BAD_REQUEST', `the SecureNumpy engine runs two parties; got n = ${n}`);
  if (typeof program !== 'function') throw new ParleyError('ERR_BAD_REQUEST', 'runLocal needs a program function');
  const dealer = options.preprocessing === 'dealer';
  const size = dealer ? 3 : 2;
  const net = new MemoryNetwork(size);
  const parties = Array.from({ length: size }, (_, i) => (dealer && i === 2 ? 'dealer' : `party${i}`));
  const pools = parties.map((_, me) => new Pool({ parties, me, links: net.linksOf(me) }));
  const sessions = [0, 1].map((party) => new Session(pools[party]!, { ...options, party }));
  let first: unknown = null;
  // The failing party aborts its own pool: its peers learn the code as ERR_PEER_ABORTED at once.
  const failAt = (index: number, e: unknown) => {
    first ??= e;
    pools[index]!.abort(toErrorInfo(e));
  };
  const dealerRun = dealer ? serveDealer(pools[2]!).catch((e) => failAt(2, e)) : Promise.resolve();
  const runs = sessions.map((s, party) =>
    Promise.resolve()
      .then(() => program(createSnp(s), party))
      .then(async (v) => {
        await s.close();
        return v;
      })
      .catch((e) => {
        failAt(party, e);
        throw e;
      }),
  );
  const settled = await Promise.allSettled(runs);
  await dealerRun;
  for (const p of pools) p.close();
  if (first !== null) throw first;
  return settled.map((r) => (r as PromiseFulfilledResult<Awaited<T>>).value);
}
