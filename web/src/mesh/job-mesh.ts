// All of one job's peer connections from this tab (a full mesh: one per other member) and the
// job's compute worker that owns the message channels: the worker of the job's kind (market jobs
// run workers/jobs/market.worker.ts, every other kind workers/jobs/program.worker.ts). A JobRun
// (jobs/job-run.svelte.ts) opens and stops it.

import * as Comlink from 'comlink';
import type { Job } from '../../../shared/protocol.js';
import type { AttachApi } from '../../../workers/jobs/attach.js';
import type { DiagnosticsApi } from '../../../workers/jobs/diagnostics.js';
import type { ProgramJobApi } from '../../../workers/jobs/program-api.js';
import type { Connection } from '../connection/connection.svelte.js';
import { PeerConnection } from './peer-connection.svelte.js';

/** What the program worker exposes: program jobs' contract and the message-layer diagnostics. */
export type ProgramWorkerApi = ProgramJobApi & DiagnosticsApi;

/** A new compute worker for the job: the market worker for market jobs, else the program worker. */
function jobWorker(job: Job): Worker {
  const name = `parley-${job.id.slice(0, 8)}`;
  return job.kind === 'market'
    ? new Worker(new URL('../../../workers/jobs/market.worker.ts', import.meta.url), { type: 'module', name })
    : new Worker(new URL('../../../workers/jobs/program.worker.ts', import.meta.url), { type: 'module', name });
}

/**
 * `Api` is the contract of the worker: MarketJobApi for a market job's, ProgramWorkerApi (the
 * default) for every other job's (see jobWorker), or that of a worker the caller brings (the benchmarks').
 */
export class JobMesh<Api extends AttachApi = ProgramWorkerApi> {
  readonly peers: PeerConnection[];
  readonly me: number;
  readonly engine: Comlink.Remote<Api>;
  /** Resolves once the worker holds the control ports. */
  readonly ready: Promise<void>;

  constructor(
    connection: Connection,
    readonly job: Job,
    private readonly worker: Worker = jobWorker(job),
  ) {
    this.me = job.members.indexOf(connection.name);
    this.engine = Comlink.wrap<Api>(this.worker);
    this.peers = job.members
      .map((name, party) => ({ name, party }))
      .filter((m) => m.party !== this.me)
      .map((m) => new PeerConnection(connection, job.id, m.name, m.party, this.me));
    const controls: Record<number, MessagePort> = {};
    for (const p of this.peers) controls[job.members.indexOf(p.peer)] = p.controlPort;
    this.ready = this.engine.attach(Comlink.transfer(controls, Object.values(controls)), {
      parties: job.members,
      me: this.me,
      graceMs: connection.config.graceMs,
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
