// What the service publishes to anyone: the client configuration (ICE servers, admission, grace
// period) and its Ed25519 public key, which checks peers' job tickets and countersigned ledger
// entries. The key is fetched once per tab (again after a failed fetch).

import { ParleyError } from '../../../shared/errors.js';
import { importServiceKey } from '../../../shared/ledger.js';
import type { ClientConfig } from '../../../shared/protocol.js';

const DEFAULT_CONFIG: ClientConfig = { iceServers: [], admission: 'open', graceMs: 20_000 };

export async function getConfig(): Promise<ClientConfig> {
  try {
    const res = await fetch('/api/config');
    if (res.ok) return (await res.json()) as ClientConfig;
  } catch {
    /* fall through to the default */
  }
  return DEFAULT_CONFIG;
}

export interface ServiceJwk {
  kty?: string;
  crv?: string;
  x?: string;
}

let jwk: Promise<ServiceJwk> | null = null;
let key: Promise<CryptoKey> | null = null;

/** The service's public JWK, as published at /.well-known/parley-service-key. */
export function getServiceJwk(): Promise<ServiceJwk> {
  jwk ??= fetch('/.well-known/parley-service-key').then(async (res) => {
    if (!res.ok) throw new ParleyError('ERR_INTERNAL', 'cannot fetch the service key');
    return (await res.json()) as ServiceJwk;
  });
  jwk.catch(() => (jwk = null));
  return jwk;
}

/** The service's public key, ready to verify its signatures. */
export function getServiceKey(): Promise<CryptoKey> {
  key ??= getServiceJwk().then(importServiceKey);
  key.catch(() => (key = null));
  return key;
}
