// What the marketplace bench page's two halves share in the tab: timers, the crypto workers and
// the Paillier state kept between steps (ciphertexts never travel to Node).

import '../web/src/polyfills.js';
import { CryptoWorkers } from '../workers/market/crypto-workers.js';
import type { PrivateKey, PublicKeyJson } from '../workers/market/paillier/index.js';

export const now = () => performance.now();
export const secs = (since: number) => +((now() - since) / 1000).toFixed(3);
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let pool: CryptoWorkers | null = null;
export const cryptoPool = () => (pool ??= new CryptoWorkers());

/** State kept in the tab between steps (ciphertexts never travel to Node). */
export const state: {
  sk?: PrivateKey;
  skBytes?: Uint8Array;
  pkJson?: PublicKeyJson;
  values?: BigInt64Array;
  bytes?: Uint8Array;
} = {};
