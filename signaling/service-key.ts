// The service's own Ed25519 signing key, used to sign tickets and ledger entries; its public
// half is published. Embedded, it is made on first start and kept in the data folder with
// owner-only permissions. For several nodes it is provisioned as a file
// (PARLEY_SERVICE_KEY_FILE, made once by `npm run admin -- keygen FILE`), never generated, and
// every node checks at start that the database records the same key id (the first to start
// records it), so that no node signs with a key the others and the ledger do not know.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { ParleyError } from '../shared/errors.js';
import type { Store } from './store.js';

export interface ServiceKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  keyId: string;
}

const FILE = 'service-key.json';

/** Writes a new private key (JWK) to `path`, owner-only; refuses to overwrite. Returns its key id. */
export async function writeNewServiceKey(path: string): Promise<string> {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const privateJwk = await exportJWK(pair.privateKey);
  writeFileSync(path, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' });
  const { d: _secret, ...publicJwk } = privateJwk;
  return calculateJwkThumbprint(publicJwk);
}

/**
 * The key from `keyFile` when given (it must exist: a provisioned key is never generated), else
 * from the data folder, made there on first start.
 */
export async function loadServiceKey(dataDir: string, keyFile?: string): Promise<ServiceKey> {
  const path = keyFile ?? join(dataDir, FILE);
  if (!existsSync(path)) {
    if (keyFile)
      throw new ParleyError(
        'ERR_CONFIG',
        `PARLEY_SERVICE_KEY_FILE ${keyFile} does not exist: make it once with npm run admin -- keygen FILE`,
      );
    mkdirSync(dataDir, { recursive: true });
    await writeNewServiceKey(path);
  }
  let privateJwk: JWK;
  try {
    privateJwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
    if (privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519' || typeof privateJwk.d !== 'string')
      throw new Error('not an Ed25519 private JWK');
  } catch (e) {
    throw new ParleyError('ERR_CONFIG', `the service key ${path} is not usable: ${(e as Error).message}`);
  }
  const { d: _secret, ...publicJwk } = privateJwk;
  const keyId = await calculateJwkThumbprint(publicJwk);
  const privateKey = (await importJWK({ ...privateJwk, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey;
  return { privateKey, publicJwk: { ...publicJwk, kid: keyId, alg: 'EdDSA', use: 'sig' }, keyId };
}

/** Refuses (ERR_CONFIG) a key other than the one the store records; the first start records it. */
export async function checkServiceKey(store: Pick<Store, 'recordServiceKey'>, key: ServiceKey): Promise<void> {
  const recorded = await store.recordServiceKey(key.keyId);
  if (recorded !== key.keyId)
    throw new ParleyError(
      'ERR_CONFIG',
      `this node's service key ${key.keyId} is not the key the database records (${recorded}): give every node the same PARLEY_SERVICE_KEY_FILE`,
    );
}
