// Who is connected, as it changes, and the grace period: a member whose last connection closes
// (on any node) has `graceMs` to come back, on any node, before its live jobs fail with
// ERR_PEER_LEFT. The counts and deadlines live in the coordinator; this tells the members of
// live jobs when someone comes or goes, and fails the jobs of those who stay away.

import type { Logger } from 'pino';
import { LIVE_STATES } from '../shared/protocol.js';
import type { Coordinator, QueuedSignal } from './coordinator/coordinator.js';
import type { Jobs } from './jobs.js';
import type { Notifier } from './notifier.js';

export class Presence {
  constructor(
    private readonly coordinator: Coordinator,
    private readonly notifier: Notifier,
    private readonly jobs: Jobs,
    private readonly log: Logger,
  ) {
    coordinator.watch({
      gone: (name) => this.guard(name, this.gone(name)),
      offline: (name) => this.guard(name, this.changed(name)),
    });
  }

  /** Called once a connection of `name` has joined its room; returns the signals queued for it. */
  async connected(name: string, now: number): Promise<QueuedSignal[]> {
    const { cameOnline, queued } = await this.coordinator.connected(name, now);
    if (cameOnline) this.guard(name, this.changed(name));
    return queued;
  }

  /** Called once a connection of `name` has closed (and left its room). */
  async disconnected(name: string): Promise<void> {
    if (await this.coordinator.disconnected(name)) await this.changed(name);
  }

  /** Starts grace periods for the members of live jobs who are not connected (after a start). */
  startGrace(names: readonly string[]): Promise<void> {
    return this.coordinator.startGrace(names);
  }

  // The job calls are awaited so that they may become asynchronous (a network store).
  private async changed(name: string): Promise<void> {
    for (const job of await this.jobs.list(name)) if (LIVE_STATES.includes(job.state)) this.notifier.presence(job);
  }

  private async gone(name: string): Promise<void> {
    for (const job of await this.jobs.failMember(name, {
      code: 'ERR_PEER_LEFT',
      message: `${name} left and did not come back in time`,
    })) {
      this.log.info({ job: job.id, name }, 'member gone: job failed');
    }
  }

  private guard(name: string, step: Promise<void>): void {
    step.catch((e: unknown) => this.log.error({ err: e, name }, 'presence change failed'));
  }
}
