// IKNP OT extension (Ishai–Kilian–Nissim–Petrank 2003, semi-honest, κ = 128): from κ base OTs in
// the reverse direction, any number of random OTs with 64-bit messages, at 16 bytes per OT on
// the wire. One instance is a long-lived session: batches use fresh PRG streams (the batch
// number) and fresh hash tweaks (the running OT index), so no correlated randomness repeats.
//
//   setup:    the extension receiver R is the base-OT sender with keys (k0_i, k1_i), i < κ;
//             the extension sender S is the base-OT receiver with random choices s ∈ {0,1}^κ.
//   batch b, m OTs, R's choice bits r ∈ {0,1}^m (padded with zeros to M, a multiple of κ):
//             R: t^i = G(k0_i, b), u^i = t^i ⊕ G(k1_i, b) ⊕ r         sends u (κ × M bits)
//             S: q^i = G(k_{s_i}, b) ⊕ s_i·u^i, so that row q_j = t_j ⊕ r_j·s
//   outputs:  S gets m0_j = H(j, q_j), m1_j = H(j, q_j ⊕ s); R gets m_{r_j} = H(j, t_j).
// G is AES-128-CTR (aes.ts), H the tweakable correlation-robust hash (hash.ts).

import { sha256 } from '@noble/hashes/sha2.js';
import { ParleyError } from '../../shared/errors.js';
import { importPrgKeys, prgStream } from '../../shared/prg.js';
import { AES_KEY_BYTES, FixedKeyAes } from './aes.js';
import { baseOtReceive, baseOtSend } from './base-ot.js';
import { roundUp, transposeRows } from './bits.js';
import type { OtChannel } from './channel.js';
import { platformRandom, type RandomSource } from './context.js';
import { hashRows } from './hash.js';
import { recvWords } from './wire.js';

export const KAPPA = 128;
/** Most OTs in one batch (bounds memory and message size: 16 MiB of u). Gilboa uses 2^18. */
const MAX_BATCH_OTS = 1 << 20;
const HASH_KEY_DOMAIN = new TextEncoder().encode('parley/iknp-hash-key/v1');

/** Columns padded to a multiple of κ bits so the κ × M matrix transposes in 32×32 blocks. */
export function paddedLength(m: number): number {
  return roundUp(m, KAPPA);
}

/** R's mask: u^i = g0_i ⊕ g1_i ⊕ r for each of the κ columns, as one κ × M matrix. */
function receiverMask(g0: readonly Uint32Array[], g1: readonly Uint32Array[], r: Uint32Array): Uint32Array {
  const w = r.length;
  const u = new Uint32Array(KAPPA * w);
  for (let i = 0; i < KAPPA; i++) {
    const a = g0[i]!;
    const b = g1[i]!;
    const base = i * w;
    for (let k = 0; k < w; k++) u[base + k] = a[k]! ^ b[k]! ^ r[k]!;
  }
  return u;
}

/** R's pure step: t = the k0 columns, u^i = g0_i ⊕ g1_i ⊕ r; both κ × M, column by column. */
export function receiverColumns(
  g0: readonly Uint32Array[],
  g1: readonly Uint32Array[],
  r: Uint32Array,
): { t: Uint32Array; u: Uint32Array } {
  const w = r.length;
  const t = new Uint32Array(KAPPA * w);
  for (let i = 0; i < KAPPA; i++) t.set(g0[i]!.subarray(0, w), i * w);
  return { t, u: receiverMask(g0, g1, r) };
}

/** S's step in place: g_i ⊕= u^i where s_i = 1, so that the g_i become the columns q^i. */
function senderColumnsInPlace(gs: readonly Uint32Array[], s: Uint32Array, u: Uint32Array): void {
  const w = u.length / KAPPA;
  for (let i = 0; i < KAPPA; i++) {
    if (((s[i >>> 5]! >>> (i & 31)) & 1) === 0) continue;
    const g = gs[i]!;
    const base = i * w;
    for (let k = 0; k < w; k++) g[k] = g[k]! ^ u[base + k]!;
  }
}

/** S's pure step: q^i = g_i ⊕ s_i·u^i, column by column (κ × M). */
export function senderColumns(gs: readonly Uint32Array[], s: Uint32Array, u: Uint32Array): Uint32Array {
  const w = u.length / KAPPA;
  const copies = gs.map((g) => g.slice(0, w));
  senderColumnsInPlace(copies, s, u);
  const q = new Uint32Array(u.length);
  copies.forEach((g, i) => q.set(g, i * w));
  return q;
}

/** Copies the first m choice bits into M/32 words, zeroing the padding. */
export function choiceWords(choices: Uint8Array, m: number, M: number): Uint32Array {
  const bytes = new Uint8Array(M / 8);
  const used = Math.ceil(m / 8);
  bytes.set(choices.subarray(0, used));
  if (m % 8 !== 0) bytes[used - 1] = bytes[used - 1]! & ((1 << (m % 8)) - 1);
  return new Uint32Array(bytes.buffer);
}

async function hashPrp(domain: number, transcript: Uint8Array): Promise<FixedKeyAes> {
  const input = new Uint8Array(HASH_KEY_DOMAIN.length + 4 + transcript.length);
  input.set(HASH_KEY_DOMAIN);
  new DataView(input.buffer).setUint32(HASH_KEY_DOMAIN.length, domain, true);
  input.set(transcript, HASH_KEY_DOMAIN.length + 4);
  return FixedKeyAes.create(sha256(input).slice(0, AES_KEY_BYTES));
}

function expandAll(keys: readonly CryptoKey[], batch: number, bytes: number): Promise<Uint32Array[]> {
  return Promise.all(keys.map(async (k) => new Uint32Array(await prgStream(k, batch, bytes))));
}

function checkOtCount(m: number): void {
  if (!Number.isSafeInteger(m) || m < 1 || m > MAX_BATCH_OTS) {
    throw new ParleyError('ERR_BAD_REQUEST', `expected 1 to ${MAX_BATCH_OTS} OTs per batch, got ${m}`);
  }
}

/** Shared counters: batch number (PRG stream) and running OT index (hash tweak). */
abstract class IknpParty {
  private nextBatch = 0;
  private nextIndex = 0;
  protected constructor(
    protected readonly pool: OtChannel,
    protected readonly peer: number,
    /** Message id prefix of this instance, unique per session. */
    readonly id: string,
    /** Distinguishes instances in the hash tweak. */
    protected readonly domain: number,
    protected readonly prp: FixedKeyAes,
  ) {}

  /** Claims the next batch: its PRG stream number and first OT index. */
  protected claim(m: number): { batch: number; first: number; M: number } {
    checkOtCount(m);
    const claimed = { batch: this.nextBatch++, first: this.nextIndex, M: paddedLength(m) };
    this.nextIndex += m;
    return claimed;
  }
}

/** The extension receiver: chooses with bits r and learns m_{r_j} per OT. */
export class IknpReceiver extends IknpParty {
  private constructor(
    pool: OtChannel,
    peer: number,
    id: string,
    domain: number,
    prp: FixedKeyAes,
    private readonly k0: CryptoKey[],
    private readonly k1: CryptoKey[],
  ) {
    super(pool, peer, id, domain, prp);
  }

  /** Runs the base OTs as their sender (messages under `${id}/base`); `domain` tags the hash. */
  static async setup(
    pool: OtChannel,
    peer: number,
    id: string,
    domain: number,
    rng?: RandomSource,
  ): Promise<IknpReceiver> {
    const base = await baseOtSend(pool, peer, `${id}/base`, KAPPA, rng);
    const [k0, k1, prp] = await Promise.all([
      importPrgKeys(base.k0),
      importPrgKeys(base.k1),
      hashPrp(domain, base.transcript),
    ]);
    base.k0.forEach((k) => k.fill(0));
    base.k1.forEach((k) => k.fill(0));
    return new IknpReceiver(pool, peer, id, domain, prp, k0, k1);
  }

  /** m random OTs with the first m bits of `choices` (little-endian); sends `${id}/u/${batch}`. */
  async extend(choices: Uint8Array, m: number): Promise<{ batch: number; messages: BigUint64Array }> {
    if (choices.length * 8 < m)
      throw new ParleyError('ERR_BAD_REQUEST', `expected ${m} choice bits, got ${choices.length * 8}`);
    const { batch, first, M } = this.claim(m);
    const [g0, g1] = await Promise.all([expandAll(this.k0, batch, M / 8), expandAll(this.k1, batch, M / 8)]);
    const u = receiverMask(g0, g1, choiceWords(choices, m, M));
    await this.pool.send(this.peer, u, `${this.id}/u/${batch}`);
    const messages = await hashRows(this.prp, transposeRows(g0, M), m, first, this.domain); // t^i = g0_i
    return { batch, messages };
  }
}

/** The extension sender: learns both messages (m0_j, m1_j) of every OT. */
export class IknpSender extends IknpParty {
  private constructor(
    pool: OtChannel,
    peer: number,
    id: string,
    domain: number,
    prp: FixedKeyAes,
    private readonly keys: CryptoKey[],
    private readonly s: Uint32Array,
  ) {
    super(pool, peer, id, domain, prp);
  }

  /** Runs the base OTs as their receiver with fresh random choices s; `domain` tags the hash. */
  static async setup(
    pool: OtChannel,
    peer: number,
    id: string,
    domain: number,
    rng: RandomSource = platformRandom,
  ): Promise<IknpSender> {
    const s = rng(KAPPA / 8).slice();
    const base = await baseOtReceive(pool, peer, `${id}/base`, s, KAPPA, rng);
    const [keys, prp] = await Promise.all([importPrgKeys(base.keys), hashPrp(domain, base.transcript)]);
    base.keys.forEach((k) => k.fill(0));
    return new IknpSender(pool, peer, id, domain, prp, keys, new Uint32Array(s.buffer));
  }

  /** m random OTs; receives `${id}/u/${batch}` from the extension receiver. */
  async extend(m: number): Promise<{ batch: number; m0: BigUint64Array; m1: BigUint64Array }> {
    const { batch, first, M } = this.claim(m);
    const [u, gs] = await Promise.all([
      recvWords(this.pool, this.peer, `${this.id}/u/${batch}`, (KAPPA * M) / 32),
      expandAll(this.keys, batch, M / 8),
    ]);
    senderColumnsInPlace(gs, this.s, u); // gs are this batch's fresh keystreams: now q^i
    const rows = transposeRows(gs, M);
    const [m0, m1] = await Promise.all([
      hashRows(this.prp, rows, m, first, this.domain),
      hashRows(this.prp, rows, m, first, this.domain, this.s),
    ]);
    return { batch, m0, m1 };
  }
}
