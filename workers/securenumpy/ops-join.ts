// snp.privateJoin: aligns party 0's and party 1's rows on a key without revealing which keys
// they have in common (docs/securenumpy.md, "Private join"). The message flow up to shares is
// ../join/protocol.ts (DH-OPRF, cuckoo hashing, OKVS); here the engine finishes it:
//   matched = the zero test of w_u ⊕ t_u per bin (packedZero: isZeroBits's AND-reduction with
//     each level packed, about 1 AND-triple word per row instead of 6, 6 rounds; a false match
//     has probability 2^-64 per row);
//   right = matched · (B's decoded row) and left = matched · (A's row), zero where unmatched. Dealer-free: one OT product per
//     element (otTimes, one round, ℓ/8 bytes and a bit per element and party); in dealer mode
//     (no OT products) a bit product makes the bit a ring element and Beaver triples multiply.
//     Chosen by measured bytes (100,000 × 100,000 keys, dealer-free): with a bit product and
//     triples 485 bytes per key, with OT products 124; snp.where would spend a triple on the bit
//     as well (about 1,100 bytes per row);
//   (left starts as A's own rows in A's bins: A holds them, B zeros.)
// REFUSALS. A party that refuses its own side (ERR_DUPLICATE_KEY, ERR_BAD_INPUT for a malformed
// key, a side passed by the wrong party or a missing side, ERR_SHAPE when values' rows differ
// from the keys') throws at the call and sends the code in place of its header, so the other
// party's join rejects with the same code at once (never a hang), as snp.array does (ops-reveal.ts).

import { isErrorCode, ParleyError } from '../../shared/errors.js';
import { randomBytes } from '../../shared/random.js';
import { binCount } from '../join/cuckoo.js';
import { hashToCurve } from '../join/hash-to-curve.js';
import { normaliseKeys } from '../join/keys.js';
import { OprfBlinding, OprfKey } from '../join/oprf.js';
import { dstOf, type JoinChannel, type JoinShares, joinAsA, joinAsB, type OprfSuite } from '../join/protocol.js';
import { mark } from '../join/trace.js';
import { SecureArray } from './array.js';
import type { AndTriples, OtProducts } from './correlations.js';
import { beaverMul, bitProduct, concat, packBits, takeWords, unpackBits, type Wire } from './protocols.js';
import { andSupply, andWords, boolShares, lowWords } from './protocols-bool.js';
import type { Session } from './session.js';
import { encodeValues, inputBound, toPlain } from './values.js';

const SUITE: OprfSuite = {
  hash: hashToCurve,
  key: () => OprfKey.create(),
  blinding: () => OprfBlinding.create(),
};

/** Most rows per side (the OKVS of 3·2^22 keys is about 400 MB for one column). */
const MAX_ROWS = 1 << 22;
const MAX_COLS = 4096;
const REFUSED = -1;
/** Engine operations a join registers (matched, left, right): a refusing party skips as many op ids. */
const ENGINE_OPS = 3;
/** Bytes of each party's nonce in the hash-to-curve DST. */
const NONCE = 16;

function concatBytes(x: Uint8Array, y: Uint8Array): Uint8Array {
  const out = new Uint8Array(x.length + y.length);
  out.set(x);
  out.set(y, x.length);
  return out;
}

export interface JoinResult {
  matched: SecureArray;
  left: SecureArray;
  right: SecureArray;
}

interface Own {
  keys: Uint8Array[];
  values: BigUint64Array;
  cols: number;
}

function flag(v: unknown, name: string): boolean {
  if (v === undefined) return false;
  if (typeof v !== 'boolean') throw new ParleyError('ERR_BAD_INPUT', `privateJoin's ${name} must be true or false`);
  return v;
}

/** This party's side, checked and encoded; throws the refusal's code. */
function ownSide(s: Session, sides: [unknown, unknown], trim: boolean, caseFold: boolean): Own {
  const me = s.party;
  const other = sides[1 - me];
  if (other !== null && other !== undefined)
    throw new ParleyError(
      'ERR_BAD_INPUT',
      `party ${me} passed a side for party ${1 - me}: each party passes its own side and null for the other`,
    );
  const side = sides[me] as { keys?: unknown; values?: unknown } | null | undefined;
  if (side === null || typeof side !== 'object' || !Array.isArray(side.keys))
    throw new ParleyError('ERR_BAD_INPUT', `party ${me} must pass its side as { keys, values } (keys an array)`);
  const keys = normaliseKeys(side.keys, { trim, caseFold });
  const plain = toPlain(side.values ?? []);
  const empty = plain.shape.length === 1 && plain.shape[0] === 0;
  const n = empty ? 0 : plain.shape[0]!;
  if ((!empty && plain.shape.length !== 2) || n !== keys.length)
    throw new ParleyError(
      'ERR_SHAPE',
      `privateJoin needs values of shape [rows, columns] with one row per key: ${keys.length} keys, values of shape (${plain.shape.join(', ')})`,
    );
  const cols = empty ? 0 : plain.shape[1]!;
  if (n > MAX_ROWS || cols > MAX_COLS)
    throw new ParleyError('ERR_TOO_LARGE', `privateJoin takes at most ${MAX_ROWS} rows and ${MAX_COLS} columns`);
  const values = encodeValues(plain.values, 'float64', s.fracBits, inputBound(s.fracBits, s.ring), s.ring, plain.shape);
  return { keys, values, cols };
}

/** This party's header: [rows, columns, trim, caseFold, nonce as four 32-bit words]. */
function header(rows: number, cols: number, trim: boolean, caseFold: boolean, nonce: Uint8Array): Float64Array {
  return Float64Array.of(rows, cols, Number(trim), Number(caseFold), ...new Uint32Array(nonce.buffer));
}

/** The peer's header: rows, columns and nonce, or its refusal. */
async function peerHeader(ch: JoinChannel, trim: boolean, caseFold: boolean): Promise<[number, number, Uint8Array]> {
  const v = await ch.take(0);
  if (v instanceof Float64Array && v[0] === REFUSED) {
    const code = String.fromCharCode(...v.subarray(1));
    if (!isErrorCode(code)) throw new ParleyError('ERR_PROTOCOL', 'malformed join refusal');
    throw new ParleyError(code, `the other party refused its side of the join with ${code}`);
  }
  if (!(v instanceof Float64Array) || v.length !== 4 + NONCE / 4)
    throw new ParleyError('ERR_PROTOCOL', 'malformed join header');
  const [n, cols, t, c] = v as unknown as [number, number, number, number];
  const words = v.subarray(4);
  if (!words.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32))
    throw new ParleyError('ERR_PROTOCOL', 'malformed join header');
  if (!Number.isInteger(n) || n < 0 || n > MAX_ROWS || !Number.isInteger(cols) || cols < 0 || cols > MAX_COLS)
    throw new ParleyError('ERR_PROTOCOL', 'malformed join header');
  if (t !== Number(trim) || c !== Number(caseFold))
    throw new ParleyError(
      'ERR_BAD_REQUEST',
      'the parties disagree on how join keys are normalised (trim, caseFold): pass the same options at both',
    );
  return [n, cols, new Uint8Array(Uint32Array.from(words).buffer)];
}

/** AND-triple words of packedZero on n values: Σ ⌈n·h/64⌉ for h = 32, 16, …, 1 (about n). */
export const packedZeroWords = (n: number): number =>
  [32, 16, 8, 4, 2, 1].reduce((sum, h) => sum + Math.ceil((n * h) / 64), 0);

/**
 * XOR shares (0n or 1n per value) of [v = 0] for v = x0 ⊕ (−x1), one word per value (party 0
 * passes x0, party 1 x1): isZeroBits's AND-reduction of NOT v (protocols-bool.ts), but each level
 * ANDs only the halves still needed, packed 64/h values to a word: Σ ⌈n·h/64⌉ ≈ n AND words
 * instead of 6n, in the same 6 rounds (stages 0..5 of `key`).
 */
export async function packedZero(
  w: Wire,
  key: (stage: number) => number,
  x: BigUint64Array,
  t: AndTriples,
): Promise<BigUint64Array> {
  const take = andSupply(t);
  const n = x.length;
  let cur = w.party === 0 ? x.map((q) => ~q) : x.map((q) => -q); // stores wrap mod 2^64
  let stage = 0;
  for (let h = 32; h >= 1; h >>= 1) {
    const H = BigInt(h);
    const mask = (1n << H) - 1n;
    const per = 64 / h;
    const words = Math.ceil(n / per);
    const lo = new BigUint64Array(words);
    const hi = new BigUint64Array(words);
    for (let i = 0; i < n; i++) {
      const at = i % per;
      const shift = BigInt(at * h);
      const j = (i - at) / per;
      lo[j] = lo[j]! | ((cur[i]! & mask) << shift);
      hi[j] = hi[j]! | (((cur[i]! >> H) & mask) << shift);
    }
    const both = await andWords(w, key(stage++), lo, hi, take(words));
    const next = new BigUint64Array(n);
    for (let i = 0; i < n; i++) {
      const at = i % per;
      next[i] = (both[(i - at) / per]! >> BigInt(at * h)) & mask;
    }
    cur = next;
  }
  return cur;
}

/** Each element of v (W words each) where sel[k] is 1, zeros elsewhere; `neg` negates instead of zeroing. */
function pick(v: BigUint64Array, sel: (k: number) => boolean, W: number, neg?: BigUint64Array): BigUint64Array {
  const out = new BigUint64Array(v.length);
  for (let k = 0; k < v.length / W; k++) {
    const src = sel(k) ? v : neg;
    if (src) for (let q = 0; q < W; q++) out[k * W + q] = src[k * W + q]!;
  }
  return out;
}

/**
 * Shares of m·x for the XOR-shared bit m = m0 ⊕ m1 of each row (`bits`: this party's, one per
 * word) and the arithmetic shares x (rows × cols ring elements), with one OT product per element
 * (dealer-free; correlations.ts). m·x = m0·x0 + m1·x1 + m1·(1 − 2m0)·x0 + m0·(1 − 2m1)·x1: each
 * party keeps m_P·x_P and is the sender of y_P = (1 − 2m_P)·x_P times the peer's bit, and the
 * receiver with its own bit. With an OT product (r, s | β, t; s + t = β·r) the receiver opens
 * e = c ⊕ β (a bit) and the sender f = y − r (a ring element, uniform: r is a one-time pad), both
 * at once; then c·y = e·y + (1 − 2e)·(β·f + s + t): the sender keeps e·y + (1 − 2e)·s, the receiver
 * (1 − 2e)·(β·f + t). One round; per element and party ℓ/8 bytes and a bit.
 */
async function otTimes(
  w: Wire,
  key: number,
  bits: BigUint64Array,
  x: BigUint64Array,
  cols: number,
  ot: OtProducts,
): Promise<BigUint64Array> {
  const { ring } = w;
  const W = ring.words;
  const n = x.length / W;
  const mine = (k: number) => bits[Math.floor(k / cols)] === 1n;
  const negX = ring.neg(x);
  const y = pick(negX, mine, W, x); // (1 − 2m_P)·x_P
  const f = ring.sub(y, ot.r);
  const e = new BigUint64Array(n);
  for (let k = 0; k < n; k++) e[k] = (mine(k) ? 1n : 0n) ^ ot.beta[k]!;
  const packed = packBits(e);
  w.ex.post(key, concat([f, packed]));
  const theirs = await takeWords(w, key, n * W + packed.length);
  const f2 = theirs.subarray(0, n * W);
  const e2 = unpackBits(theirs.subarray(n * W), n);
  // As sender: e'·y + (1 − 2e')·s.  As receiver: (1 − 2e)·(β·f' + t).  And m_P·x_P.
  const sender = ring.add(
    pick(y, (k) => e2[k] === 1n, W),
    pick(ot.s, (k) => e2[k] === 0n, W, ring.neg(ot.s)),
  );
  const v = ring.add(
    pick(f2, (k) => ot.beta[k] === 1n, W),
    ot.t,
  );
  const receiver = pick(v, (k) => e[k] === 0n, W, ring.neg(v));
  for (const a of [ot.r, ot.s, ot.beta, ot.t]) a.fill(0n);
  return ring.add(ring.add(sender, receiver), pick(x, mine, W));
}

/** snp.privateJoin(sideA, sideB, { trim, caseFold }?): see the header. */
export function privateJoin(s: Session, sideA: unknown, sideB: unknown, opts: unknown = {}): Promise<JoinResult> {
  const key = s.opKey();
  const ch: JoinChannel = { post: (stage, v) => s.ex.post(key + stage, v), take: (stage) => s.ex.take(key + stage) };
  let own: Own;
  let trim: boolean;
  let caseFold: boolean;
  try {
    const o = (opts ?? {}) as { trim?: unknown; caseFold?: unknown };
    trim = flag(o.trim, 'trim');
    caseFold = flag(o.caseFold, 'caseFold');
    own = ownSide(s, [sideA, sideB], trim, caseFold);
  } catch (e) {
    const code = e instanceof ParleyError ? e.code : 'ERR_BAD_INPUT';
    ch.post(0, Float64Array.from([REFUSED, ...Array.from(code, (x) => x.charCodeAt(0))]));
    for (let k = 0; k < ENGINE_OPS; k++) s.nextOp(); // as the other party registers them
    throw e;
  }
  const nonce = randomBytes(NONCE);
  ch.post(0, header(own.keys.length, own.cols, trim, caseFold, nonce));
  const theirs = peerHeader(ch, trim, caseFold);
  const nA = s.party === 0 ? Promise.resolve(own.keys.length) : theirs.then(([n]) => n);
  const m = nA.then(binCount);
  const shares: Promise<JoinShares> = theirs.then(async ([n, cols, peerNonce]) => {
    mark('headers');
    const dst = dstOf(s.party === 0 ? concatBytes(nonce, peerNonce) : concatBytes(peerNonce, nonce));
    try {
      return s.party === 0
        ? await joinAsA(ch, SUITE, s.ring, own, n, cols, dst)
        : await joinAsB(ch, SUITE, s.ring, own, n, cols, dst);
    } catch (e) {
      s.fail(e);
      throw e;
    }
  });
  const colsOf = (p: number) => (s.party === p ? Promise.resolve(own.cols) : theirs.then(([, c]) => c));
  const [a, b] = [colsOf(0), colsOf(1)];
  const test = new SecureArray(
    s,
    'int64',
    m.then((x) => [x]),
    shares.then((x) => x.test),
    false,
  );
  const leftRaw = new SecureArray(
    s,
    'float64',
    Promise.all([m, a]),
    shares.then((x) => x.left),
    false,
  );
  const rightRaw = new SecureArray(
    s,
    'float64',
    Promise.all([m, b]),
    shares.then((x) => x.right),
    false,
  );
  const W = s.ring.words;
  const matched = s.derive({
    inputs: [test],
    dtype: 'bool',
    shape: ([sh]) => sh!,
    needs: (_, out) => ({ andWords: packedZeroWords(out[0]!) }),
    run: async (c) => {
      mark('zero test start');
      const bits = boolShares(await packedZero(c.wire, c.key, c.shares[0]!, c.material!.and), W);
      mark('zero test done');
      return bits;
    },
  });
  const viaOt = s.prep.maker.otProducts !== undefined;
  /** x with its rows zeroed where not matched (one engine operation). */
  const zeroed = (x: SecureArray) =>
    s.derive({
      inputs: [matched, x],
      dtype: 'float64',
      shape: ([, sh]) => sh!,
      needs: (_, [rows, cols]) =>
        viaOt ? { otProducts: rows! * cols! } : { truncations: rows!, triples: rows! * cols! },
      run: async (c) => {
        const { ring } = s;
        const [rows, cols] = c.out as [number, number];
        const bits = lowWords(c.shares[0]!, W).map((v) => v & 1n);
        if (viaOt) {
          mark('OT product start');
          const out = await otTimes(c.wire, c.key(0), bits, c.shares[1]!, cols, c.material!.ot);
          mark('OT product done');
          return out;
        }
        const both = await bitProduct(c.wire, c.key(0), bits, c.material!.trunc.bits);
        const mine = new BigUint64Array(rows * W);
        for (let i = 0; i < rows; i++) mine[i * W] = bits[i]!;
        const mu = ring.sub(mine, ring.mulScalar(both, 2n)); // shares of m0 + m1 − 2·m0·m1
        const wide = new BigUint64Array(rows * cols * W);
        for (let i = 0; i < rows; i++)
          for (let j = 0; j < cols; j++) wide.set(mu.subarray(i * W, i * W + W), (i * cols + j) * W);
        return beaverMul(c.wire, c.key(1), wide, c.shares[1]!, c.material!.triples);
      },
    });
  const left = zeroed(leftRaw);
  const right = zeroed(rightRaw);
  return Promise.all([matched.shaped, left.shaped, right.shaped]).then(() => ({ matched, left, right }));
}
