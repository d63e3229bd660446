// The coordinator of the embedded service (one process): presence counts and grace timers,
// challenges and rate limits in this process's memory, the offline signal queue in the store
// (so queued signals survive a restart, as they always did). Steps on one name run one at a
// time, so "relay or queue" and "join and drain" cannot interleave even over an async store.

import { KeyedLimiter } from '../rate-limit.js';
import type {
  ChallengeCaps,
  Coordinator,
  LimitKind,
  OpenChallenge,
  QueuedSignal,
  RelayOutcome,
  SignalQueue,
} from './coordinator.js';

export class LocalCoordinator implements Coordinator {
  private readonly counts = new Map<string, number>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly limiters = new Map<LimitKind, KeyedLimiter>();
  private readonly challenges = new Map<string, OpenChallenge>();
  /** Open challenges per client address, counted with `challenges`. */
  private readonly perAddress = new Map<string, number>();
  /** Challenges already answered, kept until they would have expired, to name replays. */
  private readonly used = new Map<string, number>();
  private gone: (name: string) => void = () => {};

  constructor(
    readonly node: string,
    private readonly graceMs: number,
    private readonly queue: SignalQueue,
  ) {}

  connected(name: string, now: number): Promise<{ cameOnline: boolean; queued: QueuedSignal[] }> {
    return this.serial(name, async () => {
      const n = (this.counts.get(name) ?? 0) + 1;
      this.counts.set(name, n);
      const t = this.timers.get(name);
      if (t) {
        clearTimeout(t);
        this.timers.delete(name);
      }
      return { cameOnline: n === 1, queued: await this.queue.takeSignals(name, now) };
    });
  }

  disconnected(name: string): Promise<boolean> {
    return this.serial(name, () => {
      const n = (this.counts.get(name) ?? 1) - 1;
      if (n > 0) {
        this.counts.set(name, n);
        return false;
      }
      this.counts.delete(name);
      this.graceFor(name);
      return true;
    });
  }

  async online(names: readonly string[]): Promise<Set<string>> {
    return new Set(names.filter((n) => this.counts.has(n)));
  }

  async startGrace(names: readonly string[]): Promise<void> {
    for (const n of names) if (!this.counts.has(n)) this.graceFor(n);
  }

  watch(handlers: { gone: (name: string) => void }): void {
    this.gone = handlers.gone;
  }

  relayOrQueue(s: QueuedSignal, maxQueued: number): Promise<RelayOutcome> {
    return this.serial(s.to, async () => {
      if (this.counts.has(s.to)) return 'online';
      return (await this.queue.queueSignal(s, maxQueued)) ? 'queued' : 'full';
    });
  }

  async take(kind: LimitKind, key: string, perSecond: number, burst: number, now: number): Promise<boolean> {
    let limiter = this.limiters.get(kind);
    if (!limiter) {
      limiter = new KeyedLimiter(perSecond, burst);
      this.limiters.set(kind, limiter);
    }
    return limiter.take(key, now);
  }

  async openChallenge(
    challenge: string,
    open: OpenChallenge,
    caps: ChallengeCaps,
    now: number,
  ): Promise<'ok' | 'address' | 'total'> {
    for (const [c, v] of this.challenges) if (v.expires < now) this.forget(c, v.address);
    for (const [c, expires] of this.used) if (expires < now) this.used.delete(c);
    if ((this.perAddress.get(open.address) ?? 0) >= caps.perAddress) return 'address';
    if (this.challenges.size >= caps.total) return 'total';
    this.challenges.set(challenge, open);
    this.perAddress.set(open.address, (this.perAddress.get(open.address) ?? 0) + 1);
    return 'ok';
  }

  async consumeChallenge(challenge: string): Promise<OpenChallenge | 'replay' | null> {
    const open = this.challenges.get(challenge);
    if (open) this.forget(challenge, open.address);
    if (this.used.has(challenge)) return 'replay';
    if (open) this.used.set(challenge, open.expires);
    return open ?? null;
  }

  async holdsSweep(): Promise<boolean> {
    return true;
  }

  async ready(): Promise<void> {}

  async close(): Promise<void> {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private graceFor(name: string): void {
    if (this.timers.has(name)) return;
    const t = setTimeout(() => {
      this.timers.delete(name);
      if (!this.counts.has(name)) this.gone(name);
    }, this.graceMs);
    t.unref?.();
    this.timers.set(name, t);
  }

  private forget(challenge: string, address: string): void {
    this.challenges.delete(challenge);
    const n = (this.perAddress.get(address) ?? 1) - 1;
    if (n > 0) this.perAddress.set(address, n);
    else this.perAddress.delete(address);
  }

  /** Runs `fn` after every earlier step on `name` has settled. */
  private serial<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const prev = this.chains.get(name) ?? Promise.resolve();
    const next = prev.then(fn);
    const tail = next.catch(() => undefined);
    this.chains.set(name, tail);
    void tail.then(() => {
      if (this.chains.get(name) === tail) this.chains.delete(name);
    });
    return next;
  }
}
