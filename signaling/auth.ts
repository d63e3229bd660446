// Registration and challenge login: participants register a P-256 public key under a unique
// name, then prove possession by signing a fresh single-use 256-bit challenge.

import { calculateJwkThumbprint } from 'jose';
import { ParleyError } from '../shared/errors.js';
import { loginStatement, SIGN_ALGORITHM, SIGN_PARAMS, type PublicJwk } from '../shared/identity.js';
import { fromBase64Url, randomBytes, toBase64Url } from '../shared/random.js';
import type { Store } from './store.js';
import type { TicketAuthority } from './tickets.js';

export const CHALLENGE_TTL_MS = 60_000;
const MAX_OPEN_CHALLENGES = 10_000;

async function importPublicKey(jwk: PublicJwk): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('jwk', { ...jwk, ext: true }, SIGN_ALGORITHM, false, ['verify']);
  } catch {
    throw new ParleyError('ERR_BAD_REQUEST', 'the public key is not a valid P-256 point');
  }
}

export class Auth {
  private readonly challenges = new Map<string, { name: string; expires: number }>();

  constructor(
    private readonly store: Store,
    private readonly tickets: TicketAuthority,
    private readonly serviceKeyId: string,
    private readonly now: () => number,
  ) {}

  /** Registers name → key. Registering the same name with the same key again is a no-op. */
  async register(name: string, publicKey: PublicJwk): Promise<{ name: string; keyId: string; created: boolean }> {
    await importPublicKey(publicKey);
    const keyId = await calculateJwkThumbprint(publicKey);
    const existing = this.store.getParticipant(name);
    if (existing) {
      if (existing.keyId !== keyId) throw new ParleyError('ERR_NAME_TAKEN', `the name "${name}" is registered with another key`);
      return { name, keyId, created: false };
    }
    this.store.addParticipant({ name, publicKey, keyId, createdAt: this.now() });
    return { name, keyId, created: true };
  }

  challenge(name: string): { challenge: string; serviceKeyId: string; expiresAt: number } {
    if (!this.store.getParticipant(name)) throw new ParleyError('ERR_UNKNOWN_PARTICIPANT', `no participant "${name}"`);
    this.sweep();
    if (this.challenges.size >= MAX_OPEN_CHALLENGES) throw new ParleyError('ERR_TOO_LARGE', 'too many open login challenges; retry shortly');
    const challenge = toBase64Url(randomBytes(32));
    const expires = this.now() + CHALLENGE_TTL_MS;
    this.challenges.set(challenge, { name, expires });
    return { challenge, serviceKeyId: this.serviceKeyId, expiresAt: expires };
  }

  /** Checks the signed challenge (single use: consumed before verification) and issues a ticket. */
  async login(name: string, challenge: string, signature: string): Promise<{ ticket: string; expiresAt: number }> {
    const open = this.challenges.get(challenge);
    this.challenges.delete(challenge);
    if (!open || open.name !== name || open.expires < this.now()) {
      throw new ParleyError('ERR_CHALLENGE_INVALID', 'the challenge is unknown, expired, used, or for another name');
    }
    const participant = this.store.getParticipant(name);
    if (!participant) throw new ParleyError('ERR_UNKNOWN_PARTICIPANT', `no participant "${name}"`);
    const key = await importPublicKey(participant.publicKey);
    const ok = await crypto.subtle.verify(
      SIGN_PARAMS,
      key,
      fromBase64Url(signature) as BufferSource,
      loginStatement(name, challenge, this.serviceKeyId) as BufferSource,
    );
    if (!ok) throw new ParleyError('ERR_BAD_SIGNATURE', 'the challenge signature does not verify under the registered key');
    return this.tickets.issueSession(name, participant.keyId);
  }

  private sweep(): void {
    const t = this.now();
    for (const [c, v] of this.challenges) if (v.expires < t) this.challenges.delete(c);
  }
}
