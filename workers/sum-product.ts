// The spine's analysis: party 0 holds x, party 1 holds y (equal lengths); both learn nothing,
// the receiver learns x + y and x · y element-wise. Steps: agree on the length, share inputs,
// add locally, multiply with dealer triples, reveal to the receiver only.
//
// Precision: inputs are rounded to 16 fractional bits; the sum is exact at that precision and
// the product is revealed at 32 fractional bits without truncation, so it is the exact product
// of the rounded inputs. Inputs must lie in [-46340, 46340] so that products stay in range.

import { ParleyError, toErrorInfo } from '../shared/errors.js';
import { checkInputs, decodeVector, encodeVector, FRAC_BITS, ringAdd } from '../shared/fixed.js';
import { MAX_VECTOR_LENGTH } from '../shared/limits.js';
import type { TripleGrant } from '../shared/protocol.js';
import { triplesFromGrant, type TripleShares } from '../shared/triples.js';
import { beaverMul, recvWords } from './beaver.js';
import { OtTripleSession } from './preprocessing/ot-triples.js';
import type { Pool } from './pool/pool.js';
import { share } from './sharing.js';

export type Stage = 'waiting-for-peer' | 'sharing' | 'triples' | 'multiplying' | 'revealing' | 'done';

export interface SumProductArgs {
  party: 0 | 1;
  receiver: 0 | 1;
  input: number[];
  /** Dealer-free (OT extension between the parties) or from the placeholder service dealer. */
  triples: 'dealer-free' | 'service-dealer';
  getTriples(count: number): Promise<TripleGrant>;
  /** Called at each stage, and with the fraction done while triples are being made. */
  onStage?(stage: Stage, progress?: number): void;
}

/** Dealer-free triples are made in chunks of this many, so progress can be shown. */
const TRIPLE_CHUNK = 16_384;

async function dealerFreeTriples(pool: Pool, party: 0 | 1, n: number, onProgress: (fraction: number) => void): Promise<TripleShares> {
  const session = await OtTripleSession.open(pool, party, 'triples');
  const out: TripleShares = { a: new BigUint64Array(n), b: new BigUint64Array(n), c: new BigUint64Array(n) };
  for (let done = 0; done < n; ) {
    const m = Math.min(TRIPLE_CHUNK, n - done);
    const t = await session.triples(m);
    out.a.set(t.a, done);
    out.b.set(t.b, done);
    out.c.set(t.c, done);
    done += m;
    onProgress(done / n);
  }
  return out;
}

export interface SumProductResult {
  sum: number[];
  product: number[];
}

export async function runSumProduct(pool: Pool, args: SumProductArgs): Promise<SumProductResult | null> {
  try {
    return await protocol(pool, args);
  } catch (e) {
    pool.abort(toErrorInfo(e)); // the peer learns the code at once instead of waiting
    throw e;
  }
}

async function protocol(pool: Pool, { party, receiver, input, triples: source, getTriples, onStage }: SumProductArgs): Promise<SumProductResult | null> {
  const n = input.length;
  if (n === 0) throw new ParleyError('ERR_BAD_INPUT', 'the vector is empty');
  if (n > MAX_VECTOR_LENGTH) throw new ParleyError('ERR_TOO_LARGE', `vectors are limited to ${MAX_VECTOR_LENGTH} values, got ${n}`);
  checkInputs(input);

  const peer = 1 - party;
  onStage?.('waiting-for-peer');
  await pool.send(peer, n, 'len');
  const peerLen = await pool.recv(peer, 'len');
  if (typeof peerLen !== 'number') throw new ParleyError('ERR_PROTOCOL', 'expected the peer\'s vector length');
  if (peerLen !== n) throw new ParleyError('ERR_LENGTH_MISMATCH', `this party has ${n} values, the peer has ${peerLen}`);

  onStage?.('sharing');
  const mine = encodeVector(input);
  const [keep, give] = share(mine);
  mine.fill(0n);
  await pool.send(peer, give, 'input');
  give.fill(0n);
  const fromPeer = await recvWords(pool, peer, 'input', n);
  const [x, y] = party === 0 ? [keep, fromPeer] : [fromPeer, keep];

  const sum = ringAdd(x, y);
  onStage?.('triples');
  const triples =
    source === 'dealer-free'
      ? await dealerFreeTriples(pool, party, n, (f) => onStage?.('triples', f))
      : await triplesFromGrant(party, await getTriples(n));
  onStage?.('multiplying');
  const product = await beaverMul(pool, party, x, y, triples, 'mul0');
  x.fill(0n);
  y.fill(0n);

  onStage?.('revealing');
  if (party !== receiver) {
    await pool.send(peer, sum, 'reveal/sum');
    await pool.send(peer, product, 'reveal/product');
    await pool.recv(peer, 'done'); // the receiver has its result; the channel may now close
    onStage?.('done');
    return null;
  }
  const [s, p] = await Promise.all([recvWords(pool, peer, 'reveal/sum', n), recvWords(pool, peer, 'reveal/product', n)]);
  const result = {
    sum: decodeVector(ringAdd(sum, s), FRAC_BITS),
    product: decodeVector(ringAdd(product, p), 2 * FRAC_BITS),
  };
  await pool.send(peer, true, 'done');
  onStage?.('done');
  return result;
}
