// This tab's side of one job, from start to end, written once: lock the job in this browser (one
// tab per participant and job), open the job's mesh (peer connections and compute worker), start
// the job at the service, run this member's compute function on the worker, report how it ended,
// and tear down (close the links after the last frames, release the lock). The job card (sum and
// product, programs), the participant dealer, the seller and the buyer each bring only their
// compute function and their role. `phase`, `mesh` and `outcome` are reactive for the views.

import { type ErrorInfo, ParleyError, toErrorInfo } from '../../../shared/errors.js';
import type { Job } from '../../../shared/protocol.js';
import type { AttachApi, Outcome } from '../../../workers/jobs/attach.js';
import type { Connection } from '../connection/connection.svelte.js';
import { JobMesh } from '../mesh/job-mesh.js';
import { type JobLock, tryLockJob } from './job-lock.js';

/** How a member takes part: whether it starts the job at the service, and what it reports. */
export interface RunRole {
  /** A party starts the job (job:start); a member that serves (dealer, seller) waits to be asked. */
  starts: boolean;
  /** A party reports how the job ended; a serving member only its own failures (not ERR_PEER_ABORTED). */
  reports: 'outcome' | 'own-failure';
  /** Wait for every peer connection to be authenticated before the worker starts. */
  waitForLinks: boolean;
}

/** The parties of a program job and the buyer: they start the job and report how it ended. */
export const PARTY: RunRole = { starts: true, reports: 'outcome', waitForLinks: false };
/** The buyer: a party that connects to the seller before its worker starts. */
export const BUYER: RunRole = { starts: true, reports: 'outcome', waitForLinks: true };
/** The participant dealer serves the parties once they run; it reports only its own failures. */
export const DEALER: RunRole = { starts: false, reports: 'own-failure', waitForLinks: false };
/** The seller serves its buyer once connected; it reports only its own failures. */
export const SELLER: RunRole = { starts: false, reports: 'own-failure', waitForLinks: true };

/** What a member runs on the job's worker, once the job has started. */
export type Compute<Api extends AttachApi, T> = (mesh: JobMesh<Api>) => Promise<Outcome<T>>;

/**
 * idle → locking → open (or elsewhere: another tab of this browser has the job) → starting (the
 * run began: waiting for the worker, the links, the service) → running (on the worker) → ended;
 * stopped once torn down.
 */
export type RunPhase = 'idle' | 'locking' | 'elsewhere' | 'open' | 'starting' | 'running' | 'ended' | 'stopped';

export interface RunOptions {
  /** Work before the mesh is needed (e.g. loading keys); a failure is reported like the compute's. */
  prepare?: () => Promise<void>;
  /** Ends the run early with this outcome (e.g. the job failed at the service). */
  abort?: Promise<Outcome<never>>;
}

/** Closing waits this long, so the last frames (results, goodbyes) go out first. */
const TEARDOWN_MS = 1000;

/** What a run is made with; tests replace the lock and the mesh. */
export interface RunDeps<Api extends AttachApi> {
  /** Called once, when the run is stopped (the registry forgets it). */
  onStop?: () => void;
  lockJob?: (jobId: string) => Promise<JobLock | null>;
  openMesh?: (connection: Connection, job: Job) => JobMesh<Api>;
}

/** `Api` is the contract of the job's worker (ProgramWorkerApi or MarketJobApi, by the job's kind). */
export class JobRun<Api extends AttachApi> {
  phase: RunPhase = $state('idle');
  /** The job's mesh while it is open in this tab. */
  mesh: JobMesh<Api> | null = $state.raw(null);
  /** Whether this tab ran the job (run() was called). */
  ran = $state(false);
  /** How this tab's run ended, once it has. */
  outcome: Outcome<unknown> | null = $state.raw(null);
  private lock: JobLock | null = null;
  private opening: Promise<JobMesh<Api> | null> | null = null;
  /** The run has its outcome (possibly early, by `abort`): no step may start after it. */
  private settled = false;
  private stopped = false;
  /** Settles a run under way with this outcome (the job was cancelled); set while run() races. */
  private cancelled: Outcome<never> | null = null;
  private onCancel: ((o: Outcome<never>) => void) | null = null;

  constructor(
    private readonly connection: Connection,
    readonly job: Job,
    private readonly deps: RunDeps<Api> = {},
  ) {}

  /** Locks the job in this tab and opens its mesh; null when another tab of this browser has it. Idempotent. */
  open(): Promise<JobMesh<Api> | null> {
    this.opening ??= this.lockAndConnect();
    return this.opening;
  }

  /**
   * Runs `compute` on the job's worker once, in the lifecycle of `role`, and reports how it ended;
   * never rejects (a failure is the outcome). The caller stops the run when it no longer needs it.
   */
  async run<T>(role: RunRole, compute: Compute<Api, T>, opts: RunOptions = {}): Promise<Outcome<T>> {
    // A second call is refused on its own: it must not settle, report or overwrite the first run.
    if (this.ran) return { ok: false, error: { code: 'ERR_JOB_STATE', message: 'this job already ran in this tab' } };
    let outcome: Outcome<T>;
    try {
      this.ran = true;
      this.phase = 'starting';
      const cancel = new Promise<Outcome<never>>((resolve) => {
        if (this.cancelled) resolve(this.cancelled);
        else this.onCancel = resolve;
      });
      const ends = opts.abort ? [cancel, opts.abort] : [cancel];
      outcome = await Promise.race([this.steps(role, compute, opts.prepare), ...ends]);
    } catch (e) {
      outcome = { ok: false, error: toErrorInfo(e) };
    }
    this.settled = true;
    await this.report(role, outcome);
    this.outcome = outcome;
    if (!this.stopped) this.phase = 'ended';
    return outcome;
  }

  /** The run is under way (started and not yet ended). */
  get busy(): boolean {
    return this.phase === 'starting' || this.phase === 'running';
  }

  /**
   * The job was cancelled (by any member, at the service): a run under way ends at once with
   * `error` as its outcome, and the links and the worker close without waiting for the program.
   */
  cancel(error: ErrorInfo): void {
    this.cancelled ??= { ok: false, error };
    this.onCancel?.(this.cancelled);
    this.stop(0);
  }

  /** Closes the links (after `delayMs`, so the last frames go out) and releases the lock. Idempotent. */
  stop(delayMs = TEARDOWN_MS): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.phase !== 'elsewhere') this.phase = 'stopped';
    this.deps.onStop?.();
    const close = async () => {
      const mesh = await this.opening?.catch(() => null);
      mesh?.stop();
      this.lock?.release();
    };
    if (delayMs > 0) setTimeout(() => void close(), delayMs);
    else void close();
  }

  private async lockAndConnect(): Promise<JobMesh<Api> | null> {
    if (this.phase === 'idle') this.phase = 'locking';
    const lock = await (this.deps.lockJob ?? tryLockJob)(this.job.id);
    if (!lock) {
      this.phase = 'elsewhere';
      return null;
    }
    this.lock = lock;
    if (this.stopped) {
      lock.release();
      return null;
    }
    const mesh = this.deps.openMesh?.(this.connection, this.job) ?? new JobMesh<Api>(this.connection, this.job);
    this.mesh = mesh;
    if (this.phase === 'locking') this.phase = 'open';
    return mesh;
  }

  private async steps<T>(role: RunRole, compute: Compute<Api, T>, prepare?: () => Promise<void>) {
    const mesh = await this.open();
    if (!mesh && this.stopped) throw new ParleyError('ERR_CLOSED', 'the run was stopped before it started');
    if (!mesh) throw new ParleyError('ERR_JOB_STATE', 'this job is open in another tab of this browser');
    await prepare?.();
    await mesh.ready;
    if (role.waitForLinks) await Promise.all(mesh.peers.map((p) => p.whenOpen()));
    if (this.settled) throw new ParleyError('ERR_CLOSED', 'the run ended before it started');
    if (role.starts) await this.connection.call('job:start', { jobId: this.job.id });
    if (this.settled) throw new ParleyError('ERR_CLOSED', 'the run ended before it started');
    mesh.markComputing();
    this.phase = 'running';
    return compute(mesh);
  }

  private async report<T>(role: RunRole, outcome: Outcome<T>): Promise<void> {
    const jobId = this.job.id;
    if (outcome === this.cancelled) return; // the service ended the job already
    if (outcome.ok && role.reports === 'outcome') {
      await this.connection.call('job:finish', { jobId, outcome: 'done' }).catch(() => undefined);
    } else if (!outcome.ok && (role.reports === 'outcome' || outcome.error.code !== 'ERR_PEER_ABORTED')) {
      const failed = { jobId, outcome: 'failed' as const, code: outcome.error.code };
      await this.connection.call('job:finish', failed).catch(() => undefined);
    }
  }
}
