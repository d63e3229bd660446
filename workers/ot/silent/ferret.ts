// Silent OT: Ferret's correlated-OT extension from primal LPN with regular noise (Yang, Weng,
// Lan, Zhang, Wang, "Ferret", CCS 2020, Fig. 7, semi-honest), so that dealer-free preprocessing
// costs well under one bit of traffic per OT instead of IKNP's 128.
//
// ONE ITERATION with parameters (n = t·2^h, k, t) turns k + t·h COTs (the reserve) into n COTs:
//   x = the first k reserved COTs (the LPN secret; the sender holds q_x, the receiver t_x);
//   noise: t single-point COTs, one per bin of 2^h outputs (regular noise), each a GGM tree
//     (ggm.ts). The receiver draws α_c in its bin; for tree c and level l it needs the sum of
//     the side off its path, K_{1−α_{c,l}}, by one OT on reserved COT j = c·h + l − 1: it sends
//     the flip f_j = (1 − α_{c,l}) ⊕ r_j (all t·h flips in one message), the sender answers
//     ct_{j,b} = K_{j,b} ⊕ H(q_j ⊕ (b ⊕ f_j)·Δ) for b = 0, 1, and the receiver opens
//     ct_{j,1−α} with H(t_j). With every leaf's bit 0 cleared, the sender adds the correction
//     Δ ⊕ ⊕_leaves v, from which the receiver gets w_α = v_α ⊕ Δ (and bit 0 of w_α is 1).
//   output i = (noise leaf i) ⊕ Σ_d x[idx(i, d)] (lpn.ts): the sender's q_i and the receiver's
//     t_i = q_i ⊕ r_i·Δ, r_i = e_i ⊕ ⟨u, A_i⟩ in bit 0 (u = the reserve's choice bits).
// The first k + t·h outputs of each iteration are the next iteration's reserve; the first
// iteration's reserve (FERRET_BOOT) comes from IKNP (iknp.ts), the later ones use FERRET_MAIN.
// Trees are made in chunks of at most 2^19 leaves (bounded memory); each chunk is one message
// sender → receiver, and each iteration starts with the receiver's flips: 2 flights per
// iteration, plus 1 per chunk that the receiver waits on as it streams.
//
// PARAMETERS: the set `ferret_b11` of the Ferret authors' implementation (emp-ot,
// ferret/constants.h; regular-noise LPN, d = 10, chosen for 128-bit security against the attacks
// of the Ferret paper's analysis, §6: Gaussian elimination, information-set decoding, low-weight
// parity checks): MAIN n = 10,180,608, k = 124,000, t = 4,971, bins of 2^11; BOOT n = 178,944,
// k = 17,384, t = 699, bins of 2^8. Chosen over their b13 set (k = 452,000, 0.4 bits per COT)
// by measurement: its LPN secret of 7 MB makes the encoder's random reads miss the caches and
// cost 5× more here, while b11's 1.47 bits per COT is still 24 bytes per triple. We ran no
// estimator of our own; regular-noise LPN has seen newer attacks (e.g. Briaud–Øygarden, Eurocrypt
// 2023), so re-check these sets against current estimates before changing them.
//
// SECURITY (semi-honest, one corrupted party). The sender's view: the flips, uniform because
// each r_j is uniform and used once. The receiver's view: for each level the sum it opens and
// ct_{j,α}, masked by H(t_j ⊕ Δ), pseudorandom without Δ (correlation robustness,
// hash.ts), so the other sum stays hidden and the GGM leaves off the path look random; the
// correction reveals only v_α ⊕ Δ. LPN makes the outputs' choice bits and blocks pseudorandom.
// What each learns: nothing beyond its own outputs. Counts are public. Fresh roots, α, Δ-masked
// reserve per iteration, and per-instance hash keys: no correlated randomness is reused.
// Both parties must take the same counts in the same order; a failure leaves the instance
// unusable (OtGenerator fails the session).

import { sha256 } from '@noble/hashes/sha2.js';
import { ParleyError } from '../../../shared/errors.js';
import { AES_KEY_BYTES, FixedKeyAes } from '../aes.js';
import type { OtChannel } from '../channel.js';
import { platformRandom, type RandomSource } from '../context.js';
import type { CotReceiver, CotSender } from '../cot.js';
import { hashBlocks } from '../hash.js';
import { recvWords } from '../wire.js';
import { ggmExpand, ggmPuncture } from './ggm.js';
import { Kernels, lpnScratchBytes } from './kernels.js';
import { LpnCode } from './lpn.js';

export interface LpnParams {
  /** Trees (noise weight). */
  readonly t: number;
  /** log2 of the bin size: each tree has 2^h leaves; n = t·2^h outputs. */
  readonly h: number;
  /** LPN dimension (reserved COTs that form the secret). */
  readonly k: number;
}

export const FERRET_BOOT: LpnParams = { t: 699, h: 8, k: 17384 };
export const FERRET_MAIN: LpnParams = { t: 4971, h: 11, k: 124000 };
/** COTs an iteration consumes. */
export const reserveOf = (p: LpnParams): number => p.k + p.t * p.h;
/** COTs an iteration makes (n). */
export const outputOf = (p: LpnParams): number => p.t * 2 ** p.h;
/** Most leaves per chunk of trees. */
const CHUNK_LEAVES = 1 << 19;
const MAX_TAKE = 1 << 24;

/** The instance's public tools, derived from its seed: tree PRG, level-OT hash, the two codes. */
interface Tools {
  ggm: Kernels;
  levelHash: FixedKeyAes;
  boot: LpnCode;
  main: LpnCode;
}

function derive(seed: Uint8Array, label: string): Uint8Array {
  const l = new TextEncoder().encode(`parley/ferret/${label}/v1`);
  const input = new Uint8Array(l.length + seed.length);
  input.set(l);
  input.set(seed, l.length);
  return sha256(input).slice(0, AES_KEY_BYTES);
}

async function makeTools(seed: Uint8Array): Promise<Tools> {
  const [ggm, levelHash] = await Promise.all([Kernels.create(), FixedKeyAes.create(derive(seed, 'level'))]);
  const words = (b: Uint8Array) => new Uint32Array(b.slice().buffer);
  return {
    ggm,
    levelHash,
    boot: new LpnCode(ggm, words(derive(seed, 'code-boot')), FERRET_BOOT.k),
    main: new LpnCode(ggm, words(derive(seed, 'code-main')), FERRET_MAIN.k),
  };
}

/** Clears bit 0 of every block and returns, per tree of 2^h leaves, the XOR of its leaves. */
function clearAndSum(leaves: Uint32Array, trees: number, h: number): Uint32Array {
  const sums = new Uint32Array(4 * trees);
  const size = 4 << h;
  for (let c = 0; c < trees; c++) {
    let x0 = 0;
    let x1 = 0;
    let x2 = 0;
    let x3 = 0;
    for (let w = c * size, end = w + size; w < end; w += 4) {
      leaves[w] = leaves[w]! & ~1;
      x0 ^= leaves[w]!;
      x1 ^= leaves[w + 1]!;
      x2 ^= leaves[w + 2]!;
      x3 ^= leaves[w + 3]!;
    }
    sums.set([x0, x1, x2, x3], 4 * c);
  }
  return sums;
}

/** One iteration in progress: its parameters, reserve parts and what the parties exchanged. */
interface Iteration {
  number: number;
  p: LpnParams;
  code: LpnCode;
  x: Uint32Array;
  levels: Uint32Array;
  /** Flips, one bit per level OT. */
  flips: Uint32Array;
  chunk: number;
  chunks: number;
}

/** The part both roles share: the stock, the iteration schedule and the reserve. */
abstract class FerretParty {
  private pending: Uint32Array[] = [];
  private iteration: Iteration | null = null;
  private iterations = 0;
  private next: Uint32Array | null = null;
  private nextFill = 0;
  private busy = false;

  protected constructor(
    protected readonly pool: OtChannel,
    protected readonly peer: number,
    readonly id: string,
    protected readonly tools: Tools,
    protected readonly rng: RandomSource,
    private readonly boot: CotSender | CotReceiver,
  ) {}

  /** The bootstrap instance's public seed (this instance's keys derive from it). */
  get seed(): Uint8Array {
    return this.boot.seed;
  }

  /**
   * The next m COTs (4·m words); one call at a time, the same counts at both parties. A take
   * within the current chunk is a view of the stock, with no copy; blocks are never handed out
   * twice (the stock moves past them and drops its reference).
   */
  async take(m: number): Promise<Uint32Array> {
    if (!Number.isSafeInteger(m) || m < 0 || m > MAX_TAKE)
      throw new ParleyError('ERR_BAD_REQUEST', `expected 0 to ${MAX_TAKE} COTs, got ${m}`);
    if (this.busy) throw new ParleyError('ERR_INTERNAL', 'a COT instance serves one take at a time');
    this.busy = true;
    try {
      while (this.pending.length === 0 && m > 0) await this.produce();
      const head = this.pending[0];
      if (head && head.length >= 4 * m) return this.advance(m); // within one chunk: a view
      const out = new Uint32Array(4 * m);
      for (let filled = 0; filled < m; ) {
        while (this.pending.length === 0) await this.produce();
        const n = Math.min(this.pending[0]!.length / 4, m - filled);
        out.set(this.advance(n), 4 * filled);
        filled += n;
      }
      return out;
    } finally {
      this.busy = false;
    }
  }

  /** The first n blocks of the stock's head (n at most its length), which the stock then drops. */
  private advance(n: number): Uint32Array {
    const head = this.pending[0]!;
    const out = head.subarray(0, 4 * n);
    if (4 * n === head.length) this.pending.shift();
    else this.pending[0] = head.subarray(4 * n);
    return out;
  }

  /** Makes the next chunk of outputs, starting an iteration when none is under way. */
  private async produce(): Promise<void> {
    if (!this.iteration) this.iteration = await this.start();
    const it = this.iteration;
    const first = it.chunk * this.chunkTrees(it.p);
    const C = Math.min(this.chunkTrees(it.p), it.p.t - first);
    const rows = await this.chunkLeaves(it, first, C);
    it.code.encode(rows, C << it.p.h, it.x, it.chunk);
    if (++it.chunk === it.chunks) {
      it.x.fill(0);
      it.levels.fill(0);
      this.iteration = null;
    }
    this.route(rows);
  }

  /**
   * The next iteration's reserve fills first; the rest goes to the stock. `rows` may be a view
   * of the kernels' memory: what is kept is copied out (the next chunk overwrites the rest).
   */
  private route(rows: Uint32Array): void {
    const next = this.next!;
    const k = Math.min(next.length - this.nextFill, rows.length);
    next.set(rows.subarray(0, k), this.nextFill);
    this.nextFill += k;
    if (k < rows.length) this.pending.push(rows.slice(k));
  }

  private chunkTrees(p: LpnParams): number {
    return Math.max(1, CHUNK_LEAVES >>> p.h);
  }

  private async start(): Promise<Iteration> {
    const number = this.iterations++;
    const p = number === 0 ? FERRET_BOOT : FERRET_MAIN;
    let reserve: Uint32Array;
    if (number === 0) reserve = await this.boot.take(reserveOf(p));
    else {
      if (!this.next || this.nextFill !== this.next.length)
        throw new ParleyError('ERR_INTERNAL', 'the previous iteration did not fill the reserve');
      reserve = this.next;
    }
    this.next = new Uint32Array(4 * reserveOf(FERRET_MAIN));
    this.nextFill = 0;
    const levels = reserve.subarray(4 * p.k, 4 * reserveOf(p));
    const flips = await this.exchangeFlips(number, p, levels);
    const chunks = Math.ceil(p.t / this.chunkTrees(p));
    const code = number === 0 ? this.tools.boot : this.tools.main;
    return { number, p, code, x: reserve.subarray(0, 4 * p.k), levels, flips, chunk: 0, chunks };
  }

  /** The receiver draws its points and sends the flips; the sender receives them. */
  protected abstract exchangeFlips(number: number, p: LpnParams, levels: Uint32Array): Promise<Uint32Array>;
  /** Chunk `it.chunk`'s noise leaves (trees [first, first + C)), bit 0 = noise at the receiver. */
  protected abstract chunkLeaves(it: Iteration, first: number, C: number): Promise<Uint32Array>;
}

/** Level-OT reserve rows j ∈ [from, from + count), as their own array. */
const levelRows = (levels: Uint32Array, from: number, count: number) => levels.slice(4 * from, 4 * (from + count));

/** The COT sender of a Ferret instance: knows Δ, gets q. */
export class FerretSender extends FerretParty implements CotSender {
  private constructor(
    pool: OtChannel,
    peer: number,
    id: string,
    private readonly bootstrap: CotSender,
    tools: Tools,
    rng: RandomSource,
  ) {
    super(pool, peer, id, tools, rng, bootstrap);
  }

  /** A Ferret sender over a bootstrap COT sender (IKNP) whose Δ it keeps. */
  static async open(
    pool: OtChannel,
    peer: number,
    id: string,
    boot: CotSender,
    rng = platformRandom,
  ): Promise<FerretSender> {
    return new FerretSender(pool, peer, id, boot, await makeTools(boot.seed), rng);
  }

  get delta(): Uint32Array {
    return this.bootstrap.delta;
  }

  protected async exchangeFlips(number: number, p: LpnParams): Promise<Uint32Array> {
    return recvWords(this.pool, this.peer, `${this.id}/flip/${number}`, Math.ceil((p.t * p.h) / 32));
  }

  protected async chunkLeaves(it: Iteration, first: number, C: number): Promise<Uint32Array> {
    const { h } = it.p;
    const delta = this.delta;
    const roots = new Uint32Array(this.rng(16 * C).slice().buffer);
    const { leaves, sums } = ggmExpand(this.tools.ggm, roots, h, lpnScratchBytes(it.p.k));
    // Level OTs: X_j = q_j ⊕ f_j·Δ, so pad_b = H(X_j ⊕ b·Δ) and the receiver holds pad_{r_j ⊕ f_j}.
    const n = C * h;
    const X = levelRows(it.levels, first * h, n);
    for (let j = 0; j < n; j++) {
      const g = first * h + j;
      if ((it.flips[g >>> 5]! >>> (g & 31)) & 1) for (let i = 0; i < 4; i++) X[4 * j + i] = X[4 * j + i]! ^ delta[i]!;
    }
    const [pad0, pad1] = await Promise.all([
      hashBlocks(this.tools.levelHash, X, n),
      hashBlocks(this.tools.levelHash, X, n, delta),
    ]);
    const msg = new Uint32Array(4 * (2 * n + C));
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < 4; i++) {
        msg[8 * j + i] = sums[8 * j + i]! ^ pad0[4 * j + i]!;
        msg[8 * j + 4 + i] = sums[8 * j + 4 + i]! ^ pad1[4 * j + i]!;
      }
    }
    const total = clearAndSum(leaves, C, h);
    for (let c = 0; c < C; c++) for (let i = 0; i < 4; i++) msg[8 * n + 4 * c + i] = total[4 * c + i]! ^ delta[i]!;
    await this.pool.send(this.peer, msg, `${this.id}/ggm/${it.number}/${it.chunk}`);
    return leaves;
  }
}

/** The COT receiver of a Ferret instance: gets t = q ⊕ r·Δ with r in bit 0. */
export class FerretReceiver extends FerretParty implements CotReceiver {
  private alphas = new Uint32Array(0);

  private constructor(pool: OtChannel, peer: number, id: string, boot: CotReceiver, tools: Tools, rng: RandomSource) {
    super(pool, peer, id, tools, rng, boot);
  }

  /** A Ferret receiver over a bootstrap COT receiver (IKNP). */
  static async open(
    pool: OtChannel,
    peer: number,
    id: string,
    boot: CotReceiver,
    rng = platformRandom,
  ): Promise<FerretReceiver> {
    return new FerretReceiver(pool, peer, id, boot, await makeTools(boot.seed), rng);
  }

  protected async exchangeFlips(number: number, p: LpnParams, levels: Uint32Array): Promise<Uint32Array> {
    const mask = (1 << p.h) - 1;
    this.alphas = new Uint32Array(this.rng(4 * p.t).slice().buffer).map((a) => a & mask);
    const flips = new Uint32Array(Math.ceil((p.t * p.h) / 32));
    for (let c = 0; c < p.t; c++) {
      for (let l = 1; l <= p.h; l++) {
        const j = c * p.h + l - 1;
        const want = 1 ^ ((this.alphas[c]! >>> (p.h - l)) & 1); // the side off the path
        const f = want ^ (levels[4 * j]! & 1);
        flips[j >>> 5] = flips[j >>> 5]! | (f << (j & 31));
      }
    }
    await this.pool.send(this.peer, flips, `${this.id}/flip/${number}`);
    return flips;
  }

  protected async chunkLeaves(it: Iteration, first: number, C: number): Promise<Uint32Array> {
    const { h } = it.p;
    const n = C * h;
    const [msg, pads] = await Promise.all([
      recvWords(this.pool, this.peer, `${this.id}/ggm/${it.number}/${it.chunk}`, 4 * (2 * n + C)),
      hashBlocks(this.tools.levelHash, levelRows(it.levels, first * h, n), n),
    ]);
    const alphas = this.alphas.subarray(first, first + C);
    const offPath = new Uint32Array(4 * n);
    for (let c = 0; c < C; c++) {
      for (let l = 1; l <= h; l++) {
        const j = c * h + l - 1;
        const side = 1 ^ ((alphas[c]! >>> (h - l)) & 1);
        for (let i = 0; i < 4; i++) offPath[4 * j + i] = msg[8 * j + 4 * side + i]! ^ pads[4 * j + i]!;
      }
    }
    const leaves = ggmPuncture(this.tools.ggm, alphas, offPath, h, lpnScratchBytes(it.p.k));
    const total = clearAndSum(leaves, C, h); // the punctured leaf is still zero
    for (let c = 0; c < C; c++) {
      const at = 4 * ((c << h) + alphas[c]!);
      for (let i = 0; i < 4; i++) leaves[at + i] = msg[8 * n + 4 * c + i]! ^ total[4 * c + i]!;
    }
    return leaves;
  }
}
