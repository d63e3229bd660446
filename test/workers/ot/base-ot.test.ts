// Chou–Orlandi base OTs (workers/ot/base-ot.ts): the receiver gets exactly the key
// of its choice and not the other, as pure steps and over the Pool; malformed points refused.

import { sha256 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../shared/errors.js';
import { randomBytes } from '../../../shared/random.js';
import {
  baseOtReceive,
  baseOtReceiverRespond,
  baseOtSend,
  baseOtSenderFinish,
  baseOtSenderStart,
  POINT_BYTES,
} from '../../../workers/ot/base-ot.js';
import type { Pool } from '../../../workers/pool/pool.js';
import { type PoolGroup, poolDuo } from '../../helpers/pools.js';

let g: PoolGroup | null = null;
afterEach(() => {
  g?.close();
  g = null;
});
const duo = () => (g = poolDuo()).pools as [Pool, Pool];

/** A deterministic random source (SHA-256 in counter mode) for reproducible runs. */
function seeded(seed: number) {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) {
      const input = new Uint8Array(8);
      new DataView(input.buffer).setUint32(0, seed);
      new DataView(input.buffer).setUint32(4, counter++);
      out.set(sha256(input).subarray(0, Math.min(32, n - off)), off);
    }
    return out;
  };
}

const bit = (choices: Uint8Array, i: number) => (choices[i >>> 3]! >>> (i & 7)) & 1;

async function expectProtocolError(p: Promise<unknown> | (() => unknown)): Promise<void> {
  const run = typeof p === 'function' ? (async () => p())() : p;
  await expect(run).rejects.toBeInstanceOf(ParleyError);
  await expect(run).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
}

describe('base OT as pure steps', () => {
  it('gives the receiver exactly k_c for random choices, and the other key differs', () => {
    const count = 32;
    const choices = randomBytes(count / 8);
    const { state, A } = baseOtSenderStart();
    const { B, keys } = baseOtReceiverRespond(A, choices, count);
    const { k0, k1 } = baseOtSenderFinish(state, B, count);
    expect(B.length).toBe(count * POINT_BYTES);
    for (let i = 0; i < count; i++) {
      const [chosen, other] = bit(choices, i) ? [k1[i]!, k0[i]!] : [k0[i]!, k1[i]!];
      expect(keys[i]).toEqual(chosen);
      expect(keys[i]).not.toEqual(other);
      expect(keys[i]!.length).toBe(16);
    }
    const all = [...k0, ...k1].map((k) => Buffer.from(k).toString('hex'));
    expect(new Set(all).size).toBe(2 * count); // no key repeats across OTs
  });

  it('is deterministic for a fixed random source, and fresh randomness gives fresh keys', () => {
    const run = (rngSender: (n: number) => Uint8Array, rngReceiver: (n: number) => Uint8Array) => {
      const { state, A } = baseOtSenderStart(rngSender);
      const { B, keys } = baseOtReceiverRespond(A, Uint8Array.of(0b10110010), 8, rngReceiver);
      return { keys, ...baseOtSenderFinish(state, B, 8) };
    };
    const x = run(seeded(1), seeded(2));
    const y = run(seeded(1), seeded(2));
    const z = run(seeded(3), seeded(4));
    expect(y).toEqual(x);
    expect(z.k0[0]).not.toEqual(x.k0[0]);
    expect(x.keys[1]).toEqual(x.k1[1]); // choice bit 1 is 1
    expect(x.keys[0]).toEqual(x.k0[0]); // choice bit 0 is 0
  });

  it('refuses malformed points: wrong length, non-canonical bytes, the identity', async () => {
    const { state, A } = baseOtSenderStart();
    await expectProtocolError(() => baseOtSenderFinish(state, new Uint8Array(31), 1));
    await expectProtocolError(() => baseOtSenderFinish(state, new Uint8Array(32).fill(0xff), 1));
    await expectProtocolError(() => baseOtSenderFinish(state, new Uint8Array(32), 1)); // identity
    await expectProtocolError(() => baseOtReceiverRespond(new Uint8Array(32), Uint8Array.of(1), 1));
    await expectProtocolError(() => baseOtReceiverRespond(new Uint8Array(32).fill(0xff), Uint8Array.of(1), 1));
    expect(A.length).toBe(32);
  });
});

describe('base OT over the Pool', () => {
  it('delivers the chosen keys to the receiver (two messages, one each way)', async () => {
    const [p0, p1] = duo();
    const choices = randomBytes(2);
    const [s, r] = await Promise.all([baseOtSend(p0, 1, 't/base', 16), baseOtReceive(p1, 0, 't/base', choices, 16)]);
    for (let i = 0; i < 16; i++) expect(r.keys[i]).toEqual(bit(choices, i) ? s.k1[i] : s.k0[i]);
    expect(r.transcript).toEqual(s.transcript);
    expect(p0.stats.messagesSent + p1.stats.messagesSent).toBe(2);
  });

  it('refuses garbage from a hand-driven peer, as sender and as receiver', async () => {
    const [p0, p1] = duo();
    const sending = baseOtSend(p0, 1, 'x', 4);
    await p1.recv(0, 'x/A');
    await p1.send(0, new Uint32Array(32), 'x/B'); // wrong type and length
    await expectProtocolError(sending);

    const receiving = baseOtReceive(p1, 0, 'y', Uint8Array.of(5), 4);
    await p0.send(1, 'not a point', 'y/A');
    await expectProtocolError(receiving);
  });
});
