// Session tickets: short-lived JWTs signed by the service key naming the participant and the
// key it proved; verification maps every failure to ERR_TICKET_EXPIRED or ERR_TICKET_INVALID.

import { errors, importJWK, jwtVerify, SignJWT } from 'jose';
import { ParleyError } from '../shared/errors.js';
import type { ServiceKey } from './service-key.js';

export const TICKET_ISSUER = 'parley-service';
export const SESSION_AUDIENCE = 'parley:session';
/** Clock skew tolerated when checking a ticket's expiry and issue time. */
export const CLOCK_SKEW_SECONDS = 30;

export interface SessionClaims {
  name: string;
  keyId: string;
  expiresAt: number;
}

export class TicketAuthority {
  private verifyKey: CryptoKey | Uint8Array | null = null;

  constructor(
    private readonly key: ServiceKey,
    private readonly now: () => number,
    private readonly ttlSeconds: number,
  ) {}

  async issueSession(name: string, keyId: string): Promise<{ ticket: string; expiresAt: number }> {
    const iat = Math.floor(this.now() / 1000);
    const exp = iat + this.ttlSeconds;
    const ticket = await new SignJWT({ kid: keyId })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.key.keyId, typ: 'parley-session+jwt' })
      .setIssuer(TICKET_ISSUER)
      .setAudience(SESSION_AUDIENCE)
      .setSubject(name)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(crypto.randomUUID())
      .sign(this.key.privateKey);
    return { ticket, expiresAt: exp * 1000 };
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
        typ: 'parley-session+jwt',
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(this.now()),
        requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      });
      if (typeof payload.sub !== 'string' || typeof payload.kid !== 'string') {
        throw new ParleyError('ERR_TICKET_INVALID', 'ticket lacks subject or key id');
      }
      return { name: payload.sub, keyId: payload.kid, expiresAt: payload.exp! * 1000 };
    } catch (e) {
      if (e instanceof ParleyError) throw e;
      if (e instanceof errors.JWTExpired) throw new ParleyError('ERR_TICKET_EXPIRED', 'the session ticket has expired; log in again');
      throw new ParleyError('ERR_TICKET_INVALID', 'the session ticket is not valid for this service');
    }
  }
}
