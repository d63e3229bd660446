// Peer authentication on a data channel. Each member presents the peer a job ticket (signed by
// the service: job, party, roles, key, audience = that peer) and a proof: an ECDSA signature by
// its long-term key over every DTLS fingerprint line of both SDPs, in order, as each side sees
// them. A relay that swaps SDP (a man in the middle) makes the fingerprints differ, so the proof
// fails and the channel closes with ERR_PEER_AUTH. An SDP that announces more than one distinct
// fingerprint (a relay that keeps the real one and adds its own, which some browsers accept at
// the DTLS level) is refused outright, and one whose lines were duplicated or dropped on the way
// no longer matches what the peer signed. A ticket presented twice is refused (ERR_TICKET_REPLAY).

import { errors, type CryptoKey as JoseKey, jwtVerify } from 'jose';
import { type ERROR_CODES, ParleyError } from './errors.js';
import { type PublicJwk, SIGN_ALGORITHM, SIGN_PARAMS } from './identity.js';
import { fromBase64Url, toBase64Url } from './random.js';

export const TICKET_ISSUER = 'parley-service';
export const SESSION_TICKET_TYPE = 'parley-session+jwt';
export const JOB_TICKET_TYPE = 'parley-job+jwt';
export const CLOCK_SKEW_SECONDS = 30;

export const jobTicketAudience = (jobId: string, peer: string) => `parley:job:${jobId}:${peer}`;

export interface JobTicketClaims {
  holder: string;
  jobId: string;
  party: number;
  roles: string[];
  key: PublicJwk;
  nonce: string;
  expiresAt: number;
}

export interface Expected {
  jobId: string;
  /** The verifying member (the ticket's audience). */
  me: string;
  /** The member the ticket must name, at this party index. */
  holder: string;
  party: number;
}

const fail = (code: keyof typeof ERROR_CODES, why: string) => new ParleyError(code, why);

/** Verifies a job ticket against the service key and what this member expects of the peer. */
export async function verifyJobTicket(
  ticket: unknown,
  serviceKey: JoseKey | CryptoKey,
  expect: Expected,
  opts: { seen: Set<string>; now?: number },
): Promise<JobTicketClaims> {
  if (typeof ticket !== 'string' || ticket.length > 8192) throw fail('ERR_PEER_AUTH', 'the peer sent no job ticket');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(ticket, serviceKey, {
      issuer: TICKET_ISSUER,
      audience: jobTicketAudience(expect.jobId, expect.me),
      algorithms: ['EdDSA'],
      typ: JOB_TICKET_TYPE,
      clockTolerance: CLOCK_SKEW_SECONDS,
      currentDate: opts.now === undefined ? undefined : new Date(opts.now),
      requiredClaims: ['sub', 'exp', 'jti', 'aud'],
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw fail('ERR_PEER_AUTH', 'the peer presented an expired job ticket');
    throw fail(
      'ERR_PEER_AUTH',
      'the peer presented a job ticket that is not for this job and member, or not signed by the service',
    );
  }
  const { sub, job, party, roles, key, jti, exp } = payload as {
    sub: string;
    job: unknown;
    party: unknown;
    roles: unknown;
    key: unknown;
    jti: string;
    exp: number;
  };
  if (job !== expect.jobId || sub !== expect.holder || party !== expect.party) {
    throw fail(
      'ERR_PEER_AUTH',
      `the job ticket names ${sub} (party ${String(party)}), expected ${expect.holder} (party ${expect.party})`,
    );
  }
  if (!key || typeof key !== 'object' || !Array.isArray(roles))
    throw fail('ERR_PEER_AUTH', 'the job ticket lacks the peer key or roles');
  if (opts.seen.has(jti)) throw fail('ERR_TICKET_REPLAY', 'the peer presented a job ticket that was already used');
  opts.seen.add(jti);
  return {
    holder: sub,
    jobId: job as string,
    party: party as number,
    roles: roles as string[],
    key: key as PublicJwk,
    nonce: jti,
    expiresAt: exp * 1000,
  };
}

/** The bytes a member signs: the job, itself, the ticket nonce, and both fingerprint lists (its own first). */
function channelStatement(
  jobId: string,
  signer: string,
  nonce: string,
  signerFingerprints: readonly string[],
  otherFingerprints: readonly string[],
): Uint8Array {
  return new TextEncoder().encode(
    `parley-channel-v2\n${jobId}\n${signer}\n${nonce}\n${signerFingerprints.join(',')}\n${otherFingerprints.join(',')}`,
  );
}

/** Any line that names the fingerprint attribute, however spaced or cased: none may go unread. */
const FINGERPRINT_LINE = /^\s*a\s*=\s*fingerprint/i;
const FINGERPRINT = /^a=fingerprint:([A-Za-z0-9-]+) ([0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2})*)$/;

/**
 * Every DTLS certificate fingerprint line of an SDP (a=fingerprint, session and media level), in
 * order and normalised. Lines that repeat one value (one per bundled m-section) are kept, so a
 * relay that adds or drops a copy changes what is signed; an SDP with none, a malformed one, or
 * more than one distinct value is refused with ERR_PEER_AUTH.
 */
export function dtlsFingerprints(sdp: string | undefined | null): string[] {
  const found: string[] = [];
  for (const raw of (sdp ?? '').split('\n')) {
    const line = raw.trim();
    if (!FINGERPRINT_LINE.test(line)) continue;
    const m = FINGERPRINT.exec(line);
    if (!m) throw fail('ERR_PEER_AUTH', 'the session description has a malformed DTLS fingerprint');
    found.push(`${m[1]!.toLowerCase()} ${m[2]!.toUpperCase()}`);
  }
  if (found.length === 0) throw fail('ERR_PEER_AUTH', 'the session description has no DTLS fingerprint');
  if (new Set(found).size > 1)
    throw fail(
      'ERR_PEER_AUTH',
      'the session description announces more than one DTLS fingerprint (possible man in the middle)',
    );
  return found;
}

export interface Hello {
  v: 1;
  ticket: string;
  proof: string;
}

/** What this member sends first on a new channel. `nonce` is the jti of its own ticket. */
export async function makeHello(p: {
  ticket: string;
  nonce: string;
  privateKey: CryptoKey;
  jobId: string;
  me: string;
  localFingerprints: readonly string[];
  remoteFingerprints: readonly string[];
}): Promise<Hello> {
  const statement = channelStatement(p.jobId, p.me, p.nonce, p.localFingerprints, p.remoteFingerprints);
  const sig = await crypto.subtle.sign(SIGN_PARAMS, p.privateKey, statement as BufferSource);
  return { v: 1, ticket: p.ticket, proof: toBase64Url(new Uint8Array(sig)) };
}

/** Checks the peer's hello; resolves to its ticket claims, or throws ERR_PEER_AUTH / ERR_TICKET_REPLAY. */
export async function checkHello(
  hello: unknown,
  p: Expected & {
    serviceKey: JoseKey | CryptoKey;
    localFingerprints: readonly string[];
    remoteFingerprints: readonly string[];
    seen: Set<string>;
    now?: number;
  },
): Promise<JobTicketClaims> {
  const h = hello as Partial<Hello> | null;
  if (h?.v !== 1 || typeof h.proof !== 'string' || h.proof.length > 200)
    throw fail('ERR_PEER_AUTH', 'the peer did not send a valid hello');
  const claims = await verifyJobTicket(h.ticket, p.serviceKey, p, { seen: p.seen, now: p.now });
  let ok = false;
  try {
    const key = await crypto.subtle.importKey('jwk', { ...claims.key, ext: true }, SIGN_ALGORITHM, false, ['verify']);
    // The peer signed its own fingerprint first: from here that is the remote one.
    const statement = channelStatement(p.jobId, claims.holder, claims.nonce, p.remoteFingerprints, p.localFingerprints);
    ok = await crypto.subtle.verify(
      SIGN_PARAMS,
      key,
      fromBase64Url(h.proof) as BufferSource,
      statement as BufferSource,
    );
  } catch {
    ok = false;
  }
  if (!ok)
    throw fail(
      'ERR_PEER_AUTH',
      'the peer could not prove it holds its key for this channel (fingerprints differ: possible man in the middle)',
    );
  return claims;
}

/** A job ticket's claims without verifying it (the holder reads its own nonce). */
export function readTicketNonce(ticket: string): string {
  const part = ticket.split('.')[1] ?? '';
  const json = new TextDecoder().decode(fromBase64Url(part));
  const jti = (JSON.parse(json) as { jti?: unknown }).jti;
  if (typeof jti !== 'string') throw fail('ERR_TICKET_INVALID', 'the job ticket has no nonce');
  return jti;
}
