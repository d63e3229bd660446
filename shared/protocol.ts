// The one typed contract between the service and the app: HTTP bodies, socket.io events and
// their zod schemas, used by signaling/ to validate and by web/ to type its calls.

import { z } from 'zod';
import type { ErrorInfo } from './errors.js';
import { NAME_PATTERN } from './identity.js';
import { MAX_SIGNAL_BYTES, MAX_VECTOR_LENGTH } from './limits.js';

export { MAX_SIGNAL_BYTES, MAX_VECTOR_LENGTH };

export const nameSchema = z.string().regex(NAME_PATTERN);
const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/).max(2048);

export const publicJwkSchema = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: b64url.length(43),
  y: b64url.length(43),
});

export const registerBody = z.strictObject({ name: nameSchema, publicKey: publicJwkSchema });
export const challengeBody = z.strictObject({ name: nameSchema });
export const loginBody = z.strictObject({
  name: nameSchema,
  challenge: b64url.length(43),
  signature: b64url.max(128),
});

/** ICE servers for WebRTC (STUN/TURN), set by the operator; empty means direct connections only. */
export const iceServersSchema = z
  .array(
    z.strictObject({
      urls: z.union([z.string().max(256), z.array(z.string().max(256)).max(8)]),
      username: z.string().max(256).optional(),
      credential: z.string().max(256).optional(),
    }),
  )
  .max(8);
export type IceServer = z.infer<typeof iceServersSchema>[number];

/** What GET /api/config tells the app. */
export interface ClientConfig {
  iceServers: IceServer[];
}

export interface LoginResult {
  ticket: string;
  expiresAt: number;
}

/** The only analysis of the spine: element-wise sum and product of two vectors. */
export const JOB_KINDS = ['sum-product'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type JobState = 'proposed' | 'ready' | 'running' | 'done' | 'failed' | 'declined' | 'cancelled';
export const ACTIVE_STATES: readonly JobState[] = ['proposed', 'ready', 'running'];

/** Where Beaver triples come from. Only the labelled placeholder dealer exists so far. */
export type TripleSource = 'service-dealer';

export interface Job {
  id: string;
  kind: JobKind;
  /** Members in party order: party index = position. members[0] proposed the job. */
  members: string[];
  accepted: string[];
  receiver: string;
  triples: TripleSource;
  state: JobState;
  error: ErrorInfo | null;
  createdAt: number;
  updatedAt: number;
}

export const proposeEvent = z.strictObject({
  kind: z.enum(JOB_KINDS),
  peer: nameSchema,
  receiver: nameSchema,
});
export const emptyEvent = z.strictObject({});
export const jobIdEvent = z.strictObject({ jobId: z.string().uuid() });
export const finishEvent = z.strictObject({
  jobId: z.string().uuid(),
  outcome: z.enum(['done', 'failed']),
  code: z.string().max(64).optional(),
});
export const signalEvent = z.strictObject({
  jobId: z.string().uuid(),
  to: nameSchema,
  data: z.unknown(),
});
export const triplesEvent = z.strictObject({
  jobId: z.string().uuid(),
  count: z.number().int().min(1).max(MAX_VECTOR_LENGTH),
});

/** Triples for party 0: a seed; for party 1: a seed plus the correction vector c1. */
export interface TripleGrant {
  seed: string;
  count: number;
  correction?: string;
}

export type Ack<T> = (reply: { ok: true; value: T } | { ok: false; error: ErrorInfo }) => void;

export interface ClientToServer {
  'job:propose': (p: z.infer<typeof proposeEvent>, ack: Ack<Job>) => void;
  'job:accept': (p: z.infer<typeof jobIdEvent>, ack: Ack<Job>) => void;
  'job:decline': (p: z.infer<typeof jobIdEvent>, ack: Ack<Job>) => void;
  'job:cancel': (p: z.infer<typeof jobIdEvent>, ack: Ack<Job>) => void;
  'job:start': (p: z.infer<typeof jobIdEvent>, ack: Ack<Job>) => void;
  'job:finish': (p: z.infer<typeof finishEvent>, ack: Ack<Job>) => void;
  'job:list': (p: Record<string, never>, ack: Ack<Job[]>) => void;
  signal: (p: z.infer<typeof signalEvent>, ack: Ack<null>) => void;
  'dealer:triples': (p: z.infer<typeof triplesEvent>, ack: Ack<TripleGrant>) => void;
}

export interface ServerToClient {
  'job:update': (job: Job) => void;
  signal: (p: { jobId: string; from: string; data: unknown }) => void;
  'session:info': (p: { name: string; expiresAt: number }) => void;
}
