// Picks the coordinator and the socket.io adapter: in-process and the in-memory adapter for the
// embedded service, Redis and the socket.io Redis adapter when a Redis URL is given. The adapter
// is the sharded one (Redis 7 sharded pub/sub, a channel per participant room, so a node only
// receives the rooms it hosts); on an older Redis the classic adapter (one channel per namespace,
// every node receives every message). ioredis and the adapter load only in the second case.

import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { ServerOptions } from 'socket.io';
import { randomBytes, toBase64Url } from '../../shared/random.js';
import type { Coordinator, SignalQueue } from './coordinator.js';
import { LocalCoordinator } from './local.js';

export interface CoordinatorOptions {
  redisUrl?: string;
  /** Key and channel prefix in Redis (default "parley:"). */
  redisPrefix?: string;
  node?: string;
  graceMs: number;
  tickMs: number;
  /** Liveness heartbeat of a Redis node (default 2 s). */
  heartbeatMs?: number;
  challengeTtlMs: number;
  queueTtlMs: number;
  /** Where the embedded coordinator queues signals (the store). */
  queue: SignalQueue;
  log: Logger;
}

export interface Coordination {
  coordinator: Coordinator;
  /** The socket.io adapter for a cluster; undefined for the in-memory one. */
  adapter?: ServerOptions['adapter'];
  /** 'memory', 'sharded' or 'classic'. */
  mode: string;
}

/** hostname-pid-random: unique per process, readable in logs. */
const defaultNodeId = () => `${hostname()}-${process.pid}-${toBase64Url(randomBytes(3))}`;

export async function createCoordination(opts: CoordinatorOptions): Promise<Coordination> {
  const node = opts.node ?? defaultNodeId();
  if (!opts.redisUrl) return { coordinator: new LocalCoordinator(node, opts.graceMs, opts.queue), mode: 'memory' };
  const { RedisCoordinator } = await import('./redis.js');
  const c = await RedisCoordinator.start({
    url: opts.redisUrl,
    node,
    prefix: opts.redisPrefix ?? 'parley:',
    graceMs: opts.graceMs,
    tickMs: opts.tickMs,
    heartbeatMs: opts.heartbeatMs,
    challengeTtlMs: opts.challengeTtlMs,
    queueTtlMs: opts.queueTtlMs,
    log: opts.log,
  });
  const { createAdapter, createShardedAdapter } = await import('@socket.io/redis-adapter');
  const channelPrefix = `${opts.redisPrefix ?? 'parley:'}io`;
  if ((await c.majorVersion()) >= 7) {
    const adapter = createShardedAdapter(c.pub, c.sub, { channelPrefix, subscriptionMode: 'dynamic' });
    return { coordinator: c, adapter, mode: 'sharded' };
  }
  opts.log.warn({ node }, 'Redis < 7 has no sharded pub/sub: using the classic socket.io Redis adapter');
  return { coordinator: c, adapter: createAdapter(c.pub, c.sub, { key: channelPrefix }), mode: 'classic' };
}
