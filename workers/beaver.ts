// Beaver multiplication of secret-shared vectors between two parties: with a triple c = a·b,
// both open d = x - a and e = y - b (uniformly masked, so the openings reveal nothing) and
// compute z = c + d·b + e·a (+ d·e at party 0), a sharing of x·y. Each triple is used once.

import { ParleyError } from '../shared/errors.js';
import { ringAdd, ringMul, ringSub } from '../shared/fixed.js';
import type { TripleShares } from '../shared/triples.js';
import type { Pool } from './pool/pool.js';

/** Receives `id` from `peer` and checks it is n ring elements. */
export async function recvWords(pool: Pool, peer: number, id: string, n: number): Promise<BigUint64Array> {
  const v = await pool.recv(peer, id);
  if (!(v instanceof BigUint64Array) || v.length !== n) throw new ParleyError('ERR_PROTOCOL', `expected ${n} ring elements as "${id}"`);
  return v;
}

/** Element-wise product of shared x and y; `tag` labels this multiplication's openings. */
export async function beaverMul(pool: Pool, party: 0 | 1, x: BigUint64Array, y: BigUint64Array, t: TripleShares, tag: string): Promise<BigUint64Array> {
  const n = x.length;
  if (y.length !== n || t.a.length !== n || t.b.length !== n || t.c.length !== n) {
    throw new ParleyError('ERR_LENGTH_MISMATCH', `beaverMul needs ${n} triples and equal lengths`);
  }
  const peer = 1 - party;
  const dMine = ringSub(x, t.a);
  const eMine = ringSub(y, t.b);
  await Promise.all([pool.send(peer, dMine, `${tag}/d`), pool.send(peer, eMine, `${tag}/e`)]);
  const [dPeer, ePeer] = await Promise.all([recvWords(pool, peer, `${tag}/d`, n), recvWords(pool, peer, `${tag}/e`, n)]);
  const d = ringAdd(dMine, dPeer);
  const e = ringAdd(eMine, ePeer);
  const z = ringAdd(t.c, ringAdd(ringMul(d, t.b), ringMul(e, t.a)));
  const out = party === 0 ? ringAdd(z, ringMul(d, e)) : z;
  // The triple is spent: wipe it so it cannot be used again by mistake.
  t.a.fill(0n);
  t.b.fill(0n);
  t.c.fill(0n);
  return out;
}

