// Who is connected to this node, as it changes, and the grace period: a member whose last
// connection closes has `graceMs` to come back before its live jobs fail with ERR_PEER_LEFT.
// The connections themselves are counted by the notifier's rooms; this keeps the timers and
// tells the members of live jobs when someone comes or goes.

import type { Logger } from 'pino';
import { LIVE_STATES } from '../shared/protocol.js';
import type { Jobs } from './jobs.js';
import type { Notifier } from './notifier.js';

export class Presence {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly graceMs: number,
    private readonly notifier: Notifier,
    private readonly jobs: Jobs,
    private readonly log: Logger,
  ) {}

  /** Called once a connection of `name` has joined its room. */
  connected(name: string): void {
    const t = this.timers.get(name);
    if (t) {
      clearTimeout(t);
      this.timers.delete(name);
    }
    if (this.notifier.connectionsOf(name) === 1) this.changed(name);
  }

  /** Called once a connection of `name` has closed (and left its room). */
  disconnected(name: string): void {
    if (this.notifier.isOnline(name)) return;
    this.changed(name);
    this.startGrace(name);
  }

  /** Starts a grace period for someone not connected (used after a restart for live jobs). */
  startGrace(name: string): void {
    if (this.notifier.isOnline(name) || this.timers.has(name)) return;
    const t = setTimeout(() => {
      this.timers.delete(name);
      if (!this.notifier.isOnline(name)) this.gone(name);
    }, this.graceMs);
    t.unref?.();
    this.timers.set(name, t);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private changed(name: string): void {
    this.jobs
      .list(name)
      .then((jobs) => {
        for (const job of jobs) if (LIVE_STATES.includes(job.state)) this.notifier.presence(job);
      })
      .catch((e: unknown) => this.log.error({ err: e, name }, 'presence push failed'));
  }

  private gone(name: string): void {
    this.jobs
      .failMember(name, { code: 'ERR_PEER_LEFT', message: `${name} left and did not come back in time` })
      .then((jobs) => {
        for (const job of jobs) this.log.info({ job: job.id, name }, 'member gone: job failed');
      })
      .catch((e: unknown) => this.log.error({ err: e, name }, 'failing the jobs of a member gone failed'));
  }
}
