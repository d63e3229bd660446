// Job rules: who may propose what (members, roles, reveal list, program hash, dealer, ring, deadline)
// and the lifecycle proposed → ready (all accepted) → running → done | failed, or declined /
// cancelled / expired. Each transition checks membership and state and returns the new job.
// A 'market' job is the session of one purchase: proposed by its buyer to its seller alone.
// Every change is one atomic store update (`updateJob`: the transition is computed from the job
// as stored, under its row lock), and only the call that changed the job announces it to the
// members through the notifier: concurrent accepts on several nodes all count, once each.

import { createHash } from 'node:crypto';
import { type ErrorInfo, ParleyError } from '../shared/errors.js';
import {
  DEFAULT_DEADLINE_SECONDS,
  type Job,
  type JobJoin,
  type JobSchema,
  LIVE_STATES,
  OPEN_STATES,
  type ProposeRequest,
  type RevealRule,
  type Role,
} from '../shared/protocol.js';
import type { Auth } from './auth.js';
import type { Notifier } from './notifier.js';
import type { Store } from './store.js';

const SUM_PRODUCT_OUTPUTS = ['sum', 'product'];

/**
 * A program job's schema as stored: every key a computing member (not the dealer), each member's
 * column names distinct (the protocol schema already bounds their count, length and characters).
 * Rebuilt in party order, so that no key of the request (such as "__proto__") reaches the job.
 */
function jobSchema(given: JobSchema, members: string[], kind: Job['kind']): JobSchema {
  if (kind !== 'securenumpy') throw new ParleyError('ERR_BAD_REQUEST', 'only SecureNumpy program jobs take a schema');
  for (const name of Object.keys(given)) {
    if (!members.includes(name))
      throw new ParleyError('ERR_BAD_REQUEST', `the schema names "${name}", who is not a computing member`);
  }
  const schema: JobSchema = {};
  for (const m of members) {
    const columns = Object.hasOwn(given, m) ? given[m]! : null;
    if (!columns) continue;
    const twice = columns.find((c, i) => columns.indexOf(c) !== i);
    if (twice) throw new ParleyError('ERR_BAD_REQUEST', `${m} brings the column "${twice}" twice`);
    Object.defineProperty(schema, m, { value: [...columns], enumerable: true, writable: true, configurable: true });
  }
  return schema;
}

/**
 * A private join as stored: exactly the two joining members (parties 0 and 1) each name one of the
 * columns their schema declares as the key (so only program jobs, the only ones with a schema,
 * join). Rebuilt in party order (no request key reaches the job).
 */
function jobJoin(given: JobJoin, members: string[], schema: JobSchema | null): JobJoin {
  const joining = members.slice(0, 2);
  const named = Object.keys(given.keys);
  const stranger = named.find((m) => !joining.includes(m));
  if (stranger !== undefined)
    throw new ParleyError('ERR_BAD_REQUEST', `the join names "${stranger}": only parties 0 and 1 join on a key`);
  const keys: Record<string, string> = {};
  for (const m of joining) {
    const column = Object.hasOwn(given.keys, m) ? given.keys[m]! : null;
    if (column === null) throw new ParleyError('ERR_BAD_REQUEST', `the join names no key column for ${m}`);
    const declared = schema && Object.hasOwn(schema, m) ? schema[m]! : [];
    if (!declared.includes(column)) {
      throw new ParleyError('ERR_BAD_REQUEST', `the key column "${column}" is not among the columns ${m} brings`);
    }
    Object.defineProperty(keys, m, { value: column, enumerable: true, writable: true, configurable: true });
  }
  return { keys, normalise: given.normalise };
}

export class Jobs {
  constructor(
    private readonly store: Store,
    private readonly auth: Auth,
    private readonly now: () => number,
    private readonly notifier: Notifier,
  ) {}

  /** The job, if `name` is a member; otherwise the same error as for a job that does not exist. */
  async get(jobId: string, name: string): Promise<Job> {
    const job = await this.store.getJob(jobId);
    if (!job?.members.includes(name)) throw unknownJob(jobId, name);
    return job;
  }

  list(name: string): Promise<Job[]> {
    return this.store.jobsOf(name);
  }

  async propose(by: string, p: ProposeRequest): Promise<Job> {
    const peers = p.peers ?? (p.peer ? [p.peer] : []);
    const members = [by, ...peers];
    if (peers.length === 0) throw new ParleyError('ERR_BAD_REQUEST', 'a job needs at least one peer');
    if (new Set(members).size !== members.length)
      throw new ParleyError('ERR_BAD_REQUEST', 'each member may appear once, and not the proposer as a peer');
    if (p.kind === 'market') return this.proposeMarket(by, peers, p);
    if (p.purchase) throw new ParleyError('ERR_BAD_REQUEST', 'only market jobs name a purchase');
    const roles: Record<string, Role[]> = {};
    for (const m of members) roles[m] = (await this.auth.active(m)).roles;

    let reveal: RevealRule[];
    let program: Job['program'] = null;
    if (p.kind === 'sum-product') {
      if (members.length !== 2)
        throw new ParleyError('ERR_BAD_REQUEST', 'secure sum and product takes exactly two members');
      if (p.program || p.reveal)
        throw new ParleyError(
          'ERR_BAD_REQUEST',
          'the sum-and-product preset takes a receiver, not a program or reveal list',
        );
      if (p.dealer) throw new ParleyError('ERR_BAD_REQUEST', 'the sum-and-product preset takes no participant dealer');
      if ((p.ring ?? 64) !== 64)
        throw new ParleyError('ERR_BAD_REQUEST', 'the sum-and-product preset runs in the standard ring (64)');
      const receiver = p.receiver ?? by;
      reveal = SUM_PRODUCT_OUTPUTS.map((output) => ({ output, to: [receiver] }));
      for (const m of members) this.need(m, roles[m]!, 'data-owner');
    } else {
      if (!p.program || !p.reveal?.length)
        throw new ParleyError('ERR_BAD_REQUEST', 'a SecureNumpy job needs a program and a reveal list');
      program = { text: p.program, hash: createHash('sha256').update(p.program).digest('hex') };
      reveal = p.reveal;
    }
    const schema = p.schema ? jobSchema(p.schema, members, p.kind) : null;
    const join = p.join ? jobJoin(p.join, members, schema) : null;
    if (p.estimate && p.kind !== 'securenumpy')
      throw new ParleyError('ERR_BAD_REQUEST', 'only SecureNumpy program jobs take a dry-run estimate');
    for (const m of members) this.need(m, roles[m]!, 'compute');
    for (const rule of reveal) {
      for (const to of rule.to) {
        if (!members.includes(to))
          throw new ParleyError(
            'ERR_BAD_REQUEST',
            `output "${rule.output}" is revealed to "${to}", who is not a member`,
          );
        this.need(to, roles[to]!, 'result-receiver');
      }
    }
    if (p.dealer) {
      if (members.includes(p.dealer))
        throw new ParleyError('ERR_BAD_REQUEST', 'the dealer must not be a computing member');
      roles[p.dealer] = (await this.auth.active(p.dealer)).roles;
      this.need(p.dealer, roles[p.dealer]!, 'dealer');
      members.push(p.dealer);
    }

    const t = this.now();
    const job: Job = {
      id: crypto.randomUUID(),
      kind: p.kind,
      program,
      members,
      roles,
      accepted: [by],
      reveal,
      triples: p.dealer ? 'participant-dealer' : 'dealer-free',
      dealer: p.dealer ?? null,
      ring: p.ring ?? 64,
      schema,
      join,
      estimate: p.estimate ? { ...p.estimate } : null,
      purchase: null,
      deadline: t + (p.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS) * 1000,
      state: 'proposed',
      error: null,
      createdAt: t,
      updatedAt: t,
    };
    return this.insert(job);
  }

  /** A market session: no program, nothing revealed; the purchase decides who may take part. */
  private async proposeMarket(by: string, peers: string[], p: ProposeRequest): Promise<Job> {
    if (!p.purchase) throw new ParleyError('ERR_BAD_REQUEST', 'a market job names its purchase');
    if (p.program || p.reveal || p.dealer || p.receiver || p.ring || p.schema || p.join || p.estimate) {
      throw new ParleyError(
        'ERR_BAD_REQUEST',
        'a market job takes a purchase, not a program, reveal list, receiver, dealer, ring, schema, join or estimate',
      );
    }
    const t = this.now();
    const purchase = await this.store.getPurchase(p.purchase);
    if (!purchase || purchase.buyer !== by || purchase.state !== 'active' || purchase.expiresAt <= t) {
      throw new ParleyError('ERR_NO_PURCHASE', `${by} has no active purchase ${p.purchase}`);
    }
    if (peers.length !== 1 || peers[0] !== purchase.seller)
      throw new ParleyError('ERR_BAD_REQUEST', 'the only peer of a market job is the seller');
    const members = [by, purchase.seller];
    const roles: Record<string, Role[]> = {};
    for (const m of members) roles[m] = (await this.auth.active(m)).roles;
    const job: Job = {
      id: crypto.randomUUID(),
      kind: 'market',
      program: null,
      members,
      roles,
      accepted: [by],
      reveal: [],
      triples: 'dealer-free',
      dealer: null,
      ring: 64,
      schema: null,
      join: null,
      estimate: null,
      purchase: purchase.id,
      deadline: Math.min(t + (p.deadlineSeconds ?? DEFAULT_DEADLINE_SECONDS) * 1000, purchase.expiresAt),
      state: 'proposed',
      error: null,
      createdAt: t,
      updatedAt: t,
    };
    return this.insert(job);
  }

  accept(jobId: string, by: string): Promise<Job> {
    return this.transition(jobId, by, ['proposed'], 'accept', (job) => {
      if (job.accepted.includes(by)) return null;
      const accepted = [...job.accepted, by];
      const ready = job.members.every((m) => accepted.includes(m));
      return { ...job, accepted, state: ready ? 'ready' : 'proposed' };
    });
  }

  decline(jobId: string, by: string): Promise<Job> {
    return this.transition(jobId, by, ['proposed'], 'decline', (job) => ({
      ...job,
      state: 'declined',
      error: { code: 'ERR_JOB_STATE', message: `declined by ${by}` },
    }));
  }

  cancel(jobId: string, by: string): Promise<Job> {
    return this.transition(jobId, by, OPEN_STATES, 'cancel', (job) => ({
      ...job,
      state: 'cancelled',
      error: { code: 'ERR_CANCELLED', message: `cancelled by ${by}` },
    }));
  }

  start(jobId: string, by: string): Promise<Job> {
    return this.transition(jobId, by, LIVE_STATES, 'start', (job) =>
      job.state === 'running' ? null : { ...job, state: 'running' },
    );
  }

  /** Records the outcome a member reports; the first report of a live job wins. */
  finish(jobId: string, by: string, outcome: 'done' | 'failed', error: ErrorInfo | null): Promise<Job> {
    return this.transition(jobId, by, null, 'finish', (job) =>
      LIVE_STATES.includes(job.state) ? { ...job, state: outcome, error: outcome === 'failed' ? error : null } : null,
    );
  }

  /** Fails every open job of a member (it left for longer than the grace period, or was revoked). */
  async failMember(name: string, error: ErrorInfo, states: readonly string[] = LIVE_STATES): Promise<Job[]> {
    const failed: Job[] = [];
    for (const j of await this.list(name)) {
      if (!states.includes(j.state)) continue;
      const r = await this.update(j.id, (job) =>
        states.includes(job.state) ? { ...job, state: 'failed', error } : null,
      );
      if (r) failed.push(r);
    }
    return failed;
  }

  /** Expires open jobs past their deadline. */
  async expireOverdue(): Promise<Job[]> {
    const expired: Job[] = [];
    for (const j of await this.store.overdueJobs(this.now())) {
      const r = await this.update(j.id, (job) =>
        OPEN_STATES.includes(job.state) && job.deadline < this.now()
          ? { ...job, state: 'expired', error: { code: 'ERR_JOB_EXPIRED', message: 'the job passed its deadline' } }
          : null,
      );
      if (r) expired.push(r);
    }
    return expired;
  }

  /** Members may exchange signaling only inside a ready or running job. */
  async checkRelay(jobId: string, from: string, to: string): Promise<Job> {
    const job = await this.store.getJob(jobId);
    if (!job?.members.includes(from) || !job.members.includes(to) || from === to) {
      throw new ParleyError('ERR_NOT_MEMBER', `${from} and ${to} are not both members of job ${jobId}`);
    }
    if (!LIVE_STATES.includes(job.state))
      throw new ParleyError('ERR_JOB_STATE', `job ${jobId} is ${job.state}; relay is closed`);
    return job;
  }

  private need(name: string, roles: Role[], role: Role): void {
    if (!roles.includes(role)) throw new ParleyError('ERR_ROLE', `${name} lacks the role "${role}"`);
  }

  /**
   * A member's transition: checked against the job as stored (membership, then `states` unless
   * null), computed by `next` (null: nothing to change), and returned as the job now is.
   */
  private async transition(
    jobId: string,
    by: string,
    states: readonly string[] | null,
    action: string,
    next: (job: Job) => Job | null,
  ): Promise<Job> {
    const r = await this.store.updateJob(jobId, (job) => {
      if (!job.members.includes(by)) throw unknownJob(jobId, by);
      if (states && !states.includes(job.state))
        throw new ParleyError('ERR_JOB_STATE', `cannot ${action} a job that is ${job.state}`);
      return this.stamp(next(job));
    });
    if (!r) throw unknownJob(jobId, by);
    if (r.changed) this.notifier.job(r.job);
    return r.job;
  }

  /** A service-side transition; the job if this call changed it, else null. */
  private async update(jobId: string, next: (job: Job) => Job | null): Promise<Job | null> {
    const r = await this.store.updateJob(jobId, (job) => this.stamp(next(job)));
    if (!r?.changed) return null;
    this.notifier.job(r.job);
    return r.job;
  }

  private stamp(job: Job | null): Job | null {
    return job && { ...job, updatedAt: this.now() };
  }

  private async insert(job: Job): Promise<Job> {
    const next = { ...job, updatedAt: this.now() };
    await this.store.insertJob(next);
    this.notifier.job(next);
    return next;
  }
}

const unknownJob = (jobId: string, name: string) =>
  new ParleyError('ERR_UNKNOWN_JOB', `no job ${jobId} with member ${name}`);
