// What the service pushes to connected tabs: job updates (with who is online while a job is
// live), presence changes, purchases and listings. Made once in app.ts, before the parts whose
// changes it announces (Jobs, Market, Presence), and handed to each; they never reach the
// sockets otherwise. Each participant's connections share one room (on every node, through the
// socket.io adapter); who is online anywhere comes from the coordinator.

import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { ErrorInfo } from '../shared/errors.js';
import type { Listing, Purchase } from '../shared/market.js';
import { type ClientToServer, type Job, LIVE_STATES, type Presence, type ServerToClient } from '../shared/protocol.js';
import type { Coordinator } from './coordinator/coordinator.js';

interface SocketData {
  name: string;
  /** The key the session's ticket was issued for. */
  keyId: string;
  expiresAt: number;
}
export type ParleySocket = Socket<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
export type ParleyServer = Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

/** The room of one participant's connections. */
export const roomOf = (name: string): string => `p:${name}`;

export class Notifier {
  constructor(
    private readonly io: ParleyServer,
    private readonly coordinator: Coordinator,
    private readonly log: Logger,
  ) {}

  /** All open connections to this node. */
  get connections(): number {
    return this.io.sockets.sockets.size;
  }

  /**
   * Closes every connection of `name` (on every node), telling each tab why first (`session:end`):
   * the app logs in again, which succeeds unless the participant was revoked.
   */
  endSessions(name: string, reason: ErrorInfo): void {
    this.io.in(roomOf(name)).emit('session:end', reason);
    this.io.in(roomOf(name)).disconnectSockets(true);
  }

  /** Which members of the job are online. */
  async presenceOf(job: Job): Promise<Presence> {
    const online = await this.coordinator.online(job.members);
    return { jobId: job.id, online: job.members.filter((m) => online.has(m)) };
  }

  /** Sends the job to its members, then who is online when the job is live. */
  job(job: Job): void {
    for (const m of job.members) this.io.to(roomOf(m)).emit('job:update', job);
    if (LIVE_STATES.includes(job.state)) this.presence(job);
  }

  /** Tells the members of a live job who is online. */
  presence(job: Job): void {
    this.presenceOf(job).then(
      (p) => {
        for (const m of job.members) this.io.to(roomOf(m)).emit('job:presence', p);
      },
      (e: unknown) => this.log.warn({ err: e, job: job.id }, 'presence push failed'),
    );
  }

  /** A purchase goes to its buyer and seller. */
  purchase(p: Purchase): void {
    this.io.to(roomOf(p.buyer)).to(roomOf(p.seller)).emit('market:purchase', p);
  }

  /** A listing goes to everyone connected. */
  listing(l: Listing): void {
    this.io.emit('market:listing', l);
  }
}
