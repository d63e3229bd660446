// Dealer-free preprocessing on several cores: "lanes". The OT work is CPU-bound (hashing, PRG,
// transposes), so each party runs W independent OT generators (OtGenerator, ../ot-triples.ts),
// lane i under the tag `${tag}/lane${i}` with its own base OTs, and in the browser each in its
// own Web Worker (lane-worker.ts), so W cores work at once. A request for n correlations is split
// into W contiguous parts, one per lane; each lane makes its part `chunk` at a time, in order,
// and the chunks are copied into the result as they arrive (so memory stays at the result plus
// W chunks in flight, and progress is reported per chunk).
//
// Both parties must split identically, so they must run the same W: when the lanes open each
// party sends the count it wishes for (`${tag}/lanes`) and both take the smaller; each also sends
// the OT extension it runs (`${tag}/extension`) and the ring it makes triples and bit products in
// (`${tag}/ring`, 64 or 128: the widths of what it returns), and different ones are refused at
// both. The wish
// defaults, where Web Workers exist, to one lane per core but one (the core left serves the page,
// the engine thread and the WebRTC channel), at least 1 and at most MAX_LANES, and to 1 elsewhere
// (Node, tests), where lanes run in this thread. Two tabs on one 2-core machine thus run one lane
// each: they share the cores, and two each measured slower (bench:engine, 7,100 against 10,500
// triples/s); parties on machines of their own get W = cores − 1. Calls come one at a time, in the same
// order at both parties (the CorrelationMaker contract), so every lane sees the same sequence of
// requests at both. Security is each lane's (ot-triples.ts): lanes share no keys, base OTs or
// PRG streams, and what they make is concatenated, never combined.
//
// FAILURE. The first lane error fails the whole set with that error (its ParleyError code), stops
// every lane (terminating lane workers) and is thrown again by every later call; close() stops
// the lanes too, so no worker outlives its session.

import { ParleyError } from '../../../shared/errors.js';
import type { OtChannel } from '../channel.js';
import { type OtExtension, OtGenerator } from '../ot-triples.js';

/** Most lanes a party wishes for by default (8-core laptops; more cores rarely help the peer). */
const MAX_LANES = 8;

/**
 * What a lane makes: Beaver triples [a, b, c], bit products [mine, z], AND-triple words [a, b, c],
 * OT products [r, s, beta, t].
 */
export type LaneKind = 'triples' | 'bitProducts' | 'andTriples' | 'otProducts';

/** The ring of triples and bit products, in bits. */
export type LaneRing = 64 | 128;

/** Words per item of each component array of `kind` in a ring of W words per element. */
function widths(kind: LaneKind, W: number): number[] {
  if (kind === 'triples') return [W, W, W];
  if (kind === 'bitProducts') return [1, W]; // a bit per word, z a ring element
  if (kind === 'otProducts') return [W, W, 1, W];
  return [1, 1, 1]; // AND words are boolean, the same in both rings
}

/** One OT generator serving requests in order, in this thread or in its own worker. */
export interface Lane {
  /** n correlations of `kind`, as their component arrays (see LaneKind). */
  make(kind: LaneKind, n: number): Promise<BigUint64Array[]>;
  /** Stops the lane (a worker is terminated); pending calls may never settle. */
  close(): void;
}

/** Opens one lane over `channel`, its messages under `tag`, its COTs from `extension`, in `ring`. */
export type LaneOpener = (
  channel: OtChannel,
  party: 0 | 1,
  tag: string,
  extension: OtExtension,
  ring: LaneRing,
) => Promise<Lane>;

/** The component arrays of n correlations of `kind` from one generator. */
export async function generate(ot: OtGenerator, kind: LaneKind, n: number): Promise<BigUint64Array[]> {
  if (kind === 'triples') {
    const t = await ot.triples(n);
    return [t.a, t.b, t.c];
  }
  if (kind === 'bitProducts') {
    const p = await ot.bitProducts(n);
    return [p.mine, p.z];
  }
  if (kind === 'otProducts') {
    const p = await ot.otProducts(n);
    return [p.r, p.s, p.beta, p.t];
  }
  const t = await ot.andTriples(n);
  return [t.a, t.b, t.c];
}

/** A lane in this thread (Node, tests; or wherever workers are not wanted). */
export const openThreadLane: LaneOpener = async (channel, party, tag, extension, ring) => {
  const ot = await OtGenerator.open(channel, party, tag, { extension, ring });
  return { make: (kind, n) => generate(ot, kind, n), close() {} };
};

/** n split into `w` contiguous ranges, the first n mod w one longer. */
export function splitRanges(n: number, w: number): { start: number; end: number }[] {
  const base = Math.floor(n / w);
  const extra = n % w;
  const out: { start: number; end: number }[] = [];
  for (let i = 0, start = 0; i < w; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    out.push({ start, end });
    start = end;
  }
  return out;
}

function checkWish(w: unknown, code: 'ERR_BAD_REQUEST' | 'ERR_PROTOCOL', who: string): number {
  if (typeof w !== 'number' || !Number.isInteger(w) || w < 1 || w > 64)
    throw new ParleyError(code, `${who} lane count must be a whole number from 1 to 64, got ${String(w)}`);
  return w;
}

export interface LanesOptions {
  /** Lanes this party wishes for (default 1; defaultWish() where lanes get workers). */
  wish?: number;
  /** How a lane starts (default: in this thread). */
  openLane?: LaneOpener;
  /** Where the lanes' correlated OTs come from (default 'silent'); both parties must agree. */
  extension?: OtExtension;
  /** The ring of triples and bit products (default 64); both parties must agree. */
  ring?: LaneRing;
}

/** The wish where lanes get workers of their own: navigator.hardwareConcurrency − 1, from 1 to MAX_LANES. */
export function defaultWish(): number {
  if (typeof navigator === 'undefined') return 1;
  return Math.max(1, Math.min(MAX_LANES, (navigator.hardwareConcurrency || 1) - 1));
}

export class Lanes {
  private failure: unknown = null;
  private closed = false;

  private constructor(
    private readonly lanes: Lane[],
    private readonly ring: LaneRing,
  ) {}

  /** The lanes both parties run (the smaller wish). */
  get count(): number {
    return this.lanes.length;
  }

  /** Agrees on the lane count with the peer, then opens the lanes (base OTs in each). */
  static async open(channel: OtChannel, party: 0 | 1, tag: string, opts: LanesOptions = {}): Promise<Lanes> {
    const openLane = opts.openLane ?? openThreadLane;
    const wish = checkWish(opts.wish ?? 1, 'ERR_BAD_REQUEST', 'the');
    const peer = 1 - party;
    const extension = opts.extension ?? 'silent';
    const ring = opts.ring ?? 64;
    if (ring !== 64 && ring !== 128)
      throw new ParleyError('ERR_BAD_REQUEST', `ring must be 64 or 128, got ${String(ring)}`);
    await Promise.all([
      channel.send(peer, wish, `${tag}/lanes`),
      channel.send(peer, extension, `${tag}/extension`),
      channel.send(peer, ring, `${tag}/ring`),
    ]);
    const count = Math.min(wish, checkWish(await channel.recv(peer, `${tag}/lanes`), 'ERR_PROTOCOL', "the peer's"));
    const theirExtension = await channel.recv(peer, `${tag}/extension`);
    if (theirExtension !== extension)
      throw new ParleyError(
        'ERR_BAD_REQUEST',
        `the parties chose different OT extensions: ${extension} here, ${String(theirExtension)} at the peer`,
      );
    const theirRing = await channel.recv(peer, `${tag}/ring`);
    if (theirRing !== ring)
      throw new ParleyError(
        'ERR_BAD_REQUEST',
        `the parties chose different rings for preprocessing: ${ring} here, ${String(theirRing)} at the peer`,
      );
    const opened = await Promise.allSettled(
      Array.from({ length: count }, (_, i) => openLane(channel, party, `${tag}/lane${i}`, extension, ring)),
    );
    const lanes = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = opened.find((r) => r.status === 'rejected');
    if (failed) {
      for (const lane of lanes) lane.close();
      throw failed.reason;
    }
    return new Lanes(lanes, ring);
  }

  /**
   * n correlations of `kind` as their component arrays (ring elements ring / 64 words each, bits
   * and AND words one): lane i makes the i-th contiguous part, `chunk` at a time; onProgress(done,
   * n) after each chunk.
   */
  async make(
    kind: LaneKind,
    n: number,
    chunk: number,
    onProgress?: (done: number, total: number) => void,
  ): Promise<BigUint64Array[]> {
    if (this.failure) throw this.failure;
    if (this.closed) throw new ParleyError('ERR_CLOSED', 'these preprocessing lanes are closed');
    const width = widths(kind, this.ring / 64);
    const out = width.map((w) => new BigUint64Array(n * w));
    let done = 0;
    const run = async (lane: Lane, start: number, end: number) => {
      for (let at = start; at < end && !this.failure; ) {
        const m = Math.min(chunk, end - at);
        const made = await lane.make(kind, m);
        if (made.length !== width.length || made.some((v, i) => v.length !== m * width[i]!))
          throw new ParleyError('ERR_INTERNAL', `a preprocessing lane returned the wrong shape for ${m} ${kind}`);
        made.forEach((v, i) => {
          out[i]!.set(v, at * width[i]!);
          v.fill(0n); // the lane's copy is spent
        });
        at += m;
        done += m;
        onProgress?.(done, n);
      }
    };
    const ranges = splitRanges(n, this.lanes.length);
    try {
      await Promise.all(this.lanes.map((lane, i) => run(lane, ranges[i]!.start, ranges[i]!.end)));
    } catch (e) {
      this.fail(e);
      throw e;
    }
    if (this.failure) throw this.failure;
    return out;
  }

  private fail(e: unknown): void {
    if (this.failure) return;
    this.failure = e;
    for (const lane of this.lanes) lane.close();
  }

  /** Stops every lane; later calls are refused with ERR_CLOSED. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const lane of this.lanes) lane.close();
  }
}
