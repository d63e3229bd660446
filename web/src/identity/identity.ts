// The tab's long-term identity: a non-extractable ECDSA P-256 key pair kept in IndexedDB with
// the participant name, so a reload keeps it. Login signs the service's fresh challenge.

import { del, get, set } from 'idb-keyval';
import {
  loginStatement,
  type PublicJwk,
  rotationStatement,
  SIGN_ALGORITHM,
  SIGN_PARAMS,
} from '../../../shared/identity.js';
import type { LoginResult, Role } from '../../../shared/protocol.js';
import { toBase64Url } from '../../../shared/random.js';
import * as api from './http.js';

const KEY = 'parley.identity.v1';

export interface Identity {
  name: string;
  keys: CryptoKeyPair;
}

export const loadIdentity = () => get<Identity>(KEY);
export const forgetIdentity = () => del(KEY);

async function publicJwk(keys: CryptoKeyPair): Promise<PublicJwk> {
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', keys.publicKey);
  return { kty, crv, x, y } as PublicJwk;
}

/** Creates the key pair (private half non-extractable), registers it, and stores it. */
export async function createIdentity(name: string, roles?: Role[], invite?: string): Promise<Identity> {
  const keys = (await crypto.subtle.generateKey(SIGN_ALGORITHM, false, ['sign', 'verify'])) as CryptoKeyPair;
  await api.register(name, await publicJwk(keys), roles, invite);
  const id = { name, keys };
  await set(KEY, id);
  return id;
}

/** Signs a fresh challenge; re-registers the same key first if the service no longer knows it. */
export async function logIn(id: Identity): Promise<LoginResult> {
  const { challenge, serviceKeyId } = await api.challenge(id.name).catch(async (e: { code?: string }) => {
    if (e.code !== 'ERR_UNKNOWN_PARTICIPANT') throw e;
    await api.register(id.name, await publicJwk(id.keys)); // e.g. the service's data folder was reset
    return api.challenge(id.name);
  });
  const sig = await crypto.subtle.sign(
    SIGN_PARAMS,
    id.keys.privateKey,
    loginStatement(id.name, challenge, serviceKeyId) as BufferSource,
  );
  return api.login(id.name, challenge, toBase64Url(new Uint8Array(sig)));
}

/** Replaces the key pair: the old key authorises the new one, which proves possession. */
export async function rotateKey(id: Identity): Promise<Identity> {
  const keys = (await crypto.subtle.generateKey(SIGN_ALGORITHM, false, ['sign', 'verify'])) as CryptoKeyPair;
  const newPublicKey = await publicJwk(keys);
  const { challenge, serviceKeyId } = await api.challenge(id.name);
  const statement = rotationStatement(id.name, challenge, serviceKeyId, newPublicKey) as BufferSource;
  const sign = async (k: CryptoKey) => toBase64Url(new Uint8Array(await crypto.subtle.sign(SIGN_PARAMS, k, statement)));
  await api.rotate(id.name, challenge, newPublicKey, await sign(id.keys.privateKey), await sign(keys.privateKey));
  const next = { name: id.name, keys };
  await set(KEY, next);
  return next;
}
