// The placeholder triple dealer run by the service: it hands each member of a job its compressed
// Beaver triples once, and refuses a second request, so correlated randomness is never reused.
// It learns triples, never data; it must not collude with a party (labelled so in the UI).

import { ParleyError } from '../shared/errors.js';
import type { TripleGrant } from '../shared/protocol.js';
import { randomBytes, SEED_BYTES, toBase64Url } from '../shared/random.js';
import { add, mul, sub } from '../shared/ring.js';
import type { Store } from './store.js';

// a-stack only: shared/triples.ts is gone with the old spine, and d-service deletes this file
// (the service dealer is retired); until that merge the service keeps dealing with these.
async function expandSeed(seed: Uint8Array, words: number): Promise<BigUint64Array> {
  const key = await crypto.subtle.importKey('raw', seed as BufferSource, 'AES-CTR', false, ['encrypt']);
  const stream = await crypto.subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length: 64 }, key, new Uint8Array(words * 8));
  return new BigUint64Array(stream);
}

async function dealerCorrection(seed0: Uint8Array, seed1: Uint8Array, n: number): Promise<BigUint64Array> {
  const s0 = await expandSeed(seed0, 3 * n);
  const s1 = await expandSeed(seed1, 2 * n);
  const a = add(s0.subarray(0, n), s1.subarray(0, n));
  const b = add(s0.subarray(n, 2 * n), s1.subarray(n, 2 * n));
  return sub(mul(a, b), s0.subarray(2 * n, 3 * n));
}

const encodeCorrection = (c: BigUint64Array) => toBase64Url(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));

export async function grantTriples(store: Store, jobId: string, party: 0 | 1, count: number): Promise<TripleGrant> {
  // Everything up to the first await is synchronous, so two concurrent requests cannot both
  // create seeds or both receive the same grant.
  let rec = store.getDealer(jobId);
  if (!rec) {
    rec = { jobId, count, seed0: randomBytes(SEED_BYTES), seed1: randomBytes(SEED_BYTES), issued0: false, issued1: false };
    store.saveDealer(rec);
  }
  if (rec.count !== count) {
    throw new ParleyError('ERR_LENGTH_MISMATCH', `the peer asked for ${rec.count} triples, this party for ${count}`);
  }
  if (party === 0 ? rec.issued0 : rec.issued1) {
    throw new ParleyError('ERR_DEALER_REPLAY', `party ${party} already received its triples for this job`);
  }
  const { seed0, seed1 } = rec;
  store.saveDealer({ ...rec, issued0: rec.issued0 || party === 0, issued1: rec.issued1 || party === 1 });
  if (party === 0) return { seed: toBase64Url(seed0), count };
  return { seed: toBase64Url(seed1), count, correction: encodeCorrection(await dealerCorrection(seed0, seed1, count)) };
}
