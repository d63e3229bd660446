// Pool fixtures over the in-memory network (like TNO's http_pool_duo / trio / group factory):
// n parties in one process, each with its Pool, plus the network to inject faults.

import { type Faults, MemoryNetwork } from '../../workers/pool/memory-network.js';
import { Pool, type PoolOptions } from '../../workers/pool/pool.js';

export interface PoolGroup {
  pools: Pool[];
  net: MemoryNetwork;
  close(): void;
}

export function poolGroup(
  n: number,
  opts: { faults?: Faults } & Partial<Omit<PoolOptions, 'parties' | 'me' | 'links'>> = {},
): PoolGroup {
  const net = new MemoryNetwork(n, opts.faults);
  const parties = Array.from({ length: n }, (_, i) => `party${i}`);
  const pools = parties.map((_, me) => new Pool({ ...opts, parties, me, links: net.linksOf(me) }));
  return { pools, net, close: () => pools.forEach((p) => p.close()) };
}

export const poolDuo = (opts?: Parameters<typeof poolGroup>[1]) => poolGroup(2, opts);
export const poolTrio = (opts?: Parameters<typeof poolGroup>[1]) => poolGroup(3, opts);
