// Job lifecycle rules: proposed → ready (all accepted) → running → done | failed, or declined /
// cancelled. Each transition checks membership and state and returns the updated job.

import { ParleyError, type ErrorInfo } from '../shared/errors.js';
import type { Job, JobKind } from './types.js';
import type { Store } from './store.js';

const LIVE = new Set(['ready', 'running']);

export class Jobs {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** The job, if `name` is a member; otherwise the same error as for a job that does not exist. */
  get(jobId: string, name: string): Job {
    const job = this.store.getJob(jobId);
    if (!job || !job.members.includes(name)) throw new ParleyError('ERR_UNKNOWN_JOB', `no job ${jobId} with member ${name}`);
    return job;
  }

  list(name: string): Job[] {
    return this.store.jobsOf(name);
  }

  propose(by: string, p: { kind: JobKind; peer: string; receiver: string }): Job {
    if (p.peer === by) throw new ParleyError('ERR_BAD_REQUEST', 'a job needs a peer other than yourself');
    if (!this.store.getParticipant(p.peer)) throw new ParleyError('ERR_UNKNOWN_PARTICIPANT', `no participant "${p.peer}"`);
    if (p.receiver !== by && p.receiver !== p.peer) {
      throw new ParleyError('ERR_BAD_REQUEST', `the result receiver must be a member, got "${p.receiver}"`);
    }
    const t = this.now();
    const job: Job = {
      id: crypto.randomUUID(),
      kind: p.kind,
      members: [by, p.peer],
      accepted: [by],
      receiver: p.receiver,
      triples: 'service-dealer',
      state: 'proposed',
      error: null,
      createdAt: t,
      updatedAt: t,
    };
    this.store.saveJob(job);
    return job;
  }

  accept(jobId: string, by: string): Job {
    const job = this.inState(jobId, by, ['proposed'], 'accept');
    if (job.accepted.includes(by)) return job;
    const accepted = [...job.accepted, by];
    const ready = job.members.every((m) => accepted.includes(m));
    return this.save({ ...job, accepted, state: ready ? 'ready' : 'proposed' });
  }

  decline(jobId: string, by: string): Job {
    return this.save({ ...this.inState(jobId, by, ['proposed'], 'decline'), state: 'declined' });
  }

  cancel(jobId: string, by: string): Job {
    const job = this.inState(jobId, by, ['proposed', 'ready', 'running'], 'cancel');
    return this.save({ ...job, state: 'cancelled', error: { code: 'ERR_JOB_STATE', message: `cancelled by ${by}` } });
  }

  start(jobId: string, by: string): Job {
    const job = this.inState(jobId, by, ['ready', 'running'], 'start');
    return job.state === 'running' ? job : this.save({ ...job, state: 'running' });
  }

  /** Records the outcome a member reports; the first report of a live job wins. */
  finish(jobId: string, by: string, outcome: 'done' | 'failed', error: ErrorInfo | null): Job {
    const job = this.get(jobId, by);
    if (!LIVE.has(job.state)) return job;
    return this.save({ ...job, state: outcome, error: outcome === 'failed' ? error : null });
  }

  /** Fails every live job of a member whose last connection closed. */
  memberLeft(name: string): Job[] {
    return this.list(name)
      .filter((j) => LIVE.has(j.state))
      .map((j) => this.save({ ...j, state: 'failed', error: { code: 'ERR_PEER_LEFT', message: `${name} left the job` } }));
  }

  /** Members may exchange signaling only inside a ready or running job. */
  checkRelay(jobId: string, from: string, to: string): Job {
    const job = this.store.getJob(jobId);
    if (!job || !job.members.includes(from) || !job.members.includes(to) || from === to) {
      throw new ParleyError('ERR_NOT_MEMBER', `${from} and ${to} are not both members of job ${jobId}`);
    }
    if (!LIVE.has(job.state)) throw new ParleyError('ERR_JOB_STATE', `job ${jobId} is ${job.state}; relay is closed`);
    return job;
  }

  private inState(jobId: string, by: string, states: string[], action: string): Job {
    const job = this.get(jobId, by);
    if (!states.includes(job.state)) throw new ParleyError('ERR_JOB_STATE', `cannot ${action} a job that is ${job.state}`);
    return job;
  }

  private save(job: Job): Job {
    const next = { ...job, updatedAt: this.now() };
    this.store.saveJob(next);
    return next;
  }
}
