// Registration, admission, challenge login, key rotation and revocation checks. Participants
// register a P-256 public key and roles under a unique name, then prove possession by signing a
// fresh single-use 256-bit challenge. Open challenges live in the coordinator, so a challenge
// asked on one node can be answered on another.

import { createHash } from 'node:crypto';
import { ParleyError } from '../shared/errors.js';
import { loginStatement, type PublicJwk, rotationStatement, SIGN_ALGORITHM, SIGN_PARAMS } from '../shared/identity.js';
import { DEFAULT_ROLES, type Role } from '../shared/protocol.js';
import { fromBase64Url, randomBytes, toBase64Url } from '../shared/random.js';
import type { Coordinator } from './coordinator/coordinator.js';
import type { Participant, Store } from './store.js';
import type { TicketAuthority } from './tickets.js';

export const CHALLENGE_TTL_MS = 60_000;
/** Open challenges of one client address (IPv6: one /64): one client cannot fill the table. */
const MAX_OPEN_CHALLENGES_PER_ADDRESS = 8;
/** The whole table, a memory bound: reaching it takes this many / 8 addresses at once. */
const MAX_OPEN_CHALLENGES = 10_000;

export type Admission = 'open' | 'invite';

export const hashInvite = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * The key's RFC 7638 thumbprint (SHA-256 over its required members in lexicographic order), the
 * value jose's calculateJwkThumbprint gives, computed inline rather than on the thread pool.
 */
const keyIdOf = (k: PublicJwk): string =>
  createHash('sha256')
    .update(JSON.stringify({ crv: k.crv, kty: k.kty, x: k.x, y: k.y }))
    .digest('base64url');

/** Imported keys by thumbprint: a login verifies under the key its registration imported. */
const imported = new Map<string, CryptoKey>();
const IMPORTED_MAX = 10_000;

async function importPublicKey(jwk: PublicJwk): Promise<CryptoKey> {
  const id = keyIdOf(jwk);
  const known = imported.get(id);
  if (known) return known;
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('jwk', { ...jwk, ext: true }, SIGN_ALGORITHM, false, ['verify']);
  } catch {
    throw new ParleyError('ERR_BAD_REQUEST', 'the public key is not a valid P-256 point');
  }
  if (imported.size >= IMPORTED_MAX) imported.delete(imported.keys().next().value!); // the oldest
  imported.set(id, key);
  return key;
}

async function verify(jwk: PublicJwk, signature: string, statement: Uint8Array): Promise<boolean> {
  const key = await importPublicKey(jwk);
  return crypto.subtle.verify(SIGN_PARAMS, key, fromBase64Url(signature) as BufferSource, statement as BufferSource);
}

export class Auth {
  constructor(
    private readonly store: Store,
    private readonly tickets: TicketAuthority,
    private readonly serviceKeyId: string,
    private readonly now: () => number,
    private readonly coordinator: Coordinator,
    private readonly admission: Admission = 'open',
  ) {}

  /**
   * Registers name → key. Registering the same name with the same key again is a no-op. With
   * invitation admission the roles are bound to the invitation: it may grant only some (omitted
   * roles then default to those); with open admission they are self-declared.
   */
  async register(
    name: string,
    publicKey: PublicJwk,
    roles?: Role[],
    invite?: string,
  ): Promise<{ name: string; keyId: string; created: boolean }> {
    await importPublicKey(publicKey);
    const keyId = keyIdOf(publicKey);
    const existing = await this.store.getParticipant(name);
    if (existing) {
      if (existing.revokedAt !== null) throw new ParleyError('ERR_REVOKED', `"${name}" was revoked by the operator`);
      if (existing.keyId !== keyId)
        throw new ParleyError('ERR_NAME_TAKEN', `the name "${name}" is registered with another key`);
      return { name, keyId, created: false };
    }
    let granted = roles ?? DEFAULT_ROLES;
    if (this.admission === 'invite') {
      const noInvite = new ParleyError(
        'ERR_ADMISSION',
        'this service admits participants by invitation: ask the operator for a code',
      );
      const code = invite ? hashInvite(invite) : null;
      const found = code ? await this.store.getInvite(code, this.now()) : null;
      if (!code || !found) throw noInvite;
      granted = roles ?? found.roles ?? DEFAULT_ROLES;
      const allowed = found.roles;
      const refused = allowed ? granted.filter((r) => !allowed.includes(r)) : [];
      if (allowed && refused.length > 0)
        throw new ParleyError(
          'ERR_ROLE',
          `this invitation admits the roles ${allowed.join(', ')}, not ${refused.join(', ')}`,
        );
      if (!(await this.store.useInvite(code, this.now()))) throw noInvite;
    }
    await this.store.addParticipant({
      name,
      publicKey,
      keyId,
      roles: [...new Set(granted)],
      createdAt: this.now(),
      revokedAt: null,
    });
    return { name, keyId, created: true };
  }

  /** A fresh challenge for `name`, asked from `address` (the client-address.ts key). */
  async challenge(
    name: string,
    address: string,
  ): Promise<{ challenge: string; serviceKeyId: string; expiresAt: number }> {
    await this.active(name);
    const challenge = toBase64Url(randomBytes(32));
    const now = this.now();
    const expires = now + CHALLENGE_TTL_MS;
    const caps = { perAddress: MAX_OPEN_CHALLENGES_PER_ADDRESS, total: MAX_OPEN_CHALLENGES };
    const r = await this.coordinator.openChallenge(challenge, { name, expires, address }, caps, now);
    if (r === 'address')
      throw new ParleyError('ERR_RATE_LIMITED', 'too many open login challenges from this address; retry shortly');
    if (r === 'total') throw new ParleyError('ERR_RATE_LIMITED', 'too many open login challenges; retry shortly');
    return { challenge, serviceKeyId: this.serviceKeyId, expiresAt: expires };
  }

  /** Checks the signed challenge (consumed before verification) and issues a session ticket. */
  async login(name: string, challenge: string, signature: string): Promise<{ ticket: string; expiresAt: number }> {
    await this.consume(name, challenge);
    const p = await this.active(name);
    if (!(await verify(p.publicKey, signature, loginStatement(name, challenge, this.serviceKeyId)))) {
      throw new ParleyError('ERR_BAD_SIGNATURE', 'the challenge signature does not verify under the registered key');
    }
    return this.tickets.issueSession(name, p.keyId);
  }

  /** Replaces the key: the old key authorises, the new key proves possession. Old tickets stop working. */
  async rotate(
    name: string,
    challenge: string,
    newPublicKey: PublicJwk,
    signature: string,
    newSignature: string,
  ): Promise<{ keyId: string }> {
    await this.consume(name, challenge);
    const p = await this.active(name);
    const statement = rotationStatement(name, challenge, this.serviceKeyId, newPublicKey);
    if (!(await verify(p.publicKey, signature, statement)))
      throw new ParleyError('ERR_BAD_SIGNATURE', 'the rotation is not signed by the current key');
    if (!(await verify(newPublicKey, newSignature, statement)))
      throw new ParleyError('ERR_BAD_SIGNATURE', 'the rotation is not signed by the new key');
    const keyId = keyIdOf(newPublicKey);
    await this.store.setKey(name, newPublicKey, keyId);
    return { keyId };
  }

  /** The participant, if registered and not revoked. */
  async active(name: string): Promise<Participant> {
    const p = await this.store.getParticipant(name);
    if (!p) throw new ParleyError('ERR_UNKNOWN_PARTICIPANT', `no participant "${name}"`);
    if (p.revokedAt !== null) throw new ParleyError('ERR_REVOKED', `"${name}" was revoked by the operator`);
    return p;
  }

  private async consume(name: string, challenge: string): Promise<void> {
    const open = await this.coordinator.consumeChallenge(challenge, this.now());
    if (open === 'replay') throw new ParleyError('ERR_TICKET_REPLAY', 'this challenge answer was already presented');
    if (!open || open.name !== name || open.expires < this.now()) {
      throw new ParleyError('ERR_CHALLENGE_INVALID', 'the challenge is unknown, expired, used, or for another name');
    }
  }
}
