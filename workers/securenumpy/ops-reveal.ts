// Getting values into and out of the engine: private inputs shared from a PRG seed both parties
// know (so sharing costs no traffic beyond the shape), public constants (no traffic at all),
// reveals to one party only, and raw shares in and out. An owner that refuses its own input
// sends the code in place of the shape, so the other party's operations on it fail at once.

import { isErrorCode, ParleyError } from '../../shared/errors.js';
import { checkShape } from '../../shared/nd/shape.js';
import { NDArray } from '../../shared/ndarray.js';
import { Prg } from '../../shared/prg.js';
import { randomBytes, SEED_BYTES } from '../../shared/random.js';
import { SecureArray } from './array.js';
import { broadcastTo, sameShape } from './operand.js';
import type { Session } from './session.js';
import {
  checkDtype,
  DTYPES,
  decodeValues,
  encodeValues,
  inputBound,
  type Plain,
  type SecureDType,
  toPlain,
} from './values.js';

const SEED_KEY = -1;
const inputSeeds = new WeakMap<Session, Promise<Prg>>();

/** The PRG whose streams mask inputs: party 0 draws its seed and sends it once. */
function inputPrg(s: Session): Promise<Prg> {
  let prg = inputSeeds.get(s);
  if (!prg) {
    if (s.party === 0) {
      const seed = randomBytes(SEED_BYTES);
      s.ex.post(SEED_KEY, new BigUint64Array(seed.buffer));
      prg = Promise.resolve(new Prg(seed));
    } else {
      prg = s.ex.take(SEED_KEY).then((v) => {
        if (!(v instanceof BigUint64Array) || v.length !== SEED_BYTES / 8)
          throw new ParleyError('ERR_PROTOCOL', 'malformed input seed');
        return new Prg(new Uint8Array(v.buffer, v.byteOffset, SEED_BYTES));
      });
    }
    inputSeeds.set(s, prg);
  }
  return prg;
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The owner's message in place of a shape: it refused its input with this code. */
const REFUSED = -1;

function refusal(e: unknown): Float64Array {
  const code = e instanceof ParleyError ? e.code : 'ERR_BAD_INPUT';
  return Float64Array.from([REFUSED, ...Array.from(code, (c) => c.charCodeAt(0))]);
}

/** The owner's refusal as this party's error: the code only (the owner's message may name its data). */
function refused(v: Float64Array, owner: number): ParleyError {
  const code = String.fromCharCode(...v.subarray(1));
  if (!isErrorCode(code)) return new ParleyError('ERR_PROTOCOL', 'malformed input refusal');
  return new ParleyError(code, `party ${owner} refused its own input with ${code}; operations on it cannot run`);
}

/** The owner's checks of its data: the shape it has and its values encoded as `dtype`. */
function ownData(s: Session, data: unknown, owner: number, dtype: SecureDType, hint: number[] | null) {
  if (data === null || data === undefined)
    throw new ParleyError('ERR_BAD_INPUT', `party ${owner} owns this input and must pass its data`);
  const plain = toPlain(data);
  if (hint && !sameShape(hint, plain.shape))
    throw new ParleyError(
      'ERR_SHAPE',
      `the data has shape (${plain.shape.join(', ')}), the hint says (${hint.join(', ')})`,
    );
  const bound = inputBound(s.fracBits, s.ring);
  return { shape: plain.shape, x: encodeValues(plain.values, dtype, s.fracBits, bound, s.ring, plain.shape) };
}

/**
 * snp.array(data, owner, dtype?, { shape }?): the owner passes data, every other party null.
 * When the owner refuses its data (range, malformed, hint), it throws and tells the other
 * party the code, so that party's operations on the input reject with it at once.
 */
export function input(
  s: Session,
  data: unknown,
  owner: unknown,
  dtypeArg?: unknown,
  opts: { shape?: number[] } = {},
): SecureArray {
  if (owner !== 0 && owner !== 1)
    throw new ParleyError('ERR_BAD_REQUEST', `expected the owner to be party 0 or 1, got ${String(owner)}`);
  const dtype = checkDtype(dtypeArg);
  const hint = opts.shape === undefined ? null : [...checkShape(opts.shape)];
  const key = s.opKey();
  if (s.party === owner) {
    let own: ReturnType<typeof ownData>;
    try {
      own = ownData(s, data, owner, dtype, hint);
    } catch (e) {
      s.ex.post(key, refusal(e));
      throw e;
    }
    const { shape, x } = own;
    s.ex.post(key, Float64Array.from([DTYPES.indexOf(dtype), ...shape]));
    const share = inputPrg(s).then(async (prg) => {
      const r = await prg.words(key, x.length);
      return dtype === 'bool' ? x.map((v, i) => (v ^ r[i]!) & 1n) : s.ring.sub(x, r);
    });
    // Without a hint the other party learns this shape later: it is not settled yet.
    return new SecureArray(s, dtype, shape, share, hint !== null);
  }
  if (data !== null && data !== undefined)
    throw new ParleyError('ERR_BAD_INPUT', `this input is owned by party ${owner}; party ${s.party} must pass null`);
  let refusedHere: ParleyError | null = null;
  const shape = s.ex.take(key).then((v) => {
    if (v instanceof Float64Array && v[0] === REFUSED) throw (refusedHere = refused(v, owner));
    if (!(v instanceof Float64Array) || v.length < 1 || v.length > 33)
      throw new ParleyError('ERR_PROTOCOL', 'malformed input shape');
    const theirs = DTYPES[v[0]!];
    if (theirs !== dtype)
      throw new ParleyError(
        'ERR_DTYPE',
        `party ${owner}'s input is ${theirs ?? 'of an unknown dtype'}, this party expects ${dtype}: pass the same dtype at every party`,
      );
    const got = [...checkShape(Array.from(v.subarray(1)))];
    if (hint && !sameShape(hint, got))
      throw new ParleyError(
        'ERR_SHAPE',
        `party ${owner}'s input has shape (${got.join(', ')}), the hint says (${hint.join(', ')})`,
      );
    return got;
  });
  // A disagreement with the owner (dtype, shape hint) stops the session: the owner learns it too.
  // A refusal does not: the owner threw at its call, and only this input's operations fail here.
  shape.catch((e) => {
    if (e !== refusedHere) s.fail(e);
  });
  const share = Promise.all([inputPrg(s), shape]).then(async ([prg, sh]) => {
    const r = await prg.words(key, sizeOf(sh) * s.ring.words);
    return dtype === 'bool' ? r.map((v) => v & 1n) : r;
  });
  // With a hint, the shape is known now; the share (and so every operation on it) still waits.
  return new SecureArray(s, dtype, hint ?? shape, share);
}

/** A public constant held by `party` (default 0), broadcast to `shape`: costs no communication. */
export function constantPlain(
  s: Session,
  plain: Plain,
  dtype: SecureDType,
  party: unknown = 0,
  shape: number[] = plain.shape,
): SecureArray {
  if (party !== 0 && party !== 1)
    throw new ParleyError('ERR_BAD_REQUEST', `expected party 0 or 1, got ${String(party)}`);
  const bound = 2 ** (s.ring.bits - 2 - s.fracBits);
  const enc = broadcastTo(encodeValues(plain.values, dtype, s.fracBits, bound, s.ring), plain.shape, shape);
  const share = s.party === party ? enc : new BigUint64Array(enc.length);
  return new SecureArray(s, dtype, shape, Promise.resolve(share));
}

export function constant(
  s: Session,
  data: unknown,
  dtype: SecureDType,
  party: unknown = 0,
  shape?: number[],
): SecureArray {
  const plain = toPlain(data);
  return constantPlain(s, plain, dtype, party, shape ?? plain.shape);
}

export function revealTo(a: SecureArray, to: unknown): Promise<NDArray | null> {
  const s = a.session;
  const p = s.checkReveal(to);
  const key = s.opKey();
  return (async () => {
    const [share, shape] = await Promise.all([a.share, a.shaped]);
    s.reached(a.depth + 1); // a reveal is one more round after the value
    if (s.party !== p) {
      s.ex.post(key, share);
      return null;
    }
    const theirs = await s.ex.take(key);
    if (!(theirs instanceof BigUint64Array) || theirs.length !== share.length)
      throw new ParleyError('ERR_PROTOCOL', 'the peer sent a share of the wrong size');
    const v = a.dtype === 'bool' ? share.map((x, i) => (x ^ theirs[i]!) & 1n) : s.ring.add(share, theirs);
    return decodeValues(v, shape, a.dtype, s.fracBits, s.ring);
  })();
}

/**
 * A copy of this party's share as an int64 NDArray: of the array's shape in Z_2^64; in Z_2^128 of
 * shape [...shape, 2], each element's low word then high word (the shares add up mod 2^ℓ; bool
 * shares XOR in bit 0 of the low word).
 */
export function toShare(a: SecureArray): Promise<NDArray> {
  const W = a.session.ring.words;
  return Promise.all([a.share, a.shaped]).then(([share, shape]) => {
    const copy = share.slice();
    return new NDArray(W === 1 ? shape : [...shape, W], 'int64', new BigInt64Array(copy.buffer));
  });
}

/** Wraps this party's share back, as toShare gave it (in Z_2^128 the trailing axis of 2 words is checked and dropped). */
export function fromShare(s: Session, share: unknown, dtypeArg?: unknown): SecureArray {
  const dtype = checkDtype(dtypeArg);
  if (!(share instanceof NDArray))
    throw new ParleyError('ERR_BAD_INPUT', 'fromShare expects the int64 NDArray that toShare returned');
  if (share.dtype !== 'int64' && share.dtype !== 'uint64')
    throw new ParleyError('ERR_DTYPE', `fromShare expects the int64 NDArray that toShare returned, got ${share.dtype}`);
  const W = s.ring.words;
  if (W === 2 && (share.shape.length === 0 || share.shape[share.shape.length - 1] !== 2)) {
    throw new ParleyError(
      'ERR_SHAPE',
      `in the wide ring (ring: 128) a share has shape [...shape, 2] (low word, high word per element), got [${share.shape.join(', ')}]`,
    );
  }
  const d = share.data as BigInt64Array | BigUint64Array;
  const words = new BigUint64Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) as ArrayBuffer);
  const shape = W === 1 ? [...share.shape] : share.shape.slice(0, -1);
  return new SecureArray(s, dtype, shape, Promise.resolve(words));
}
