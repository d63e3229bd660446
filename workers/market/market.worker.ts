// The marketplace worker of a page (exposed with comlink): the heavy work outside jobs. A
// seller prepares a listing (key pair, encrypted table, test key and synthetic test rows); a
// buyer runs a computation on a listing's test data with the published test key. Results carry
// coded errors as values, as in workers/engine-api.ts.

import * as Comlink from 'comlink';
import { toErrorInfo } from '../../shared/errors.js';
import { fromBase64Url, toBase64Url } from '../../shared/random.js';
import type { Outcome } from '../engine-api.js';
import { computeTest } from './buyer.js';
import { checkSpec, COMPUTATIONS } from './computations.js';
import { generateKeys, privateKeyFromBytes, privateKeyToBytes, publicKeyToJson, type PublicKeyJson } from './paillier/index.js';
import { encryptColumns, makeTestData, openTable, tableBlobFromBytes, tableBlobToBytes } from './seller.js';
import type { Column } from './table.js';

export interface PreparedListing {
  /** The listing key's private half: stays in this browser (wrapped by the page's keystore). */
  privateKey: Uint8Array;
  publicKey: PublicKeyJson;
  /** The encrypted table, as uploaded to the service and served to buyers. */
  blob: Uint8Array;
  test: { privateKey: string; publicKey: PublicKeyJson; blob: Uint8Array };
}

export type PrepareStage = 'keys' | 'encrypting' | 'test-data' | 'done';

export interface MarketWorkerApi {
  prepareListing(
    values: BigInt64Array[],
    columns: Column[],
    testRows: number,
    bits: number,
    onProgress: (stage: PrepareStage, done?: number, total?: number) => void,
  ): Promise<Outcome<PreparedListing>>;
  /** The test flow: decrypts synthetic test results with the published test key. */
  runTest(testPrivateKeyB64: string, testBlob: Uint8Array, spec: unknown, offered?: readonly string[]): Promise<Outcome<number[]>>;
}

async function outcome<T>(f: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

const api: MarketWorkerApi = {
  async prepareListing(values, columns, testRows, bits = 2048, onProgress) {
    const result = await outcome(async () => {
      onProgress('keys');
      const sk = await generateKeys(bits);
      const blob = encryptColumns(sk, columns, values, (done, total) => void onProgress('encrypting', done, total));
      onProgress('test-data');
      const test = await makeTestData(columns, testRows, randomSeed(), bits);
      const prepared: PreparedListing = {
        privateKey: privateKeyToBytes(sk),
        publicKey: publicKeyToJson(sk.publicKey),
        blob: tableBlobToBytes(blob),
        test: { privateKey: toBase64Url(privateKeyToBytes(test.key)), publicKey: publicKeyToJson(test.key.publicKey), blob: tableBlobToBytes(test.blob) },
      };
      onProgress('done');
      return prepared;
    });
    // comlink transfers what is registered on the value it returns, so register the outcome.
    if (!result.ok) return result;
    const p = result.value;
    return Comlink.transfer(result, [p.privateKey.buffer, p.blob.buffer, p.test.blob.buffer] as ArrayBuffer[]);
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
