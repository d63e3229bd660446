// What the service pushes to connected tabs: job updates (with who is online while a job is
// live), presence changes, purchases and listings. Made once in app.ts, before the parts whose
// changes it announces (Jobs, Market, Presence), and handed to each; they never reach the
// sockets otherwise. Each participant's connections share one room, so "online" here means
// "has a connection to this node".

import type { Server, Socket } from 'socket.io';
import type { ErrorInfo } from '../shared/errors.js';
import type { Listing, Purchase } from '../shared/market.js';
import { type ClientToServer, type Job, LIVE_STATES, type Presence, type ServerToClient } from '../shared/protocol.js';

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
  constructor(private readonly io: ParleyServer) {}

  /** Connections `name` has to this node. */
  connectionsOf(name: string): number {
    return this.io.sockets.adapter.rooms.get(roomOf(name))?.size ?? 0;
  }

  isOnline(name: string): boolean {
    return this.connectionsOf(name) > 0;
  }

  /** All open connections to this node. */
  get connections(): number {
    return this.io.sockets.sockets.size;
  }

  /**
   * Closes every connection of `name` to this node, telling each tab why first (`session:end`):
   * the app logs in again, which succeeds unless the participant was revoked.
   */
  endSessions(name: string, reason: ErrorInfo): void {
    this.io.in(roomOf(name)).emit('session:end', reason);
    this.io.in(roomOf(name)).disconnectSockets(true);
  }

  /** Which members of the job are online. */
  presenceOf(job: Job): Presence {
    return { jobId: job.id, online: job.members.filter((m) => this.isOnline(m)) };
  }

  /** Sends the job to its members, with who is online when the job is live. */
  job(job: Job): void {
    const online = LIVE_STATES.includes(job.state) ? this.presenceOf(job) : null;
    for (const m of job.members) {
      this.io.to(roomOf(m)).emit('job:update', job);
      if (online) this.io.to(roomOf(m)).emit('job:presence', online);
    }
  }

  /** Tells the members of a live job who is online. */
  presence(job: Job): void {
    const p = this.presenceOf(job);
    for (const m of job.members) this.io.to(roomOf(m)).emit('job:presence', p);
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
