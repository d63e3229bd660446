// All of one job's peer connections from this tab (a full mesh: one per other member), and a
// registry of the meshes of live jobs so diagnostics can reach them.

import type { Job } from '../../../shared/protocol.js';
import { PeerConnection } from './peer-connection.js';
import type { Session } from './session.js';

export const meshes = new Map<string, JobMesh>();

export class JobMesh {
  readonly peers: PeerConnection[];
  readonly me: number;

  constructor(
    session: Session,
    readonly job: Job,
  ) {
    this.me = job.members.indexOf(session.name);
    this.peers = job.members
      .map((name, party) => ({ name, party }))
      .filter((m) => m.party !== this.me)
      .map((m) => new PeerConnection(session, job.id, m.name, m.party, this.me));
    meshes.set(job.id, this);
  }

  /** The worker's ports, by the peers' party indices. */
  takePorts(): Record<number, MessagePort> {
    const ports: Record<number, MessagePort> = {};
    for (const p of this.peers) ports[this.job.members.indexOf(p.peer)] = p.takePort();
    return ports;
  }

  stop(): void {
    for (const p of this.peers) p.stop();
    if (meshes.get(this.job.id) === this) meshes.delete(this.job.id);
  }
}
