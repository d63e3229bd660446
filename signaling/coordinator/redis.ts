// The coordinator of a cluster: several nodes share presence, grace deadlines, the offline
// signal queue, challenges, rate limits and the sweeper lease in one Redis (scripts in
// redis-scripts.ts). Each node keeps its own connection counts too, to register them again if
// Redis lost them or reaped the node while it was paused. The same clients carry the socket.io
// Redis adapter (adapter.ts), so the PING barrier in `connected` also orders room subscriptions.

import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ParleyError } from '../../shared/errors.js';
import type {
  ChallengeCaps,
  Coordinator,
  LimitKind,
  OpenChallenge,
  QueuedSignal,
  RelayOutcome,
} from './coordinator.js';
import { runScript, type ScriptName } from './redis-scripts.js';

export interface RedisCoordinatorOptions {
  /** redis://, rediss:// or a unix socket path. */
  url: string;
  node: string;
  /** Key and channel prefix (default "parley:"). */
  prefix: string;
  graceMs: number;
  /** How often due grace deadlines are reaped (the service's sweep period). */
  tickMs: number;
  /** Liveness heartbeat; a node silent for three of these is reaped by the others. */
  heartbeatMs?: number;
  /** How long challenges and queued signals are kept at most (a memory bound; expiry is checked). */
  challengeTtlMs: number;
  queueTtlMs: number;
  log: Logger;
}

const unavailable = () =>
  new ParleyError('ERR_UNAVAILABLE', 'the coordination service (Redis) is unreachable; retry shortly');

export class RedisCoordinator implements Coordinator {
  readonly node: string;
  /** Commands and scripts; fails fast while Redis is away. */
  readonly cmd: Redis;
  /** The adapter's publishing and subscribing clients. */
  readonly pub: Redis;
  readonly sub: Redis;
  private readonly mine = new Map<string, number>();
  private readonly heartbeatMs: number;
  private handlers: { gone: (name: string) => void; offline: (name: string) => void } = {
    gone: () => {},
    offline: () => {},
  };
  private timers: ReturnType<typeof setInterval>[] = [];
  private closed = false;

  private constructor(private readonly opts: RedisCoordinatorOptions) {
    this.node = opts.node;
    this.heartbeatMs = opts.heartbeatMs ?? 2000;
    const base = { lazyConnect: true, connectionName: `parley-${opts.node}` };
    // Commands issued in the same tick go out in one write (one syscall, not one per event).
    const batched = { ...base, enableAutoPipelining: true };
    this.cmd = new Redis(opts.url, { ...batched, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.pub = new Redis(opts.url, batched);
    this.sub = new Redis(opts.url, base);
    for (const c of [this.cmd, this.pub, this.sub])
      c.on('error', (e: Error) => opts.log.warn({ err: e.message, node: opts.node }, 'redis connection error'));
  }

  /** Connects, registers this node, and starts its reaper and heartbeat; refuses if Redis is away. */
  static async start(opts: RedisCoordinatorOptions): Promise<RedisCoordinator> {
    const c = new RedisCoordinator(opts);
    try {
      await Promise.all([c.cmd.connect(), c.pub.connect(), c.sub.connect()]);
      // A node that restarts under the same id first removes what it left behind.
      await c.run('reapNode', [opts.node, opts.graceMs, 1]);
      await c.run('register', [opts.node, 3 * c.heartbeatMs]);
    } catch (e) {
      c.cmd.disconnect();
      c.pub.disconnect();
      c.sub.disconnect();
      opts.log.error({ err: e, node: opts.node }, 'redis unreachable at start');
      throw new ParleyError('ERR_UNAVAILABLE', `cannot reach Redis at ${redacted(opts.url)}`);
    }
    c.every(opts.tickMs, () => c.reapGrace());
    c.every(c.heartbeatMs, () => c.heartbeat());
    return c;
  }

  /** The Redis server's major version (the sharded adapter needs 7). */
  async majorVersion(): Promise<number> {
    const info = await this.cmd.info('server');
    return Number(/redis_version:(\d+)/.exec(info)?.[1] ?? 0);
  }

  async connected(name: string, now: number): Promise<{ cameOnline: boolean; queued: QueuedSignal[] }> {
    // The room's subscription was sent on this client before the join returned: once this PING
    // answers, a signal relayed from another node reaches this connection.
    await this.guard(() => this.sub.ping());
    const [n, raw] = (await this.run('connect', [this.node, name])) as [number, string[]];
    this.mine.set(name, (this.mine.get(name) ?? 0) + 1);
    const queued = raw.map((s) => JSON.parse(s) as QueuedSignal).filter((s) => s.expiresAt > now);
    return { cameOnline: n === 1, queued };
  }

  async disconnected(name: string): Promise<boolean> {
    const left = (this.mine.get(name) ?? 1) - 1;
    if (left > 0) this.mine.set(name, left);
    else this.mine.delete(name);
    return (await this.run('disconnect', [this.node, name, this.opts.graceMs])) === 1;
  }

  async online(names: readonly string[]): Promise<Set<string>> {
    if (names.length === 0) return new Set();
    const counts = await this.guard(() => this.cmd.hmget(`${this.opts.prefix}online`, ...names));
    return new Set(names.filter((_, i) => Number(counts[i] ?? 0) > 0));
  }

  async startGrace(names: readonly string[]): Promise<void> {
    if (names.length > 0) await this.run('startGrace', [this.opts.graceMs, ...names]);
  }

  watch(handlers: { gone: (name: string) => void; offline: (name: string) => void }): void {
    this.handlers = handlers;
  }

  async relayOrQueue(s: QueuedSignal, maxQueued: number, now: number): Promise<RelayOutcome> {
    const args = [s.to, JSON.stringify(s), maxQueued, this.opts.queueTtlMs, now];
    return (await this.run('relayOrQueue', args)) as RelayOutcome;
  }

  async take(kind: LimitKind, key: string, perSecond: number, burst: number, now: number): Promise<boolean> {
    if (perSecond <= 0) return true;
    if (!Number.isFinite(perSecond)) return true;
    return (await this.run('take', [`${kind}:${key}`, perSecond, burst, now])) === 1;
  }

  async openChallenge(
    challenge: string,
    open: OpenChallenge,
    caps: ChallengeCaps,
    now: number,
  ): Promise<'ok' | 'address' | 'total'> {
    const args = [challenge, JSON.stringify(open), open.address, open.expires, now];
    return (await this.run('openChallenge', [...args, caps.perAddress, caps.total, this.opts.challengeTtlMs])) as
      | 'ok'
      | 'address'
      | 'total';
  }

  async consumeChallenge(challenge: string): Promise<OpenChallenge | 'replay' | null> {
    const r = (await this.run('consumeChallenge', [challenge, this.opts.challengeTtlMs])) as string | null;
    if (r === null || r === 'replay') return r;
    return JSON.parse(r) as OpenChallenge;
  }

  async holdsSweep(): Promise<boolean> {
    const ttl = Math.max(5000, 5 * this.opts.tickMs);
    return (await this.run('lease', [this.node, ttl])) === 1;
  }

  async ready(): Promise<void> {
    await this.guard(() => this.cmd.ping());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    try {
      // Leaving: this node's connections no longer count; their names get a grace period.
      await this.run('reapNode', [this.node, this.opts.graceMs, 1]);
      await this.run('release', [this.node]);
    } catch (e) {
      this.opts.log.warn({ err: e, node: this.node }, 'could not leave the cluster cleanly');
    }
    await Promise.all([this.cmd, this.pub, this.sub].map((c) => c.quit().catch(() => c.disconnect())));
  }

  private async reapGrace(): Promise<void> {
    for (const name of (await this.run('reapGrace', [])) as string[]) this.handlers.gone(name);
  }

  private async heartbeat(): Promise<void> {
    if ((await this.run('beat', [this.node, 3 * this.heartbeatMs])) === 0) {
      // Reaped while paused, or Redis lost its data: register again with this node's connections.
      this.opts.log.warn({ node: this.node }, 'node was not registered in Redis: registering again');
      await this.run('register', [this.node, 3 * this.heartbeatMs, ...[...this.mine].flat()]);
    }
    const nodes = await this.guard(() => this.cmd.smembers(`${this.opts.prefix}nodes`));
    for (const other of nodes) {
      if (other === this.node) continue;
      const offline = (await this.run('reapNode', [other, this.opts.graceMs, 0])) as string[];
      if (offline.length > 0) this.opts.log.warn({ node: other, offline: offline.length }, 'silent node reaped');
      for (const name of offline) this.handlers.offline(name);
    }
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let busy = false;
    const t = setInterval(() => {
      if (busy || this.closed) return;
      busy = true;
      fn()
        .catch((e: unknown) => this.opts.log.warn({ err: e, node: this.node }, 'coordinator tick failed'))
        .finally(() => {
          busy = false;
        });
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  private run(name: ScriptName, args: (string | number)[]): Promise<unknown> {
    return this.guard(() => runScript(this.cmd, name, [this.opts.prefix, ...args]));
  }

  /** Redis errors become ERR_UNAVAILABLE (logged once here with their cause). */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      this.opts.log.warn({ err: e, node: this.node }, 'redis call failed');
      throw unavailable();
    }
  }
}

/** The URL without its password, for messages. */
function redacted(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
