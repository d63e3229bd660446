// All of one job's peer connections from this tab (a full mesh: one per other member) and the
// job's compute worker that owns the message channels. A JobRun (jobs/job-run.svelte.ts) opens
// and stops it.

import * as Comlink from 'comlink';
import type { Job } from '../../../shared/protocol.js';
import type { EngineApi } from '../../../workers/engine-api.js';
import type { Connection } from '../connection/connection.svelte.js';
import { PeerConnection } from '../mesh/peer-connection.svelte.js';

export class JobMesh {
  readonly peers: PeerConnection[];
  readonly me: number;
  readonly engine: Comlink.Remote<EngineApi>;
  /** Resolves once the worker holds the control ports. */
  readonly ready: Promise<void>;
  private readonly worker: Worker;

  constructor(
    connection: Connection,
    readonly job: Job,
  ) {
    this.me = job.members.indexOf(connection.name);
    this.worker = new Worker(new URL('../../../workers/engine.worker.ts', import.meta.url), { type: 'module', name: `parley-${job.id.slice(0, 8)}` });
    this.engine = Comlink.wrap<EngineApi>(this.worker);
    this.peers = job.members
      .map((name, party) => ({ name, party }))
      .filter((m) => m.party !== this.me)
      .map((m) => new PeerConnection(connection, job.id, m.name, m.party, this.me));
    const controls: Record<number, MessagePort> = {};
    for (const p of this.peers) controls[job.members.indexOf(p.peer)] = p.controlPort;
    this.ready = this.engine.attach(Comlink.transfer(controls, Object.values(controls)), {
      parties: job.members, me: this.me, graceMs: connection.config.graceMs,
    });
  }

  /** The computation starts: a peer that reloads from now on has lost its state. */
  markComputing(): void {
    for (const p of this.peers) p.markComputing();
  }

  stop(): void {
    for (const p of this.peers) p.stop();
    setTimeout(() => this.worker.terminate(), 2000); // after the goodbyes went out
  }
}
