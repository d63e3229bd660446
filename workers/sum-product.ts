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
import { triplesFromGrant } from '../shared/triples.js';
import { beaverMul } from './beaver.js';
import type { Messenger } from './messenger.js';
import { share } from './sharing.js';

export type Stage = 'waiting-for-peer' | 'sharing' | 'triples' | 'multiplying' | 'revealing' | 'done';

export interface SumProductArgs {
  party: 0 | 1;
  receiver: 0 | 1;
  input: number[];
  getTriples(count: number): Promise<TripleGrant>;
  onStage?(stage: Stage): void;
}

export interface SumProductResult {
  sum: number[];
  product: number[];
}

export async function runSumProduct(m: Messenger, args: SumProductArgs): Promise<SumProductResult | null> {
  try {
    return await protocol(m, args);
  } catch (e) {
    m.abort(toErrorInfo(e)); // the peer learns the code at once instead of waiting
    throw e;
  }
}

async function protocol(m: Messenger, { party, receiver, input, getTriples, onStage }: SumProductArgs): Promise<SumProductResult | null> {
  const n = input.length;
  if (n === 0) throw new ParleyError('ERR_BAD_INPUT', 'the vector is empty');
  if (n > MAX_VECTOR_LENGTH) throw new ParleyError('ERR_TOO_LARGE', `vectors are limited to ${MAX_VECTOR_LENGTH} values, got ${n}`);
  checkInputs(input);

  onStage?.('waiting-for-peer');
  m.send('len', BigUint64Array.of(BigInt(n)));
  const peerLen = Number((await m.recv('len', 24 * 3600_000))[0] ?? -1);
  if (peerLen !== n) throw new ParleyError('ERR_LENGTH_MISMATCH', `this party has ${n} values, the peer has ${peerLen}`);

  onStage?.('sharing');
  const mine = encodeVector(input);
  const [keep, give] = share(mine);
  mine.fill(0n);
  m.send('input', give);
  give.fill(0n);
  const fromPeer = await m.recv('input');
  if (fromPeer.length !== n) throw new ParleyError('ERR_PROTOCOL', `expected ${n} input shares, got ${fromPeer.length}`);
  const [x, y] = party === 0 ? [keep, fromPeer] : [fromPeer, keep];

  const sum = ringAdd(x, y);
  onStage?.('triples');
  const triples = await triplesFromGrant(party, await getTriples(n));
  onStage?.('multiplying');
  const product = await beaverMul(m, party, x, y, triples, 'mul0');
  x.fill(0n);
  y.fill(0n);

  onStage?.('revealing');
  if (party !== receiver) {
    m.send('reveal/sum', sum);
    m.send('reveal/product', product);
    await m.recv('done'); // the receiver has its result; the channel may now close
    onStage?.('done');
    return null;
  }
  const [s, p] = await Promise.all([m.recv('reveal/sum'), m.recv('reveal/product')]);
  const result = {
    sum: decodeVector(ringAdd(sum, s), FRAC_BITS),
    product: decodeVector(ringAdd(product, p), 2 * FRAC_BITS),
  };
  m.send('done', new BigUint64Array(0));
  onStage?.('done');
  return result;
}
