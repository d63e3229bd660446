// Which nodes use the database, by heartbeat (every 5 s; counted out after 15 s), so that an
// unsafe set-up is refused at start: a node without Redis keeps presence, grace timers, login
// challenges and limits in its own memory, so it must be the only node on its database; and a
// node of a Redis cluster must not run beside such a node. SQLite stores report no other nodes
// (one process per file). Wall-clock time: tests' injected clocks do not move on their own.

import type { Logger } from 'pino';
import { ParleyError } from '../../shared/errors.js';
import type { Store } from '../store.js';

const HEARTBEAT_MS = 5_000;
const STALE_MS = 15_000;

function conflict(clustered: boolean, others: { node: string; clustered: boolean }[]): string | null {
  const clash = others.find((o) => !clustered || !o.clustered);
  if (!clash) return null;
  return clustered
    ? `node ${clash.node} uses this database without PARLEY_REDIS_URL: every node of a cluster needs it`
    : `node ${clash.node} uses this database too: PARLEY_REDIS_URL is needed to run more than one node (a node that stopped without closing is counted out after ${STALE_MS / 1000} s)`;
}

/** Registers this node, refusing (ERR_CONFIG) an unsafe mix; heartbeats until `stop`. */
export async function watchNodes(
  store: Pick<Store, 'heartbeat' | 'leave'>,
  node: string,
  clustered: boolean,
  log: Logger,
): Promise<{ stop(): Promise<void> }> {
  const beat = () => store.heartbeat(node, clustered, Date.now(), Date.now() - STALE_MS);
  const refused = conflict(clustered, await beat());
  if (refused) {
    await store.leave(node);
    throw new ParleyError('ERR_CONFIG', refused);
  }
  const timer = setInterval(() => {
    beat()
      .then((others) => {
        const clash = conflict(clustered, others);
        if (clash) log.error({ node }, clash);
      })
      .catch((e: unknown) => log.warn({ err: e, node }, 'node heartbeat failed'));
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await store.leave(node).catch(() => undefined);
    },
  };
}
