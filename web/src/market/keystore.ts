// The listing private keys of this browser: each is wrapped (AES-GCM) by one non-extractable
// key that never leaves IndexedDB, and stored per listing id. Page script can use the wrapping
// key but cannot export it; clearing the site's storage loses the listing keys
// (ERR_KEY_UNAVAILABLE), which is the point: they live nowhere else.

import { createStore, get, set, type UseStore } from 'idb-keyval';
import { ParleyError } from '../../../shared/errors.js';

const WRAP_KEY = 'wrap-key.v1';
let db: UseStore | null = null;
const store = () => (db ??= createStore('parley-market-keys', 'keys'));

interface Wrapped {
  iv: Uint8Array;
  data: ArrayBuffer;
}

async function wrappingKey(create: boolean): Promise<CryptoKey | null> {
  const existing = await get<CryptoKey>(WRAP_KEY, store());
  if (existing || !create) return existing ?? null;
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  await set(WRAP_KEY, key, store());
  return key;
}

const aad = (listing: string) => new TextEncoder().encode(`parley-listing-key:${listing}`);

/** Stores a listing's private key bytes, wrapped; the listing id is bound as associated data. */
export async function saveListingKey(listing: string, privateKey: Uint8Array): Promise<void> {
  const key = (await wrappingKey(true))!;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aad(listing) },
    key,
    privateKey as BufferSource,
  );
  await set(`listing:${listing}`, { iv, data } satisfies Wrapped, store());
}

/** The listing's private key bytes, or ERR_KEY_UNAVAILABLE when this browser does not hold it. */
export async function loadListingKey(listing: string): Promise<Uint8Array> {
  const key = await wrappingKey(false);
  const wrapped = await get<Wrapped>(`listing:${listing}`, store());
  if (!key || !wrapped)
    throw new ParleyError('ERR_KEY_UNAVAILABLE', `the private key of listing ${listing} is not in this browser`);
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: wrapped.iv as BufferSource, additionalData: aad(listing) },
        key,
        wrapped.data,
      ),
    );
  } catch {
    throw new ParleyError('ERR_KEY_UNAVAILABLE', `the stored key of listing ${listing} cannot be unwrapped`);
  }
}
