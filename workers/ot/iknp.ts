// IKNP OT extension (Ishai–Kilian–Nissim–Petrank 2003, semi-honest, κ = 128), now only the
// bootstrap of silent OT (silent/ferret.ts): from κ base OTs in the reverse direction, any number
// of correlated OTs (COT) with a global Δ = s, at 16 bytes per COT on the wire, and the IKNP
// baseline of bench:preprocessing. One instance is a long-lived session: batches use fresh PRG
// streams (the batch number), so no correlated randomness repeats.
//
//   setup:    the extension receiver R is the base-OT sender with keys (k0_i, k1_i), i < κ;
//             the extension sender S is the base-OT receiver with random choices s ∈ {0,1}^κ,
//             s_0 = 1 (the COT convention of cot.ts: Δ has its lowest bit set).
//   batch b, m COTs, R's random choice bits r ∈ {0,1}^m (padded with zeros to M, a multiple of κ):
//             R: t^i = G(k0_i, b), u^i = t^i ⊕ G(k1_i, b) ⊕ r         sends u (κ × M bits)
//             S: q^i = G(k_{s_i}, b) ⊕ s_i·u^i, so that row q_j = t_j ⊕ r_j·s
//   outputs:  rows with bit 0 rewritten (S: q_j bit 0 := 0, R: t_j bit 0 := r_j), which keeps
//             t_j = q_j ⊕ r_j·s because s_0 = 1; S gets q_j, R gets t_j (its r_j in bit 0).
// G is AES-128-CTR (shared/prg.ts). The random-OT hash is applied above, in rot.ts.

import { sha256 } from '@noble/hashes/sha2.js';
import { ParleyError } from '../../shared/errors.js';
import { importPrgKeys, prgStream } from '../../shared/prg.js';
import { baseOtReceive, baseOtSend } from './base-ot.js';
import { roundUp, transposeRows } from './bits.js';
import type { OtChannel } from './channel.js';
import { platformRandom, type RandomSource } from './context.js';
import type { CotReceiver, CotSender } from './cot.js';
import { recvWords } from './wire.js';

export const KAPPA = 128;
/** Most OTs in one batch (bounds memory and message size: 16 MiB of u). Gilboa uses 2^18. */
const MAX_BATCH_OTS = 1 << 20;
const SEED_DOMAIN = new TextEncoder().encode('parley/ot-instance-seed/v1');

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

/** The instance's public seed: SHA-256 of its domain and base-OT transcript (keys for hashes). */
function instanceSeed(domain: number, transcript: Uint8Array): Uint8Array {
  const input = new Uint8Array(SEED_DOMAIN.length + 4 + transcript.length);
  input.set(SEED_DOMAIN);
  new DataView(input.buffer).setUint32(SEED_DOMAIN.length, domain, true);
  input.set(transcript, SEED_DOMAIN.length + 4);
  return sha256(input);
}

function expandAll(keys: readonly CryptoKey[], batch: number, bytes: number): Promise<Uint32Array[]> {
  return Promise.all(keys.map(async (k) => new Uint32Array(await prgStream(k, batch, bytes))));
}

function checkOtCount(m: number): void {
  if (!Number.isSafeInteger(m) || m < 1 || m > MAX_BATCH_OTS) {
    throw new ParleyError('ERR_BAD_REQUEST', `expected 1 to ${MAX_BATCH_OTS} OTs per batch, got ${m}`);
  }
}

/** Shared state: the batch number (PRG stream) and the instance's public seed. */
abstract class IknpParty {
  private nextBatch = 0;
  protected constructor(
    protected readonly pool: OtChannel,
    protected readonly peer: number,
    /** Message id prefix of this instance, unique per session. */
    readonly id: string,
    /** Public, per instance and session: SHA-256 of the domain and the base-OT transcript. */
    readonly seed: Uint8Array,
  ) {}

  /** Claims the next batch: its PRG stream number and padded length. */
  protected claim(m: number): { batch: number; M: number } {
    checkOtCount(m);
    return { batch: this.nextBatch++, M: paddedLength(m) };
  }
}

/** The first m of the M rows, with bit 0 of each set to bit j of `bits` (or cleared). */
function firstRows(rows: Uint32Array, m: number, bits?: Uint32Array): Uint32Array {
  const out = rows.subarray(0, 4 * m);
  for (let j = 0, w = 0; j < m; j++, w += 4) {
    out[w] = bits ? (out[w]! & ~1) | ((bits[j >>> 5]! >>> (j & 31)) & 1) : out[w]! & ~1;
  }
  return out;
}

/** The extension receiver: gets t_j = q_j ⊕ r_j·Δ for random r_j of its own. */
export class IknpReceiver extends IknpParty implements CotReceiver {
  private constructor(
    pool: OtChannel,
    peer: number,
    id: string,
    seed: Uint8Array,
    private readonly rng: RandomSource,
    private readonly k0: CryptoKey[],
    private readonly k1: CryptoKey[],
  ) {
    super(pool, peer, id, seed);
  }

  /** Runs the base OTs as their sender (messages under `${id}/base`); `domain` names the instance. */
  static async setup(
    pool: OtChannel,
    peer: number,
    id: string,
    domain: number,
    rng: RandomSource = platformRandom,
  ): Promise<IknpReceiver> {
    const base = await baseOtSend(pool, peer, `${id}/base`, KAPPA, rng);
    const [k0, k1] = await Promise.all([importPrgKeys(base.k0), importPrgKeys(base.k1)]);
    base.k0.forEach((k) => k.fill(0));
    base.k1.forEach((k) => k.fill(0));
    return new IknpReceiver(pool, peer, id, instanceSeed(domain, base.transcript), rng, k0, k1);
  }

  /** m COTs with fresh random choices (bit 0 of each row); sends `${id}/u/${batch}`. */
  async take(m: number): Promise<Uint32Array> {
    const { batch, M } = this.claim(m);
    const r = choiceWords(this.rng(Math.ceil(m / 8)), m, M);
    const [g0, g1] = await Promise.all([expandAll(this.k0, batch, M / 8), expandAll(this.k1, batch, M / 8)]);
    await this.pool.send(this.peer, receiverMask(g0, g1, r), `${this.id}/u/${batch}`);
    return firstRows(transposeRows(g0, M), m, r); // t^i = g0_i
  }
}

/** The extension sender: gets q_j (bit 0 clear) and knows Δ = s. */
export class IknpSender extends IknpParty implements CotSender {
  private constructor(
    pool: OtChannel,
    peer: number,
    id: string,
    seed: Uint8Array,
    private readonly keys: CryptoKey[],
    private readonly s: Uint32Array,
  ) {
    super(pool, peer, id, seed);
  }

  /** Runs the base OTs as their receiver with fresh random choices s (s_0 = 1). */
  static async setup(
    pool: OtChannel,
    peer: number,
    id: string,
    domain: number,
    rng: RandomSource = platformRandom,
  ): Promise<IknpSender> {
    const s = rng(KAPPA / 8).slice();
    s[0] = s[0]! | 1;
    const base = await baseOtReceive(pool, peer, `${id}/base`, s, KAPPA, rng);
    const keys = await importPrgKeys(base.keys);
    base.keys.forEach((k) => k.fill(0));
    return new IknpSender(pool, peer, id, instanceSeed(domain, base.transcript), keys, new Uint32Array(s.buffer));
  }

  /** The global correlation Δ = s (4 words, bit 0 set). */
  get delta(): Uint32Array {
    return this.s;
  }

  /** m COTs; receives `${id}/u/${batch}` from the extension receiver. */
  async take(m: number): Promise<Uint32Array> {
    const { batch, M } = this.claim(m);
    const [u, gs] = await Promise.all([
      recvWords(this.pool, this.peer, `${this.id}/u/${batch}`, (KAPPA * M) / 32),
      expandAll(this.keys, batch, M / 8),
    ]);
    senderColumnsInPlace(gs, this.s, u); // gs are this batch's fresh keystreams: now q^i
    return firstRows(transposeRows(gs, M), m);
  }
}
