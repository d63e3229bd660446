// The service's own Ed25519 signing key: made on first start, kept in the data folder with
// owner-only permissions, used to sign tickets; its public half is published.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export interface ServiceKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  keyId: string;
}

const FILE = 'service-key.json';

export async function loadServiceKey(dataDir: string): Promise<ServiceKey> {
  const path = join(dataDir, FILE);
  let privateJwk: JWK;
  if (existsSync(path)) {
    privateJwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
  } else {
    const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    privateJwk = await exportJWK(pair.privateKey);
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d: _secret, ...publicJwk } = privateJwk;
  const keyId = await calculateJwkThumbprint(publicJwk);
  const privateKey = (await importJWK({ ...privateJwk, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey;
  return { privateKey, publicJwk: { ...publicJwk, kid: keyId, alg: 'EdDSA', use: 'sig' }, keyId };
}
