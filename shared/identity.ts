// Who a participant is and what it signs to prove its key: its name's form, the login
// statement, and the key algorithm used by tabs (WebCrypto ECDSA P-256) and checked by the service.

import { z } from 'zod';

export const SIGN_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGN_PARAMS = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Names are what peers see; keep them short and unambiguous. */
export const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,32}$/;
export const nameSchema = z.string().regex(NAME_PATTERN);

/** Public key as a P-256 JWK with only the public fields. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

/**
 * The exact bytes a tab signs to log in. Domain-separated, and bound to the name and the
 * service's own key id, so an answer for one service or one name is useless elsewhere.
 */
export function loginStatement(name: string, challenge: string, serviceKeyId: string): Uint8Array {
  return new TextEncoder().encode(`parley-login-v1\n${serviceKeyId}\n${name}\n${challenge}`);
}

/**
 * The statement both keys sign to rotate a participant's key: the old key authorises the new
 * one, the new key proves it is held. Bound to a fresh single-use challenge.
 */
export function rotationStatement(
  name: string,
  challenge: string,
  serviceKeyId: string,
  newKey: PublicJwk,
): Uint8Array {
  return new TextEncoder().encode(`parley-rotate-v1\n${serviceKeyId}\n${name}\n${newKey.x}.${newKey.y}\n${challenge}`);
}
