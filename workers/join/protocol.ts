// The private join's two-party message flow (docs/securenumpy.md, "Private join"): circuit PSI
// with payloads after Pinkas, Schneider, Tkachenko, Yanai (EUROCRYPT 2019), with the OPPRF built
// from a DH-OPRF and an OKVS (okvs.ts), ending in shares the engine finishes (ops-join.ts).
// A (party 0) holds n_A keys and a columns, B (party 1) n_B keys and b columns.
//
//   stage 0, both ways: the header [n, columns, flags, a fresh 16-byte nonce] (or a refusal
//            code; ops-join.ts). The join's DST is "parley/join/v1/" ‖ hex(nonce_A ‖ nonce_B)
//            (dstOf): fresh per join, known to both after the headers.
//   Bins: a key x's three candidate bins come from its public digest SHA-256("parley/join/bins/
//   v1/" ‖ DST ‖ x) under A's cuckoo seed (binDigests; cuckoo.ts, m = ⌈1.27·n_A⌉ + 8 bins), never
//   from the OPRF. A places its keys (u_a: the bin holding a).
//   stage 1, A → B: the cuckoo seed, at once (B hashes and evaluates its own keys meanwhile);
//   stage 2, A → B: for EVERY bin u in order, a blinded point [r]·H(u ‖ a) for the key a in
//            bin u, or [r]·H(32 random bytes) for an empty bin (u as 4 bytes big-endian; 32 bytes
//            per bin); stage 1, B → A: [k_B]·(each). A unblinds the occupied bins
//            only, to F(a, u_a) = [k_B]·H(u_a ‖ a): the OPRF binds the bin (PSTY19 evaluate it
//            once per bin for the same reason). B computes F(b, u) itself for each distinct
//            candidate bin u of each of its keys b (no traffic).
//   stage 2, B → A: an OKVS seed and table of ⌈1.3·3n_B⌉ + 16 cells of 1 + b·W words, in which
//            the key (F(b_j, u), u) for each distinct candidate bin u of b_j decodes to
//            [t_u ⊕ KDF_0, (p_j,c − s_u,c) ⊕ KDF_c...] (kdf.ts, KDF of (F(b_j, u), u); t_u a random
//            word, s_u random ring elements per bin), padded with random dummy keys to 3·n_B keys.
//   A decodes at (F(a, u_a), u_a) for each occupied bin (a random point for an empty bin) and
//   removes its KDF words: w_u (= t_u iff a = some b_j, else pseudorandom) and d_u (= p_j − s_u
//   iff matched). A holds F only at (a, u_a), so no other entry of the OKVS opens for it: a
//   decode at another bin u of a, where B's entry (if any) is keyed by F(a, u), is pseudorandom
//   (test/workers/join/protocol.test.ts emulates that attack). B sees m uniformly random points.
//   The shares handed on, per bin: `test` (w_u at A, −t_u at B: the zero test of
//   protocols-bool.ts on x0 ⊕ −x1 tests w_u = t_u), `right` (d_u at A, s_u at B: B's payload
//   where matched) and `left` (A's own row, zeros at B).
// Every message's size is a function of n_A, n_B, a, b and the ring only.

import { sha256 } from '@noble/hashes/sha2.js';
import { ParleyError } from '../../shared/errors.js';
import { randomBytes, randomRing } from '../../shared/random.js';
import type { Ring } from '../../shared/rings.js';
import { binCount, candidates, cuckooTable } from './cuckoo.js';
import { kdfWords } from './kdf.js';
import { okvsDecode, okvsEncode, okvsSize } from './okvs.js';
import { mark } from './trace.js';

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
/** The bin digests' domain, before the join's DST (binDigests). */
const BIN_DST = new TextEncoder().encode('parley/join/bins/v1/');

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

/**
 * The public bin digest of each key: SHA-256(BIN_DST ‖ dst ‖ key), 32 bytes per key (the cuckoo
 * hashing's input, cuckoo.ts). Public and keyed per join by dst; never derived from the OPRF.
 */
function binDigests(keys: readonly Uint8Array[], dst: Uint8Array): Uint8Array {
  const out = new Uint8Array(POINT * keys.length);
  keys.forEach((key, i) => {
    const input = new Uint8Array(BIN_DST.length + dst.length + key.length);
    input.set(BIN_DST);
    input.set(dst, BIN_DST.length);
    input.set(key, BIN_DST.length + dst.length);
    out.set(sha256(input), POINT * i);
  });
  return out;
}

/** The OPRF's input for key x in bin u: u as 4 bytes big-endian, then x (F(x, u) = [k]·H(u ‖ x)). */
function inBin(key: Uint8Array, u: number): Uint8Array {
  const out = new Uint8Array(4 + key.length);
  new DataView(out.buffer).setUint32(0, u, false);
  out.set(key, 4);
  return out;
}

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
  const m = binCount(nA);
  const { seed, bins } = cuckooTable(binDigests(mine.keys, dst), m);
  mark('A cuckoo');
  ch.post(1, seedWords(seed)); // at once: B hashes and evaluates its own keys while A blinds
  // One point per bin in bin order: H(u ‖ a) for the key a in bin u, H of 32 random bytes for an
  // empty bin (a uniformly random group point, blinded like the rest).
  const inputs = Array.from({ length: m }, (_, u) => {
    const i = bins[u]!;
    return i >= 0 ? inBin(mine.keys[i]!, u) : randomBytes(POINT);
  });
  const blinding = await suite.blinding();
  const hashed = suite.hash(inputs, dst);
  mark('A hashed');
  const blinded = await blinding.blind(hashed);
  mark('A blinded');
  ch.post(2, asWords(blinded));
  const evaluated = asBytes(await takeWords(ch, 1, (POINT / 8) * m, 'OPRF evaluation'));
  mark('A got evaluation');
  // Unblind the occupied bins only: F(a, u_a) = [k_B]·H(u_a ‖ a), the only OPRF values A obtains.
  const occupied = Int32Array.from({ length: m }, (_, u) => u).filter((u) => bins[u]! >= 0);
  const theirs = new Uint8Array(POINT * occupied.length);
  occupied.forEach((u, k) => theirs.set(evaluated.subarray(POINT * u, POINT * u + POINT), POINT * k));
  const F = await blinding.unblind(theirs);
  mark('A unblinded');
  const wv = 1 + b * W;
  const size = okvsSize(3 * nB);
  const got = await takeWords(ch, 2, 2 + size * wv, 'OKVS');
  mark('A got OKVS');
  // The decode points: F(a, u) in a's bin u, a random point in an empty bin.
  const points = randomBytes(POINT * m);
  occupied.forEach((u, k) => points.set(F.subarray(POINT * k, POINT * k + POINT), POINT * u));
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
  mark('A decoded');
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
  const m = binCount(nA);
  const key = await suite.key();
  const cand = candidates(binDigests(mine.keys, dst), seedOf(await takeWords(ch, 1, 2, 'cuckoo seed')), m);
  mark('B candidates');
  // A's m points, answered as soon as they are evaluated (WebCrypto runs X25519 off this thread).
  const answered = takeWords(ch, 2, (POINT / 8) * m, 'blinded points')
    .then((blinded) => {
      mark('B got blinded');
      return key.evaluate(asBytes(blinded).slice());
    })
    .then((v) => {
      mark('B answered');
      ch.post(1, asWords(v));
    });
  answered.catch(() => undefined);
  // One OKVS key (F(b, u), u) per distinct candidate bin u of each key b, then random dummies up to 3·n_B.
  const N = 3 * nB;
  const entryBins = new Uint32Array(N);
  const owner = new Int32Array(N).fill(-1);
  const inputs: Uint8Array[] = [];
  for (let j = 0; j < nB; j++) {
    for (let h = 0; h < 3; h++) {
      const u = cand[3 * j + h]!;
      if ((h > 0 && u === cand[3 * j]) || (h > 1 && u === cand[3 * j + 1])) continue;
      entryBins[inputs.length] = u;
      owner[inputs.length] = j;
      inputs.push(inBin(mine.keys[j]!, u));
    }
  }
  const hashed = suite.hash(inputs, dst);
  mark('B hashed');
  const own = await key.evaluate(hashed);
  mark('B evaluated own');
  await answered;
  const entryPoints = randomBytes(POINT * N);
  entryPoints.set(own);
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
  mark('B values');
  const table = okvsEncode(posKeys, values, wv, okvsSize(N));
  mark('B encoded');
  const msg = new BigUint64Array(2 + table.table.length);
  msg.set(seedWords(table.seed));
  msg.set(table.table, 2);
  ch.post(2, msg);
  mark('B sent OKVS');
  const test = new BigUint64Array(m);
  for (let u = 0; u < m; u++) test[u] = -t[u]!;
  return { m, test, left: new BigUint64Array(m * a * W), right: s };
}
