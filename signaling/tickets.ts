// Tickets signed by the service key (EdDSA JWTs). Session tickets name a participant and the key
// it proved and open one socket connection each. Job tickets name a member of a job, its party
// index, roles and key, for one audience (the peer it is presented to); peers check them on the
// data channel. Verification maps every failure to a stable code.

import { errors, importJWK, jwtVerify, SignJWT } from 'jose';
import { ParleyError } from '../shared/errors.js';
import type { PublicJwk } from '../shared/identity.js';
import {
  CLOCK_SKEW_SECONDS,
  JOB_TICKET_TYPE,
  jobTicketAudience,
  SESSION_TICKET_TYPE,
  TICKET_ISSUER,
} from '../shared/job-ticket.js';
import type { Role } from '../shared/protocol.js';
import type { ServiceKey } from './service-key.js';

const SESSION_AUDIENCE = 'parley:session';
/** Job tickets are short-lived: enough to open a data channel, fetched again when needed. */
const JOB_TICKET_TTL_SECONDS = 600;

export interface SessionClaims {
  name: string;
  keyId: string;
  jti: string;
  expiresAt: number;
}

export class TicketAuthority {
  private verifyKey: CryptoKey | Uint8Array | null = null;

  constructor(
    private readonly key: ServiceKey,
    private readonly now: () => number,
    private readonly ttlSeconds: number,
  ) {}

  private jwt(claims: Record<string, unknown>, typ: string, exp: number): SignJWT {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: this.key.keyId, typ })
      .setIssuer(TICKET_ISSUER)
      .setIssuedAt(Math.floor(this.now() / 1000))
      .setExpirationTime(exp)
      .setJti(crypto.randomUUID());
  }

  async issueSession(name: string, keyId: string): Promise<{ ticket: string; expiresAt: number }> {
    const exp = Math.floor(this.now() / 1000) + this.ttlSeconds;
    const ticket = await this.jwt({ kid: keyId }, SESSION_TICKET_TYPE, exp)
      .setAudience(SESSION_AUDIENCE)
      .setSubject(name)
      .sign(this.key.privateKey);
    return { ticket, expiresAt: exp * 1000 };
  }

  /** A ticket that `holder` presents to `audience` to prove membership of job `jobId`. */
  async issueJob(p: {
    jobId: string;
    holder: string;
    party: number;
    roles: Role[];
    key: PublicJwk;
    audience: string;
    notAfter: number;
  }): Promise<string> {
    const exp = Math.min(Math.floor(this.now() / 1000) + JOB_TICKET_TTL_SECONDS, Math.floor(p.notAfter / 1000));
    return this.jwt({ job: p.jobId, party: p.party, roles: p.roles, key: p.key }, JOB_TICKET_TYPE, exp)
      .setAudience(jobTicketAudience(p.jobId, p.audience))
      .setSubject(p.holder)
      .sign(this.key.privateKey);
  }

  async verifySession(ticket: unknown): Promise<SessionClaims> {
    if (typeof ticket !== 'string' || ticket.length > 4096) {
      throw new ParleyError('ERR_TICKET_INVALID', 'expected a session ticket string');
    }
    this.verifyKey ??= await importJWK(this.key.publicJwk, 'EdDSA');
    try {
      const { payload } = await jwtVerify(ticket, this.verifyKey, {
        issuer: TICKET_ISSUER,
        audience: SESSION_AUDIENCE,
        algorithms: ['EdDSA'],
        typ: SESSION_TICKET_TYPE,
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      });
      // Session tickets are checked by the service that issued them, on its own clock: the skew
      // tolerance covers only the issue time, never a ticket past its expiry.
      if (payload.exp! * 1000 <= this.now())
        throw new ParleyError('ERR_TICKET_EXPIRED', 'the session ticket has expired; log in again');
      if (typeof payload.sub !== 'string' || typeof payload.kid !== 'string') {
        throw new ParleyError('ERR_TICKET_INVALID', 'ticket lacks subject or key id');
      }
      return { name: payload.sub, keyId: payload.kid, jti: payload.jti!, expiresAt: payload.exp! * 1000 };
    } catch (e) {
      if (e instanceof ParleyError) throw e;
      if (e instanceof errors.JWTExpired)
        throw new ParleyError('ERR_TICKET_EXPIRED', 'the session ticket has expired; log in again');
      throw new ParleyError('ERR_TICKET_INVALID', 'the session ticket is not valid for this service');
    }
  }
}
