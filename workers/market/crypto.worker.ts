// One of the page's Paillier workers (crypto-workers.ts), exposed with comlink: it works on the
// range of items it is given. Keys arrive as bytes (private) or JSON (public) and are
// imported once, then named by key id; the key holder's randomness tables and precomputed
// values, and the public randomness table, are kept per key. Results carry coded errors as
// values (comlink keeps only name and message of thrown errors), as in workers/outcome.ts.

import * as Comlink from 'comlink';
import { ParleyError } from '../../shared/errors.js';
import { type Outcome, outcome } from '../outcome.js';
import {
  ciphertextsFromBytes,
  ciphertextsToBytes,
  decryptRaw,
  encodeSigned,
  encryptWith,
  HolderRandomness,
  maskForSharesPacked,
  type PrivateKey,
  type PublicKey,
  type PublicKeyJson,
  PublicRandomness,
  privateKeyFromBytes,
  publicKeyFromJson,
  publicKeyToJson,
  RandomnessStock,
  sharesFromMaskedPacked,
  sum,
  weightedSum,
} from './paillier/index.js';

/** Calls back with (items done since the last call) at most every PROGRESS_MS. */
export type WorkerProgress = (done: number) => void;

export interface PrecomputeFigures {
  /** Building the fixed-base tables (first use of the key in this worker; 0 afterwards). */
  tablesSeconds: number;
  /** Drawing the precomputed values. */
  drawSeconds: number;
  /** Values now waiting in this worker's stock for the key. */
  stocked: number;
}

export interface CryptoWorkerApi {
  /** Imports (validates) a private key once; returns its public key. */
  importPrivateKey(bytes: Uint8Array): Promise<Outcome<PublicKeyJson>>;
  /** Imports a public key once (its key id is checked against n). */
  importPublicKey(json: PublicKeyJson): Promise<Outcome<string>>;
  /** Key holder: precomputes encryption randomness until `count` values wait for the key (none if they already do). */
  precompute(keyId: string, count: number, onProgress?: WorkerProgress): Promise<Outcome<PrecomputeFigures>>;
  /** Key holder: encrypts signed values (segments of columns) with the precomputed values; ciphertext bytes per segment. */
  encrypt(
    keyId: string,
    segments: BigInt64Array[],
    onProgress?: WorkerProgress,
  ): Promise<Outcome<{ bytes: Uint8Array[]; seconds: number }>>;
  /** Enc(sum) of the ciphertexts in bytes. */
  sum(keyId: string, bytes: Uint8Array): Promise<Outcome<{ c: bigint; parseSeconds: number; seconds: number }>>;
  /** Enc(sum w_i m_i) of the ciphertexts in bytes with signed weights. */
  weightedSum(
    keyId: string,
    bytes: Uint8Array,
    weights: BigInt64Array,
  ): Promise<Outcome<{ c: bigint; parseSeconds: number; seconds: number }>>;
  /** Key holder: plaintexts in [0, n). */
  decryptRaw(keyId: string, bytes: Uint8Array): Promise<Outcome<bigint[]>>;
  /** Buyer: masked ciphertexts (bytes) and the buyer's shares. */
  maskForShares(
    keyId: string,
    bytes: Uint8Array,
    ellBits: number,
  ): Promise<Outcome<{ masked: Uint8Array; shares: BigUint64Array }>>;
  /** Key holder: its shares of masked ciphertexts. */
  sharesFromMasked(keyId: string, bytes: Uint8Array, count: number, ellBits: number): Promise<Outcome<BigUint64Array>>;
  /** Drops a key's precomputed values and tables. */
  forget(keyId: string): Promise<void>;
}

const PROGRESS_MS = 200;

interface Held {
  sk: PrivateKey;
  holder: HolderRandomness | null;
  stock: RandomnessStock | null;
}

const privateKeys = new Map<string, Held>();
const publicKeys = new Map<string, { pk: PublicKey; randomness: PublicRandomness | null }>();

function held(keyId: string): Held {
  const h = privateKeys.get(keyId);
  if (!h) throw new ParleyError('ERR_WRONG_KEY', `this worker holds no private key ${keyId}`);
  return h;
}

function publicKey(keyId: string): { pk: PublicKey; randomness: PublicRandomness | null } {
  const p = publicKeys.get(keyId);
  if (!p) throw new ParleyError('ERR_WRONG_KEY', `this worker holds no public key ${keyId}`);
  return p;
}

function holderStock(h: Held): { stock: RandomnessStock; tablesSeconds: number } {
  let tablesSeconds = 0;
  if (!h.holder) {
    const t = performance.now();
    h.holder = new HolderRandomness(h.sk);
    tablesSeconds = (performance.now() - t) / 1000;
  }
  h.stock ??= new RandomnessStock(h.holder);
  return { stock: h.stock, tablesSeconds };
}

/** Reports progress in chunks, at most every PROGRESS_MS (and the rest at the end). */
function reporter(onProgress?: WorkerProgress): { tick(): void; end(): void } {
  let pending = 0;
  let last = performance.now();
  const flush = () => {
    if (pending > 0 && onProgress) void onProgress(pending);
    pending = 0;
    last = performance.now();
  };
  return {
    tick() {
      pending++;
      if ((pending & 63) === 0 && performance.now() - last >= PROGRESS_MS) flush();
    },
    end: flush,
  };
}

const seconds = (since: number) => (performance.now() - since) / 1000;

const api: CryptoWorkerApi = {
  importPrivateKey(bytes) {
    return outcome(async () => {
      const sk = await privateKeyFromBytes(bytes);
      const keyId = sk.publicKey.keyId;
      if (!privateKeys.has(keyId)) privateKeys.set(keyId, { sk, holder: null, stock: null });
      if (!publicKeys.has(keyId)) publicKeys.set(keyId, { pk: sk.publicKey, randomness: null });
      return publicKeyToJson(sk.publicKey);
    });
  },

  importPublicKey(json) {
    return outcome(async () => {
      if (publicKeys.has(json?.keyId)) return json.keyId;
      const pk = await publicKeyFromJson(json);
      publicKeys.set(pk.keyId, { pk, randomness: null });
      return pk.keyId;
    });
  },

  precompute(keyId, count, onProgress) {
    return outcome(() => {
      const h = held(keyId);
      const { stock, tablesSeconds } = holderStock(h);
      const t = performance.now();
      const progress = reporter(onProgress);
      for (let i = stock.size; i < count; i++) {
        stock.fill(1);
        progress.tick();
      }
      progress.end();
      return { tablesSeconds, drawSeconds: seconds(t), stocked: stock.size };
    });
  },

  encrypt(keyId, segments, onProgress) {
    return outcome(
      () => {
        const h = held(keyId);
        const pk = h.sk.publicKey;
        const { stock } = holderStock(h);
        const t = performance.now();
        const progress = reporter(onProgress);
        const bytes = segments.map((values) => {
          const cs = new Array<bigint>(values.length);
          for (let i = 0; i < values.length; i++) {
            cs[i] = encryptWith(pk, encodeSigned(values[i]!, pk), stock.take());
            progress.tick();
          }
          return ciphertextsToBytes(pk, cs);
        });
        progress.end();
        return { bytes, seconds: seconds(t) };
      },
      (v) => v.bytes.map((b) => b.buffer),
    );
  },

  sum(keyId, bytes) {
    return outcome(() => {
      const { pk } = publicKey(keyId);
      const t = performance.now();
      const cs = ciphertextsFromBytes(pk, bytes);
      const parseSeconds = seconds(t);
      return { c: sum(pk, cs), parseSeconds, seconds: seconds(t) };
    });
  },

  weightedSum(keyId, bytes, weights) {
    return outcome(() => {
      const { pk } = publicKey(keyId);
      const t = performance.now();
      const cs = ciphertextsFromBytes(pk, bytes);
      const parseSeconds = seconds(t);
      return { c: weightedSum(pk, cs, Array.from(weights)), parseSeconds, seconds: seconds(t) };
    });
  },

  decryptRaw(keyId, bytes) {
    return outcome(() => {
      const { sk } = held(keyId);
      return ciphertextsFromBytes(sk.publicKey, bytes).map((c) => decryptRaw(sk, c));
    });
  },

  maskForShares(keyId, bytes, ellBits) {
    return outcome(
      () => {
        const entry = publicKey(keyId);
        entry.randomness ??= new PublicRandomness(entry.pk);
        const { masked, shares } = maskForSharesPacked(
          entry.pk,
          ciphertextsFromBytes(entry.pk, bytes),
          ellBits,
          entry.randomness,
        );
        return { masked: ciphertextsToBytes(entry.pk, masked), shares };
      },
      (v) => [v.masked.buffer, v.shares.buffer],
    );
  },

  sharesFromMasked(keyId, bytes, count, ellBits) {
    return outcome(
      () => {
        const { sk } = held(keyId);
        return sharesFromMaskedPacked(sk, ciphertextsFromBytes(sk.publicKey, bytes), count, ellBits);
      },
      (v) => [v.buffer],
    );
  },

  async forget(keyId) {
    privateKeys.delete(keyId);
    publicKeys.delete(keyId);
  },
};

Comlink.expose(api);
