// The private join's two-party message flow (docs/securenumpy.md, "Private join"): circuit PSI
// with payloads after Pinkas, Schneider, Tkachenko, Yanai (EUROCRYPT 2019), with the OPPRF built
// from a DH-OPRF and an OKVS (okvs.ts), ending in shares the engine finishes (ops-join.ts).
// A (party 0) holds n_A keys and a columns, B (party 1) n_B keys and b columns.
//
//   stage 0, both ways: the header [n, columns, flags, a fresh 16-byte nonce] (or a refusal
//            code; ops-join.ts). The hash-to-curve DST is "parley/join/v1/" ‖ hex(nonce_A ‖
//            nonce_B) (dstOf): fresh per join, and known to both after the headers, so both
//            parties hash their keys at once, side by side.
//   stage 1, A → B: the blinded points [r]·H(a_i) (32 bytes each); B → A: [k_B]·(each), which A
//            unblinds to F(a_i) = [k_B]·H(a_i). B computes F(b_j) itself (no traffic).
//   stage 2, A → B: the seed of A's cuckoo table (cuckoo.ts, m = ⌈1.27·n_A⌉ + 8 bins);
//            B → A: an OKVS seed and table of ⌈1.3·3n_B⌉ + 16 cells of 1 + b·W words, in which
//            the key (F(b_j), u) for each distinct candidate bin u of b_j decodes to
//            [t_u ⊕ KDF_0, (p_j,c − s_u,c) ⊕ KDF_c...] (kdf.ts; t_u a random word, s_u random
//            ring elements per bin), padded with random dummy keys to exactly 3·n_B keys.
//   A decodes at (F(a_i), u) for the bin u holding a_i (a random point for an empty bin) and
//   removes its KDF words: w_u (= t_u iff a_i = some b_j, else pseudorandom) and d_u (= p_j − s_u
//   iff matched). The shares handed on, per bin: `test` (w_u at A, −t_u at B: the zero test of
//   protocols-bool.ts on x0 ⊕ −x1 tests w_u = t_u), `right` (d_u at A, s_u at B: B's payload
//   where matched) and `left` (A's own row, zeros at B).
// Every message's size is a function of n_A, n_B, a, b and the ring only.

import { ParleyError } from '../../shared/errors.js';
import { randomBytes, randomRing } from '../../shared/random.js';
import type { Ring } from '../../shared/rings.js';
import { binCount, candidates, cuckooTable } from './cuckoo.js';
import { kdfWords } from './kdf.js';
import { okvsDecode, okvsEncode, okvsSize } from './okvs.js';

type JoinPayload = BigUint64Array | Float64Array;

/** The join's stages over the session's exchange (each stage's key taken once per direction). */
export interface JoinChannel {
  post(stage: number, value: JoinPayload): void;
  take(stage: number): Promise<JoinPayload>;
}

/** The DH-OPRF and hash-to-curve the join runs on (workers/join/oprf.ts, hash-to-curve.ts). */
export interface OprfSuite {
  /** n keys → n×32 bytes of curve points (u-coordinates). */
  hash(keys: readonly Uint8Array[], dst: Uint8Array): Uint8Array;
  /** B's key: F on n×32 bytes of points. */
  key(): Promise<{ evaluate(points: Uint8Array): Promise<Uint8Array> }>;
  /** A's blinding factor r: [r]· and [r^-1]· on n×32 bytes. */
  blinding(): Promise<{
    blind(points: Uint8Array): Promise<Uint8Array>;
    unblind(points: Uint8Array): Promise<Uint8Array>;
  }>;
}

/** One party's side: normalised keys, and its values encoded in the ring (n·cols ring elements). */
export interface JoinSide {
  keys: readonly Uint8Array[];
  values: BigUint64Array;
  cols: number;
}

/** This party's shares of the joined rows, m = binCount(n_A) of them. */
export interface JoinShares {
  m: number;
  /** One word per row: w_u at A, −t_u at B (the zero test's input, see the header). */
  test: BigUint64Array;
  /** m·a ring elements: A's rows in A's bins. */
  left: BigUint64Array;
  /** m·b ring elements: B's matching rows (garbage where unmatched). */
  right: BigUint64Array;
}

const POINT = 32;

const asWords = (b: Uint8Array) => new BigUint64Array(b.slice().buffer);
const asBytes = (w: BigUint64Array) => new Uint8Array(w.buffer, w.byteOffset, w.byteLength);

async function takeWords(ch: JoinChannel, stage: number, n: number, what: string): Promise<BigUint64Array> {
  const v = await ch.take(stage);
  if (!(v instanceof BigUint64Array) || v.length !== n)
    throw new ParleyError('ERR_PROTOCOL', `the peer's ${what} has the wrong size`);
  return v;
}

/** The join's hash-to-curve DST from both parties' nonces (party 0's first). */
export function dstOf(nonces: Uint8Array): Uint8Array {
  const hex = Array.from(nonces, (x) => x.toString(16).padStart(2, '0')).join('');
  return new TextEncoder().encode(`parley/join/v1/${hex}`);
}

const seedWords = (seed: Uint32Array) => new BigUint64Array(seed.slice().buffer);
const seedOf = (w: BigUint64Array) => new Uint32Array(w.slice(0, 2).buffer);

/** Party 0's side of the join, given the peer's row count nB and column count b. */
export async function joinAsA(
  ch: JoinChannel,
  suite: OprfSuite,
  ring: Ring,
  mine: JoinSide,
  nB: number,
  b: number,
  dst: Uint8Array,
): Promise<JoinShares> {
  const W = ring.words;
  const nA = mine.keys.length;
  const blinding = await suite.blinding();
  ch.post(1, asWords(await blinding.blind(suite.hash(mine.keys, dst))));
  const evaluated = await takeWords(ch, 1, (POINT / 8) * nA, 'OPRF evaluation');
  const F = await blinding.unblind(asBytes(evaluated).slice());
  const m = binCount(nA);
  const { seed, bins } = cuckooTable(F, m);
  ch.post(2, seedWords(seed));
  const wv = 1 + b * W;
  const size = okvsSize(3 * nB);
  const got = await takeWords(ch, 2, 2 + size * wv, 'OKVS');
  // The decode points: F(a_i) in a_i's bin, a random point in an empty bin.
  const points = randomBytes(POINT * m);
  for (let u = 0; u < m; u++) {
    const i = bins[u]!;
    if (i >= 0) points.set(F.subarray(POINT * i, POINT * i + POINT), POINT * u);
  }
  const binIds = Uint32Array.from({ length: m }, (_, u) => u);
  const pads = kdfWords(points, binIds, 1 + wv);
  const posKeys = new BigUint64Array(m);
  for (let u = 0; u < m; u++) posKeys[u] = pads[u * (1 + wv)]!;
  const decoded = okvsDecode(got.subarray(2), wv, seedOf(got), posKeys);
  const test = new BigUint64Array(m);
  const right = new BigUint64Array(m * b * W);
  for (let u = 0; u < m; u++) {
    test[u] = decoded[u * wv]! ^ pads[u * (1 + wv) + 1]!;
    for (let k = 0; k < b * W; k++) right[u * b * W + k] = decoded[u * wv + 1 + k]! ^ pads[u * (1 + wv) + 2 + k]!;
  }
  const a = mine.cols;
  const left = new BigUint64Array(m * a * W);
  for (let u = 0; u < m; u++) {
    const i = bins[u]!;
    if (i >= 0) left.set(mine.values.subarray(i * a * W, (i + 1) * a * W), u * a * W);
  }
  return { m, test, left, right };
}

/** Party 1's side of the join, given the peer's row count nA and column count a. */
export async function joinAsB(
  ch: JoinChannel,
  suite: OprfSuite,
  ring: Ring,
  mine: JoinSide,
  nA: number,
  a: number,
  dst: Uint8Array,
): Promise<JoinShares> {
  const W = ring.words;
  const nB = mine.keys.length;
  const b = mine.cols;
  const key = await suite.key();
  const own = key.evaluate(suite.hash(mine.keys, dst)); // while A hashes and blinds its own
  own.catch(() => undefined);
  const blinded = await takeWords(ch, 1, (POINT / 8) * nA, 'blinded points');
  ch.post(1, asWords(await key.evaluate(asBytes(blinded).slice())));
  const F = await own;
  const seed = seedOf(await takeWords(ch, 2, 2, 'cuckoo seed'));
  const m = binCount(nA);
  const cand = candidates(F, seed, m);
  // One OKVS key per distinct candidate bin of each key, then random dummies up to 3·n_B.
  const N = 3 * nB;
  const entryPoints = randomBytes(POINT * N);
  const entryBins = new Uint32Array(N);
  const owner = new Int32Array(N).fill(-1);
  let e = 0;
  for (let j = 0; j < nB; j++) {
    for (let h = 0; h < 3; h++) {
      const u = cand[3 * j + h]!;
      if ((h > 0 && u === cand[3 * j]) || (h > 1 && u === cand[3 * j + 1])) continue;
      entryPoints.set(F.subarray(POINT * j, POINT * j + POINT), POINT * e);
      entryBins[e] = u;
      owner[e++] = j;
    }
  }
  const wv = 1 + b * W;
  const pads = kdfWords(entryPoints, entryBins, 1 + wv);
  const t = randomRing(m);
  const s = randomRing(m * b * W);
  const posKeys = new BigUint64Array(N);
  const values = randomRing(N * wv); // dummies keep their random values
  const payload = new BigUint64Array(b * W);
  for (let k = 0; k < N; k++) {
    posKeys[k] = pads[k * (1 + wv)]!;
    const j = owner[k]!;
    if (j < 0) continue;
    const u = entryBins[k]!;
    values[k * wv] = t[u]! ^ pads[k * (1 + wv) + 1]!;
    payload.set(ring.sub(mine.values.subarray(j * b * W, (j + 1) * b * W), s.subarray(u * b * W, (u + 1) * b * W)));
    for (let c = 0; c < b * W; c++) values[k * wv + 1 + c] = payload[c]! ^ pads[k * (1 + wv) + 2 + c]!;
  }
  const table = okvsEncode(posKeys, values, wv, okvsSize(N));
  const msg = new BigUint64Array(2 + table.table.length);
  msg.set(seedWords(table.seed));
  msg.set(table.table, 2);
  ch.post(2, msg);
  const test = new BigUint64Array(m);
  for (let u = 0; u < m; u++) test[u] = -t[u]!;
  return { m, test, left: new BigUint64Array(m * a * W), right: s };
}
