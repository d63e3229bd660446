// How the stores' rows map to the service's objects: the job, participant and queued-signal
// columns (JSON as text) that the SQLite store and the PostgreSQL store (store/pg.ts) share, so one mapping reads
// both.

import type { ErrorInfo } from '../shared/errors.js';
import type { PublicJwk } from '../shared/identity.js';
import type { Job, Role } from '../shared/protocol.js';

export interface Participant {
  name: string;
  publicKey: PublicJwk;
  keyId: string;
  roles: Role[];
  createdAt: number;
  revokedAt: number | null;
}

export interface JobRow {
  id: string;
  kind: string;
  members: string;
  accepted: string;
  spec: string;
  triples: string;
  state: string;
  error: string | null;
  created_at: number;
  updated_at: number;
  deadline: number;
}

export function rowToJob(r: JobRow): Job {
  const spec = JSON.parse(r.spec) as Pick<Job, 'program' | 'roles' | 'reveal' | 'dealer'> & {
    purchase?: string | null;
    ring?: Job['ring'];
    schema?: Job['schema'];
    join?: Job['join'];
    estimate?: Job['estimate'];
  };
  return {
    id: r.id,
    kind: r.kind as Job['kind'],
    program: spec.program,
    members: JSON.parse(r.members) as string[],
    roles: spec.roles,
    accepted: JSON.parse(r.accepted) as string[],
    reveal: spec.reveal,
    triples: r.triples as Job['triples'],
    dealer: spec.dealer,
    ring: spec.ring ?? 64, // jobs saved before the ring setting ran in Z_2^64
    schema: spec.schema ?? null, // jobs saved before schemas declared none
    join: spec.join ?? null, // jobs saved before private joins joined on no key
    estimate: spec.estimate ?? null, // jobs saved before dry runs had none
    purchase: spec.purchase ?? null,
    deadline: r.deadline,
    state: r.state as Job['state'],
    error: r.error ? (JSON.parse(r.error) as ErrorInfo) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** A job's column values (JSON as text), named as in the INSERT statements of both stores. */
export function jobColumns(job: Job) {
  return {
    id: job.id,
    kind: job.kind,
    triples: job.triples,
    state: job.state,
    deadline: job.deadline,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    spec: JSON.stringify({
      program: job.program,
      roles: job.roles,
      reveal: job.reveal,
      dealer: job.dealer,
      ring: job.ring,
      schema: job.schema,
      join: job.join,
      estimate: job.estimate,
      purchase: job.purchase,
    }),
    members: JSON.stringify(job.members),
    accepted: JSON.stringify(job.accepted),
    error: job.error ? JSON.stringify(job.error) : null,
  };
}

export interface ParticipantRow {
  name: string;
  public_key: string;
  key_id: string;
  roles: string;
  created_at: number;
  revoked_at: number | null;
}

export function rowToParticipant(r: ParticipantRow): Participant {
  return {
    name: r.name,
    publicKey: JSON.parse(r.public_key) as PublicJwk,
    keyId: r.key_id,
    roles: JSON.parse(r.roles) as Role[],
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}

/** A signal held for a member who is offline (the store's signal queue). */
export interface QueuedSignal {
  jobId: string;
  from: string;
  to: string;
  data: unknown;
  expiresAt: number;
}

export interface SignalRow {
  job_id: string;
  from_name: string;
  to_name: string;
  data: string;
  expires_at: number;
}

export function rowToSignal(r: SignalRow): QueuedSignal {
  return {
    jobId: r.job_id,
    from: r.from_name,
    to: r.to_name,
    data: JSON.parse(r.data) as unknown,
    expiresAt: r.expires_at,
  };
}
