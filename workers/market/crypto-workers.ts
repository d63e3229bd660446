// The page's Paillier workers: N crypto workers (crypto.worker.ts; default
// navigator.hardwareConcurrency, at least 2) driven with comlink. Each call splits its items into contiguous ranges, one per
// worker (crypto-split.ts), moves the pieces with transfers, and puts the results together: bytes
// per column, shares and plaintexts in order, and partial sums combined by one multiplication
// each. Keys go to the workers as bytes (private) or JSON (public), once per worker and key id.
// Encryption is two phases: every worker precomputes its randomness, then encrypts (timed apart);
// the precomputation is nearly all of the cost (figures: npm run bench:market, README).

import * as Comlink from 'comlink';
import { ParleyError } from '../../shared/errors.js';
import { unwrap } from '../outcome.js';
import type { CryptoWorkerApi, PrecomputeFigures } from './crypto.worker.js';
import {
  assembleColumns,
  columnSegments,
  combineProducts,
  concatBigUint64,
  concatBytes,
  itemCount,
  type Segment,
  sliceItems,
  splitRange,
} from './crypto-split.js';
import {
  ciphertextBytes,
  conversionLayout,
  type PublicKey,
  type PublicKeyJson,
  publicKeyFromJson,
} from './paillier/index.js';

type EncryptPhase = 'precompute' | 'encrypt';
export type EncryptProgress = (phase: EncryptPhase, done: number, total: number) => void;

export interface EncryptedColumns {
  /** Ciphertext bytes per column (fixed width, big-endian, in row order). */
  columns: Uint8Array[];
  keyId: string;
  /** Wall time of the randomness precomputation (all workers, tables included). */
  precomputeSeconds: number;
  /** Wall time of encryption with the precomputed randomness, bytes included. */
  onlineSeconds: number;
  workers: { items: number; tablesSeconds: number; drawSeconds: number; encryptSeconds: number }[];
}

export interface CryptoWorkersOptions {
  /** Workers to start (default navigator.hardwareConcurrency, at least 2). */
  size?: number;
  /** Items below which a call uses fewer workers (default 64 per worker). */
  minPerWorker?: number;
  /** Makes one worker (tests, other bundlers). */
  createWorker?: (index: number) => Worker;
}

const defaultWorker = (i: number) =>
  new Worker(new URL('./crypto.worker.ts', import.meta.url), { type: 'module', name: `parley-crypto-${i}` });

const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
const since = (t: number) => (performance.now() - t) / 1000;

/** Per-worker figures of the last sum or weighted sum (parsing bytes, then reducing). */
export interface ReduceFigures {
  items: number;
  parseSeconds: number;
  seconds: number;
}

export class CryptoWorkers {
  readonly size: number;
  /** The workers' figures of the last sum or weightedSum. */
  lastReduce: ReduceFigures[] = [];
  private readonly workers: Worker[];
  private readonly apis: Comlink.Remote<CryptoWorkerApi>[];
  private readonly minPerWorker: number;
  /** SHA-256 of private key bytes -> its public key, once every worker imported it. */
  private readonly privateKeys = new Map<string, Promise<PublicKey>>();
  /** Key id -> public key, once every worker imported it. */
  private readonly publicKeys = new Map<string, Promise<PublicKey>>();

  constructor(options: CryptoWorkersOptions = {}) {
    const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
    this.size = Math.max(options.size ?? Math.max(2, cores), 1);
    this.minPerWorker = options.minPerWorker ?? 64;
    const make = options.createWorker ?? defaultWorker;
    this.workers = Array.from({ length: this.size }, (_, i) => make(i));
    this.apis = this.workers.map((w) => Comlink.wrap<CryptoWorkerApi>(w));
  }

  /** Imports a private key into every worker (once); its public key. */
  usePrivateKey(bytes: Uint8Array): Promise<PublicKey> {
    const digest = crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>).then(hex);
    return digest.then((d) => {
      let p = this.privateKeys.get(d);
      if (!p) {
        p = Promise.all(this.apis.map((a) => unwrap(a.importPrivateKey(bytes)))).then(([json]) =>
          publicKeyFromJson(json!),
        );
        p.catch(() => this.privateKeys.delete(d));
        this.privateKeys.set(d, p);
      }
      return p;
    });
  }

  /** Imports a public key into every worker (once per key id). */
  usePublicKey(json: PublicKeyJson): Promise<PublicKey> {
    let p = this.publicKeys.get(json?.keyId);
    if (!p) {
      p = publicKeyFromJson(json).then(async (pk) => {
        await Promise.all(this.apis.map((a) => unwrap(a.importPublicKey(json))));
        return pk;
      });
      p.catch(() => this.publicKeys.delete(json?.keyId));
      this.publicKeys.set(json?.keyId, p);
    }
    return p;
  }

  /** Ranges of `total` items, one per worker used. */
  private ranges(total: number) {
    return splitRange(total, this.size, this.minPerWorker);
  }

  /**
   * Precomputes randomness for `total` values ahead of encryptColumns (e.g. while the seller
   * fills in the listing), split as encryptColumns will split them; calling it again, or
   * encryptColumns meanwhile, only tops the workers' stocks up.
   */
  async precompute(
    privateKey: Uint8Array,
    total: number,
    onProgress?: (done: number, total: number) => void,
  ): Promise<PrecomputeFigures[]> {
    const pk = await this.usePrivateKey(privateKey);
    let done = 0;
    const tick = onProgress && Comlink.proxy((n: number) => onProgress((done += n), total));
    return this.precomputeRanges(pk.keyId, this.ranges(total), tick);
  }

  private precomputeRanges(
    keyId: string,
    ranges: { start: number; end: number }[],
    tick?: (n: number) => void,
  ): Promise<PrecomputeFigures[]> {
    return Promise.all(ranges.map((r, i) => unwrap(this.apis[i]!.precompute(keyId, r.end - r.start, tick))));
  }

  /** Drops a key's tables and unused precomputed values in every worker. */
  async forget(keyId: string): Promise<void> {
    for (const [digest, p] of this.privateKeys)
      if ((await p.catch(() => null))?.keyId === keyId) this.privateKeys.delete(digest);
    this.publicKeys.delete(keyId);
    await Promise.all(this.apis.map((a) => a.forget(keyId)));
  }

  /**
   * Encrypts signed values column by column: every worker precomputes randomness for its
   * range (HolderRandomness), then encrypts it (encryptWith). Progress counts values per phase.
   */
  async encryptColumns(
    privateKey: Uint8Array,
    values: readonly BigInt64Array[],
    onProgress?: EncryptProgress,
  ): Promise<EncryptedColumns> {
    const pk = await this.usePrivateKey(privateKey);
    const lengths = values.map((v) => v.length);
    const total = lengths.reduce((a, b) => a + b, 0);
    const ranges = this.ranges(total);
    const progress = (phase: EncryptPhase) => {
      let done = 0;
      return Comlink.proxy((n: number) => {
        done += n;
        onProgress?.(phase, done, total);
      });
    };

    let t = performance.now();
    const figures = await this.precomputeRanges(pk.keyId, ranges, onProgress ? progress('precompute') : undefined);
    const precomputeSeconds = since(t);

    t = performance.now();
    const enc = progress('encrypt');
    const segments: Segment[][] = ranges.map((r) => columnSegments(lengths, r));
    const results = await Promise.all(
      ranges.map((_, i) => {
        const slices = segments[i]!.map((s) => values[s.column]!.slice(s.start, s.end));
        return unwrap(
          this.apis[i]!.encrypt(
            pk.keyId,
            Comlink.transfer(
              slices,
              slices.map((s) => s.buffer),
            ),
            onProgress ? enc : undefined,
          ),
        );
      }),
    );
    const columns = assembleColumns(
      lengths,
      ciphertextBytes(pk),
      segments.flat(),
      results.flatMap((r) => r.bytes),
    );
    const onlineSeconds = since(t);
    return {
      columns,
      keyId: pk.keyId,
      precomputeSeconds,
      onlineSeconds,
      workers: ranges.map((r, i) => ({
        items: r.end - r.start,
        tablesSeconds: figures[i]!.tablesSeconds,
        drawSeconds: figures[i]!.drawSeconds,
        encryptSeconds: results[i]!.seconds,
      })),
    };
  }

  /** Each worker's piece of the ciphertexts in bytes (copied into its own buffer and transferred). */
  private pieces(pk: PublicKey, bytes: Uint8Array) {
    const width = ciphertextBytes(pk);
    const ranges = this.ranges(itemCount(bytes, width));
    return ranges.map((r) => ({ range: r, bytes: sliceItems(bytes, width, r) }));
  }

  /** Enc(sum) of a column's ciphertexts: each worker reduces its range; the page multiplies the partial sums. */
  async sum(publicKey: PublicKeyJson, columnBytes: Uint8Array): Promise<bigint> {
    const pk = await this.usePublicKey(publicKey);
    const pieces = this.pieces(pk, columnBytes);
    const parts = await Promise.all(
      pieces.map((p, i) => unwrap(this.apis[i]!.sum(pk.keyId, Comlink.transfer(p.bytes, [p.bytes.buffer])))),
    );
    this.noteReduce(
      pieces.map((p) => p.range.end - p.range.start),
      parts,
    );
    return combineProducts(
      parts.map((p) => p.c),
      pk.n2,
    );
  }

  /** Enc(sum w_i m_i) with signed weights (one per ciphertext), split like sum. */
  async weightedSum(publicKey: PublicKeyJson, columnBytes: Uint8Array, weights: BigInt64Array): Promise<bigint> {
    const pk = await this.usePublicKey(publicKey);
    const pieces = this.pieces(pk, columnBytes);
    const count = pieces.reduce((s, p) => s + p.range.end - p.range.start, 0);
    if (weights.length !== count)
      throw new ParleyError('ERR_LENGTH_MISMATCH', `expected ${count} weights, got ${weights.length}`);
    const parts = await Promise.all(
      pieces.map((p, i) => {
        const w = weights.slice(p.range.start, p.range.end);
        return unwrap(
          this.apis[i]!.weightedSum(
            pk.keyId,
            Comlink.transfer(p.bytes, [p.bytes.buffer]),
            Comlink.transfer(w, [w.buffer]),
          ),
        );
      }),
    );
    this.noteReduce(
      pieces.map((p) => p.range.end - p.range.start),
      parts,
    );
    return combineProducts(
      parts.map((p) => p.c),
      pk.n2,
    );
  }

  private noteReduce(items: number[], parts: { parseSeconds: number; seconds: number }[]): void {
    this.lastReduce = parts.map((p, i) => ({ items: items[i]!, parseSeconds: p.parseSeconds, seconds: p.seconds }));
  }

  /** Plaintexts in [0, n) of the ciphertexts, in order. */
  async decryptRaw(privateKey: Uint8Array, bytes: Uint8Array): Promise<bigint[]> {
    const pk = await this.usePrivateKey(privateKey);
    const parts = await Promise.all(
      this.pieces(pk, bytes).map((p, i) =>
        unwrap(this.apis[i]!.decryptRaw(pk.keyId, Comlink.transfer(p.bytes, [p.bytes.buffer]))),
      ),
    );
    return parts.flat();
  }

  /**
   * Item ranges that start on pack boundaries (`slots` values per pack), one per worker, so the
   * workers' packs laid end to end are the packs of the whole column.
   */
  private packRanges(count: number, slots: number) {
    return this.ranges(Math.ceil(count / slots)).map((r) => ({
      start: r.start * slots,
      end: Math.min(count, r.end * slots),
      packs: r,
    }));
  }

  /** Buyer: packed masked ciphertexts for the key holder (bytes, in order) and the buyer's shares. */
  async maskForShares(
    publicKey: PublicKeyJson,
    bytes: Uint8Array,
    ellBits: number,
  ): Promise<{ masked: Uint8Array; shares: BigUint64Array }> {
    const pk = await this.usePublicKey(publicKey);
    const width = ciphertextBytes(pk);
    const ranges = this.packRanges(itemCount(bytes, width), conversionLayout(pk, ellBits).slots);
    const parts = await Promise.all(
      ranges.map((r, i) => {
        const piece = sliceItems(bytes, width, r);
        return unwrap(this.apis[i]!.maskForShares(pk.keyId, Comlink.transfer(piece, [piece.buffer]), ellBits));
      }),
    );
    return { masked: concatBytes(parts.map((p) => p.masked)), shares: concatBigUint64(parts.map((p) => p.shares)) };
  }

  /** Key holder: its shares (y mod 2^64) of `count` values from their packs, in order. */
  async sharesFromMasked(
    privateKey: Uint8Array,
    bytes: Uint8Array,
    count: number,
    ellBits: number,
  ): Promise<BigUint64Array> {
    const pk = await this.usePrivateKey(privateKey);
    const width = ciphertextBytes(pk);
    const ranges = this.packRanges(count, conversionLayout(pk, ellBits).slots);
    const parts = await Promise.all(
      ranges.map((r, i) => {
        const piece = sliceItems(bytes, width, r.packs);
        return unwrap(
          this.apis[i]!.sharesFromMasked(pk.keyId, Comlink.transfer(piece, [piece.buffer]), r.end - r.start, ellBits),
        );
      }),
    );
    return concatBigUint64(parts);
  }

  /** Stops the workers; they cannot be used afterwards. */
  terminate(): void {
    for (const a of this.apis) a[Comlink.releaseProxy]();
    for (const w of this.workers) w.terminate();
  }
}
