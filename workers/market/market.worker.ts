// The marketplace worker of a page (exposed with comlink): the work outside jobs that the crypto
// pool does not do. A seller makes the listing key pair (with its modulus proof) and the test
// data (a test key and synthetic rows); a buyer checks a listing key's proof before buying and
// runs a computation on a listing's test data with the published test key. The table itself is
// encrypted by the page's crypto workers. Results carry coded errors as values, as in
// workers/outcome.ts.

import * as Comlink from 'comlink';
import { fromBase64Url, toBase64Url } from '../../shared/random.js';
import { type Outcome, outcome } from '../outcome.js';
import { computeTest } from './buyer.js';
import { COMPUTATIONS, checkSpec } from './computations.js';
import {
  generateKeys,
  type ListingKeyJson,
  listingKeyFromJson,
  listingKeyToJson,
  type PublicKeyJson,
  privateKeyFromBytes,
  privateKeyToBytes,
  publicKeyToJson,
} from './paillier/index.js';
import { makeTestData, openTable, tableBlobFromBytes, tableBlobToBytes } from './seller.js';
import type { Column } from './table.js';

/** A listing key pair: the private half stays in this browser (wrapped by the page's keystore). */
export interface ListingKey {
  privateKey: Uint8Array;
  publicKey: ListingKeyJson;
}

/** Synthetic rows under a throwaway test key whose private half is published with the listing. */
export interface TestData {
  privateKey: string;
  publicKey: PublicKeyJson;
  blob: Uint8Array;
}

export interface MarketWorkerApi {
  /** A fresh Paillier key pair (WebCrypto RSA primes); the public key carries the modulus proof for `seller`. */
  makeKey(bits: number, seller: string): Promise<Outcome<ListingKey>>;
  /** A buyer's check before buying: the listing key's modulus proof for `seller` (ERR_BAD_KEY); its key id. */
  checkListingKey(publicKey: unknown, seller: string): Promise<Outcome<string>>;
  /** The listing's test data: synthetic rows with the schema's bounds, encrypted under a new test key. */
  makeTestData(columns: Column[], rows: number, bits: number): Promise<Outcome<TestData>>;
  /** The test flow: decrypts synthetic test results with the published test key. */
  runTest(
    testPrivateKeyB64: string,
    testBlob: Uint8Array,
    spec: unknown,
    offered?: readonly string[],
  ): Promise<Outcome<number[]>>;
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

const api: MarketWorkerApi = {
  makeKey(bits, seller) {
    return outcome(
      async () => {
        const sk = await generateKeys(bits);
        return { privateKey: privateKeyToBytes(sk), publicKey: listingKeyToJson(sk, seller) };
      },
      (k) => [k.privateKey.buffer],
    );
  },

  checkListingKey(publicKey, seller) {
    return outcome(async () => (await listingKeyFromJson(publicKey, seller)).keyId);
  },

  makeTestData(columns, rows, bits = 2048) {
    return outcome(
      async () => {
        const test = await makeTestData(columns, rows, randomSeed(), bits);
        return {
          privateKey: toBase64Url(privateKeyToBytes(test.key)),
          publicKey: publicKeyToJson(test.key.publicKey),
          blob: tableBlobToBytes(test.blob),
        };
      },
      (t) => [t.blob.buffer],
    );
  },

  runTest(testPrivateKeyB64, testBlob, spec, offered = COMPUTATIONS) {
    return outcome(async () => {
      const key = await privateKeyFromBytes(fromBase64Url(testPrivateKeyB64));
      const blob = tableBlobFromBytes(testBlob);
      const table = openTable(key.publicKey, blob);
      const checked = checkSpec(spec, blob.columns, blob.rows, offered);
      return computeTest(key, checked, table);
    });
  },
};

Comlink.expose(api);
