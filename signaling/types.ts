// Re-exports of the shared contract types the service uses, so service modules import one place.
export type { Job, JobKind, JobState, TripleSource } from '../shared/protocol.js';
export type { PublicJwk } from '../shared/identity.js';
