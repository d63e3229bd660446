// The one typed contract between the service and the app: HTTP bodies, socket.io events and
// their zod schemas, used by signaling/ to validate and by web/ to type its calls.

import { z } from 'zod';
import type { ErrorInfo } from './errors.js';
import { NAME_PATTERN } from './identity.js';
import { MAX_PROGRAM_BYTES, MAX_SIGNAL_BYTES, MAX_VECTOR_LENGTH } from './limits.js';

export { MAX_PROGRAM_BYTES, MAX_SIGNAL_BYTES, MAX_VECTOR_LENGTH };

export const nameSchema = z.string().regex(NAME_PATTERN);
const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/).max(2048);

export const publicJwkSchema = z.strictObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: b64url.length(43),
  y: b64url.length(43),
});

/** What a participant may do in jobs and in the marketplace. */
export const ROLES = ['data-owner', 'compute', 'result-receiver', 'dealer', 'seller', 'buyer'] as const;
export type Role = (typeof ROLES)[number];
export const DEFAULT_ROLES: Role[] = ['data-owner', 'compute', 'result-receiver'];
const rolesSchema = z.array(z.enum(ROLES)).min(1).max(ROLES.length);

export const registerBody = z.strictObject({
  name: nameSchema,
  publicKey: publicJwkSchema,
  roles: rolesSchema.optional(),
  invite: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
});
export const challengeBody = z.strictObject({ name: nameSchema });
const challengeText = b64url.length(43);
const signatureText = b64url.max(128);
export const loginBody = z.strictObject({ name: nameSchema, challenge: challengeText, signature: signatureText });
export const rotateBody = z.strictObject({
  name: nameSchema,
  challenge: challengeText,
  newPublicKey: publicJwkSchema,
  /** By the old key over the rotation statement. */
  signature: signatureText,
  /** By the new key over the same statement: proof that the new key is held. */
  newSignature: signatureText,
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
  admission: 'open' | 'invite';
  /** How long a member may be disconnected before it counts as gone, in ms. */
  graceMs: number;
}

export interface LoginResult {
  ticket: string;
  expiresAt: number;
}

/** Preset analyses and SecureNumpy programs. */
export const JOB_KINDS = ['sum-product', 'securenumpy'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export type JobState = 'proposed' | 'ready' | 'running' | 'done' | 'failed' | 'declined' | 'cancelled' | 'expired';
export const LIVE_STATES: readonly JobState[] = ['ready', 'running'];
export const OPEN_STATES: readonly JobState[] = ['proposed', 'ready', 'running'];

/** Where correlated randomness comes from: the placeholder service dealer, or a named participant. */
export type TripleSource = 'service-dealer' | 'participant-dealer';

export interface JobMember {
  name: string;
  /** Party index in the computation; the dealer, if any, comes last. */
  party: number;
  roles: Role[];
}

export interface RevealRule {
  output: string;
  to: string[];
}

export interface Job {
  id: string;
  kind: JobKind;
  /** SecureNumpy program text and its SHA-256 (hex); null for presets. */
  program: { text: string; hash: string } | null;
  /** Members in party order. members[0] proposed the job. */
  members: string[];
  roles: Record<string, Role[]>;
  accepted: string[];
  /** Which outputs are revealed to whom; nothing else may be revealed. */
  reveal: RevealRule[];
  triples: TripleSource;
  dealer: string | null;
  /** Epoch ms after which an unfinished job expires. */
  deadline: number;
  state: JobState;
  error: ErrorInfo | null;
  createdAt: number;
  updatedAt: number;
}

/** Everyone the preset sum-and-product reveals to (both outputs go to one receiver). */
export function receiverOf(job: Job): string {
  return job.reveal[0]?.to[0] ?? job.members[0]!;
}

const outputName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/);
export const MAX_JOB_MEMBERS = 8;
export const DEFAULT_DEADLINE_SECONDS = 24 * 3600;

export const proposeEvent = z.strictObject({
  kind: z.enum(JOB_KINDS),
  /** Other members in party order (the proposer is party 0). */
  peers: z.array(nameSchema).min(1).max(MAX_JOB_MEMBERS - 1).optional(),
  /** Shorthand for peers: [peer]. */
  peer: nameSchema.optional(),
  /** Shorthand for the preset: both outputs to this member. */
  receiver: nameSchema.optional(),
  reveal: z.array(z.strictObject({ output: outputName, to: z.array(nameSchema).min(1).max(MAX_JOB_MEMBERS) })).max(64).optional(),
  program: z.string().min(1).max(MAX_PROGRAM_BYTES).optional(),
  dealer: nameSchema.optional(),
  deadlineSeconds: z.number().int().min(10).max(30 * 24 * 3600).optional(),
});
export type ProposeRequest = z.infer<typeof proposeEvent>;

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

/** Job tickets for one member: one per peer, each to be presented to that peer. */
export interface JobTickets {
  jobId: string;
  tickets: Record<string, string>;
}

export interface Presence {
  jobId: string;
  online: string[];
}

export type Ack<T> = (reply: { ok: true; value: T } | { ok: false; error: ErrorInfo }) => void;

export interface ClientToServer {
  'job:propose': (p: ProposeRequest, ack: Ack<Job>) => void;
  'job:accept': (p: z.infer<typeof jobIdEvent>, ack: Ack<Job>) => void;
  'job:decline': (p: z.infer<typeof jobIdEvent>, ack: Ack<Job>) => void;
  'job:cancel': (p: z.infer<typeof jobIdEvent>, ack: Ack<Job>) => void;
  'job:start': (p: z.infer<typeof jobIdEvent>, ack: Ack<Job>) => void;
  'job:finish': (p: z.infer<typeof finishEvent>, ack: Ack<Job>) => void;
  'job:list': (p: Record<string, never>, ack: Ack<Job[]>) => void;
  'job:tickets': (p: z.infer<typeof jobIdEvent>, ack: Ack<JobTickets>) => void;
  'job:presence': (p: z.infer<typeof jobIdEvent>, ack: Ack<Presence>) => void;
  signal: (p: z.infer<typeof signalEvent>, ack: Ack<null>) => void;
  'dealer:triples': (p: z.infer<typeof triplesEvent>, ack: Ack<TripleGrant>) => void;
}

export interface ServerToClient {
  'job:update': (job: Job) => void;
  'job:presence': (p: Presence) => void;
  signal: (p: { jobId: string; from: string; data: unknown }) => void;
  'session:info': (p: { name: string; expiresAt: number }) => void;
}
