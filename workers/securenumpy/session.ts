// One party's side of a two-party SecureNumpy session: its pool and peer, the batched exchange,
// the supply of correlated randomness, the fixed-point setting and the reveal policy. Every
// operation is registered here in program order (an op id, and its reservation of material),
// which is what keeps the two parties in step while evaluation runs asynchronously.

import { ParleyError, toErrorInfo } from '../../shared/errors.js';
import { type Ring, ringOf } from '../../shared/rings.js';
import type { Pool } from '../pool/pool.js';
import { SecureArray } from './array.js';
import type { CorrelationMaker } from './correlations.js';
import { DealerClient } from './dealer.js';
import { DealerFreeMaker } from './dealer-free.js';
import { Exchange, type Hello } from './exchange.js';
import { type Material, type Needs, Preprocessing, type PreprocessingStats } from './preprocessing.js';
import type { Wire } from './protocols.js';
import { DEFAULT_FRAC_BITS, type SecureDType } from './values.js';

/** The otExtension option, checked when the session is made. */
function checkExtension(e: unknown): 'silent' | 'iknp' {
  if (e !== 'silent' && e !== 'iknp')
    throw new ParleyError('ERR_BAD_REQUEST', `otExtension must be 'silent' or 'iknp', got ${String(e)}`);
  return e;
}

export interface SessionOptions {
  /** This party's index, 0 or 1 (also its index in the pool). */
  party: number;
  /** Where correlated randomness comes from (default: dealer-free, between the two parties). */
  preprocessing?: 'dealer-free' | 'dealer';
  /** Pool index of the dealer in dealer mode (default 2). */
  dealer?: number;
  /**
   * Dealer-free preprocessing lanes this party wishes for (OT generators side by side, each in a
   * Web Worker of its own in the browser); the parties run the smaller wish. Default:
   * navigator.hardwareConcurrency − 1, from 1 to 8, where Web Workers exist; 1 elsewhere.
   */
  lanes?: number;
  /**
   * Where dealer-free correlated OTs come from: 'silent' (Ferret silent OT, the default) or
   * 'iknp' (IKNP OT extension, the baseline it is measured against). Both parties must agree.
   */
  otExtension?: 'silent' | 'iknp';
  /**
   * The ring shares live in: 64 (Z_2^64, the default) or 128 (the wide ring: only the operations
   * wide-ring.ts does not list; both preprocessing modes). Both parties must agree (checked on the
   * first batch, and by the dealer-free lanes).
   */
  ring?: 64 | 128;
  /** Fractional bits of float64 values (default 16); both parties must agree. */
  fracBits?: number;
  /** Parties allowed to receive reveals (default: both). */
  reveal?: readonly number[];
  /** Called while correlated randomness is being made. */
  onProgress?(p: { stage: 'preprocessing'; done: number; total: number }): void;
}

/** Correlations made and consumed (PreprocessingStats), and the session's traffic. */
export interface SessionStats extends PreprocessingStats {
  mode: 'dealer-free' | 'dealer';
  operations: number;
  /** Communication rounds on the longest chain of dependent operations so far (the circuit's depth). */
  rounds: number;
  /** Batches this party sent; independent operations issued together share one (stats() cuts a batch). */
  messages: number;
  bytesSent: number;
  bytesReceived: number;
}

type Shape = number[];

export interface RunContext {
  shares: BigUint64Array[];
  shapes: Shape[];
  out: Shape;
  material: Material | null;
  /** The exchange key of this op's stage s (0 ≤ s < 65536). */
  key(stage: number): number;
  wire: Wire;
  session: Session;
}

export interface DeriveSpec {
  inputs: readonly SecureArray[];
  dtype: SecureDType;
  /** The result's shape from the inputs' shapes; throws a coded error on bad shapes. */
  shape(shapes: Shape[]): Shape;
  /** Correlated randomness the op consumes, from the shapes. */
  needs?(shapes: Shape[], out: Shape): Needs;
  run(c: RunContext): BigUint64Array | Promise<BigUint64Array>;
}

const STAGES = 65536;

/**
 * The parameters both parties must share, sent in this party's first batch: [ring bits, fracBits].
 * Parties with different settings would compute garbage silently; a mismatch fails the session
 * at both (each checks the other's before delivering any of its values).
 */
function agreement(ring: number, fracBits: number): Hello {
  return {
    value: Float64Array.of(ring, fracBits),
    check(peers) {
      if (!(peers instanceof Float64Array) || peers.length !== 2)
        throw new ParleyError('ERR_PROTOCOL', 'malformed session parameters from the peer');
      const [r, f] = peers;
      if (r !== ring || f !== fracBits)
        throw new ParleyError(
          'ERR_BAD_REQUEST',
          `the parties disagree on the session's parameters: this party has ring ${ring} and fracBits ${fracBits}, the peer ring ${r} and fracBits ${f}; pass the same options at both`,
        );
    },
  };
}

export class Session {
  readonly party: 0 | 1;
  readonly peer: number;
  readonly fracBits: number;
  /** The ring every share of this session lives in (its kernels, its width in words). */
  readonly ring: Ring;
  readonly ex: Exchange;
  readonly prep: Preprocessing;
  readonly wire: Wire;
  private readonly reveal: ReadonlySet<number>;
  private ops = 0;
  /** The deepest chain of communication rounds any result needed so far. */
  private depth = 0;
  private failure: unknown = null;
  private closed = false;

  constructor(
    readonly pool: Pool,
    opts: SessionOptions,
  ) {
    if (opts.party !== 0 && opts.party !== 1)
      throw new ParleyError('ERR_BAD_REQUEST', `the engine runs two parties, 0 and 1; got party ${opts.party}`);
    if (pool.me !== opts.party)
      throw new ParleyError(
        'ERR_BAD_REQUEST',
        `party ${opts.party} needs a pool whose index is ${opts.party}, got ${pool.me}`,
      );
    if (opts.preprocessing !== undefined && opts.preprocessing !== 'dealer-free' && opts.preprocessing !== 'dealer') {
      throw new ParleyError(
        'ERR_BAD_REQUEST',
        `preprocessing must be 'dealer-free' or 'dealer', got ${JSON.stringify(opts.preprocessing)}`,
      );
    }
    const f = opts.fracBits ?? DEFAULT_FRAC_BITS;
    if (!Number.isInteger(f) || f < 1 || f > 28)
      throw new ParleyError('ERR_BAD_REQUEST', `fracBits must be a whole number from 1 to 28, got ${f}`);
    const ring = ringOf(opts.ring ?? 64);
    this.party = opts.party;
    this.peer = 1 - opts.party;
    this.fracBits = f;
    this.ring = ring;
    this.reveal = new Set(opts.reveal ?? [0, 1]);
    this.ex = new Exchange(pool, this.peer, agreement(ring.bits, f));
    this.wire = { party: this.party, ex: this.ex, ring };
    const progress = opts.onProgress
      ? (done: number, total: number) => opts.onProgress!({ stage: 'preprocessing', done, total })
      : undefined;
    const maker: CorrelationMaker =
      (opts.preprocessing ?? 'dealer-free') === 'dealer'
        ? new DealerClient(pool, this.party, opts.dealer ?? 2, ring)
        : new DealerFreeMaker(pool, this.party, {
            ring,
            ...(progress ? { onProgress: progress } : {}),
            ...(opts.lanes !== undefined ? { lanes: opts.lanes } : {}),
            ...(opts.otExtension !== undefined ? { extension: checkExtension(opts.otExtension) } : {}),
          });
    this.prep = new Preprocessing(maker, maker.mode === 'dealer' ? 1 << 16 : 4096, ring);
  }

  /** Refuses a reveal the job does not allow, before anything is sent. */
  checkReveal(to: unknown): 0 | 1 {
    if (to !== 0 && to !== 1)
      throw new ParleyError('ERR_BAD_REQUEST', `expected party 0 or 1 to reveal to, got ${String(to)}`);
    if (!this.reveal.has(to))
      throw new ParleyError(
        'ERR_REVEAL_DENIED',
        `this job does not allow revealing to party ${to} (allowed: ${[...this.reveal].join(', ') || 'nobody'})`,
      );
    return to;
  }

  nextOp(): number {
    if (this.closed) throw new ParleyError('ERR_CLOSED', 'this SecureNumpy session is closed');
    return this.ops++;
  }

  /**
   * A new array computed from `inputs`. Shape errors throw now when every input's shape is
   * settled (known at every party alike); otherwise they reject the result, at every party the
   * same way, once the shapes are known — never a throw at one party and a pending op at another.
   */
  derive(spec: DeriveSpec): SecureArray {
    const op = this.nextOp();
    const known = spec.inputs.map((a) => a.knownShape);
    const settled = spec.inputs.every((a) => a.settled);
    let outShape: Shape | Promise<Shape>;
    if (settled) outShape = spec.shape(known as Shape[]);
    else if (known.every((s) => s !== null)) {
      try {
        outShape = spec.shape(known as Shape[]);
      } catch (e) {
        outShape = Promise.reject(e);
      }
    } else outShape = Promise.all(spec.inputs.map((a) => a.shaped)).then((shapes) => spec.shape(shapes));
    const shapes = Promise.all(spec.inputs.map((a) => a.shaped));
    let material: Promise<Material | null> = Promise.resolve(null);
    if (spec.needs) {
      const needs = Promise.all([shapes, outShape]).then(([s, o]) => spec.needs!(s, o));
      needs.catch(() => undefined); // a shape error: the queue skips this op at every party alike
      material = this.prep.reserve(needs);
    }
    material.catch(() => undefined);
    let result: SecureArray | null = null;
    const share = Promise.all([Promise.all(spec.inputs.map((a) => a.share)), shapes, outShape]).then(
      async ([shares, s, out]) => {
        // Each stage an op talks in is one round after the deepest of its inputs.
        let stages = 0;
        const key = (stage: number) => ((stages = Math.max(stages, stage + 1)), op * STAGES + stage);
        const c: RunContext = { shares, shapes: s, out, material: await material, key, wire: this.wire, session: this };
        try {
          const v = await spec.run(c);
          this.settle(result!, Math.max(0, ...spec.inputs.map((a) => a.depth)) + stages);
          return v;
        } catch (e) {
          this.fail(e);
          throw e;
        }
      },
    );
    result = new SecureArray(this, spec.dtype, outShape, share, settled);
    return result;
  }

  /** Records how many rounds deep an array's value is. */
  settle(a: SecureArray, depth: number): void {
    a.depth = depth;
    this.reached(depth);
  }

  /** Notes that some communication ended `depth` rounds deep. */
  reached(depth: number): void {
    this.depth = Math.max(this.depth, depth);
  }

  /** A fresh key for an op that talks outside derive (reveals, inputs). */
  opKey(): number {
    return this.nextOp() * STAGES;
  }

  /**
   * Stops the session after an error: the peer learns the code, pending operations reject. An
   * operation cut off by this party's own close() is no error of the job: the program returned
   * without awaiting it, and so does the peer's copy of the program (it runs the same text), so
   * it must not abort the peer, which may still be finishing what it does await.
   */
  fail(e: unknown): void {
    if (this.failure || this.closed) return;
    this.failure = e;
    this.ex.fail(e);
    this.pool.abort(toErrorInfo(e));
  }

  /** The counts so far; what is queued is sent first, so `messages` and bytes cover every value posted. */
  stats(): SessionStats {
    this.ex.flush();
    const p = this.pool.stats;
    return {
      mode: this.prep.maker.mode,
      operations: this.ops,
      rounds: this.depth,
      messages: this.ex.messages,
      ...this.prep.stats,
      bytesSent: p.bytesSent,
      bytesReceived: p.bytesReceived,
    };
  }

  /** Waits until everything sent has been acknowledged, then stops the session (not the pool). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.prep.maker.close();
    this.ex.flush();
    if (!this.failure) await this.pool.flush().catch(() => undefined);
    this.ex.fail(new ParleyError('ERR_CLOSED', 'this SecureNumpy session is closed'));
  }
}
