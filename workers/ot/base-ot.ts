// Base OTs that bootstrap IKNP: Chou–Orlandi "simplest OT" over ristretto255, batched so that
// any number of OTs costs one message each way. Semi-honest security under CDH/DDH in
// ristretto255 with SHA-256 as a random oracle; each OT gives the sender two 16-byte keys.
//
//   sender:   a ← Z_ℓ, A = a·G                                        sends A
//   receiver: per OT i with choice c_i: b_i ← Z_ℓ, B_i = b_i·G + c_i·A   sends B_1..B_n
//             keeps k_{c_i} = KDF(i, A, B_i, b_i·A)
//   sender:   k0_i = KDF(i, A, B_i, a·B_i), k1_i = KDF(i, A, B_i, a·B_i − a·A)
// The receiver cannot compute the other key: that would need a·(B_i ∓ A) = ab_i·G ∓ a²·G.

import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ParleyError } from '../../shared/errors.js';
import type { OtChannel } from './channel.js';
import { platformRandom, type RandomSource } from './context.js';
import { recvBytes } from './wire.js';

const Point = ristretto255.Point;
type Point = InstanceType<typeof Point>;

export const POINT_BYTES = 32;
const KEY_BYTES = 16;
const KDF_DOMAIN = new TextEncoder().encode('parley/base-ot/v1');

export interface BaseOtSenderState {
  a: bigint;
  A: Point;
  aA: Point;
  Abytes: Uint8Array;
}

/** A uniform non-zero scalar mod ℓ from 64 random bytes (bias below 2^-260). */
function randomScalar(rng: RandomSource): bigint {
  for (;;) {
    const s = Point.Fn.create(bytesToNumberLE(rng(64)));
    if (s !== 0n) return s;
  }
}

/** Decodes a canonical ristretto255 point from the peer; the identity is refused. */
function decodePoint(bytes: Uint8Array, what: string): Point {
  let p: Point;
  try {
    p = Point.fromBytes(bytes);
  } catch {
    throw new ParleyError('ERR_PROTOCOL', `expected ${what} as a ristretto255 point, got invalid bytes`);
  }
  if (p.is0()) throw new ParleyError('ERR_PROTOCOL', `expected ${what} as a ristretto255 point, got the identity`);
  return p;
}

function kdf(i: number, A: Uint8Array, B: Uint8Array, shared: Point): Uint8Array {
  const input = new Uint8Array(KDF_DOMAIN.length + 4 + 3 * POINT_BYTES);
  input.set(KDF_DOMAIN);
  new DataView(input.buffer).setUint32(KDF_DOMAIN.length, i, true);
  input.set(A, KDF_DOMAIN.length + 4);
  input.set(B, KDF_DOMAIN.length + 4 + POINT_BYTES);
  input.set(shared.toBytes(), KDF_DOMAIN.length + 4 + 2 * POINT_BYTES);
  return sha256(input).slice(0, KEY_BYTES);
}

function choiceBit(choices: Uint8Array, i: number): number {
  return (choices[i >>> 3]! >>> (i & 7)) & 1;
}

/** Sender, step 1: the secret a and the public A = a·G. */
export function baseOtSenderStart(rng: RandomSource = platformRandom): { state: BaseOtSenderState; A: Uint8Array } {
  const a = randomScalar(rng);
  const A = Point.BASE.multiply(a);
  const Abytes = A.toBytes();
  return { state: { a, A, aA: A.multiply(a), Abytes }, A: Abytes };
}

/** Receiver: B_i for each choice bit (little-endian bits of `choices`) and the chosen keys. */
export function baseOtReceiverRespond(
  Abytes: Uint8Array,
  choices: Uint8Array,
  count: number,
  rng: RandomSource = platformRandom,
): { B: Uint8Array; keys: Uint8Array[] } {
  if (choices.length * 8 < count)
    throw new ParleyError('ERR_INTERNAL', `expected ${count} choice bits, got ${choices.length * 8}`);
  const A = decodePoint(Abytes, 'the base-OT sender point A');
  A.precompute(8, false); // b_i·A for many b_i: a window table pays for itself
  const B = new Uint8Array(count * POINT_BYTES);
  const keys: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const b = randomScalar(rng);
    const bG = Point.BASE.multiply(b);
    const Bi = (choiceBit(choices, i) ? bG.add(A) : bG).toBytes();
    B.set(Bi, i * POINT_BYTES);
    keys.push(kdf(i, Abytes, Bi, A.multiply(b)));
  }
  return { B, keys };
}

/** Sender, step 2: both keys of every OT from the receiver's points B. */
export function baseOtSenderFinish(
  state: BaseOtSenderState,
  B: Uint8Array,
  count: number,
): { k0: Uint8Array[]; k1: Uint8Array[] } {
  if (B.length !== count * POINT_BYTES)
    throw new ParleyError(
      'ERR_PROTOCOL',
      `expected ${count} points (${count * POINT_BYTES} bytes), got ${B.length} bytes`,
    );
  const k0: Uint8Array[] = [];
  const k1: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const Bbytes = B.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES);
    const aB = decodePoint(Bbytes, `base-OT receiver point ${i}`).multiply(state.a);
    k0.push(kdf(i, state.Abytes, Bbytes, aB));
    k1.push(kdf(i, state.Abytes, Bbytes, aB.subtract(state.aA)));
  }
  return { k0, k1 };
}

/** The public transcript A ‖ B, from which both sides derive the instance's hash key. */
function transcript(A: Uint8Array, B: Uint8Array): Uint8Array {
  const t = new Uint8Array(A.length + B.length);
  t.set(A);
  t.set(B, A.length);
  return t;
}

/** Runs `count` base OTs as the sender over `pool`; messages `${id}/A` out, `${id}/B` in. */
export async function baseOtSend(
  pool: OtChannel,
  peer: number,
  id: string,
  count: number,
  rng?: RandomSource,
): Promise<{ k0: Uint8Array[]; k1: Uint8Array[]; transcript: Uint8Array }> {
  const { state, A } = baseOtSenderStart(rng);
  await pool.send(peer, A, `${id}/A`);
  const B = await recvBytes(pool, peer, `${id}/B`, count * POINT_BYTES);
  return { ...baseOtSenderFinish(state, B, count), transcript: transcript(A, B) };
}

/** Runs `count` base OTs as the receiver with the given choice bits. */
export async function baseOtReceive(
  pool: OtChannel,
  peer: number,
  id: string,
  choices: Uint8Array,
  count: number,
  rng?: RandomSource,
): Promise<{ keys: Uint8Array[]; transcript: Uint8Array }> {
  const A = await recvBytes(pool, peer, `${id}/A`, POINT_BYTES);
  const { B, keys } = baseOtReceiverRespond(A, choices, count, rng);
  await pool.send(peer, B, `${id}/B`);
  return { keys, transcript: transcript(A, B) };
}
