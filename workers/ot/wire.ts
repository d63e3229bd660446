// Receiving with validation for the OT protocols: every value from the peer is checked
// for its exact type and length before use, and a mismatch is ERR_PROTOCOL, never a crash later.

import { ParleyError } from '../../shared/errors.js';
import type { OtChannel } from './channel.js';

type Ctor<T> = { new (n: number): T; readonly name: string };

/** A short description of a received value for error messages. */
function describeValue(v: unknown): string {
  if (ArrayBuffer.isView(v))
    return `a ${v.constructor.name} of ${(v as unknown as { length?: number }).length ?? v.byteLength} elements`;
  if (Array.isArray(v)) return `an array of ${v.length} elements`;
  if (v === null) return 'null';
  return `a value of type ${typeof v}`;
}

function expectTyped<T extends ArrayBufferView & { length: number }>(
  ctor: Ctor<T>,
  v: unknown,
  length: number,
  what: string,
): T {
  if (!(v instanceof ctor) || (v as T).length !== length) {
    throw new ParleyError(
      'ERR_PROTOCOL',
      `expected ${what} as a ${ctor.name} of ${length} elements, got ${describeValue(v)}`,
    );
  }
  return v as T;
}

const expectBytes = (v: unknown, length: number, what: string) => expectTyped(Uint8Array, v, length, what);
const expectWords = (v: unknown, length: number, what: string) => expectTyped(Uint32Array, v, length, what);
const expectRing = (v: unknown, length: number, what: string) => expectTyped(BigUint64Array, v, length, what);

export async function recvBytes(pool: OtChannel, peer: number, id: string, length: number): Promise<Uint8Array> {
  return expectBytes(await pool.recv(peer, id), length, `"${id}"`);
}

export async function recvWords(pool: OtChannel, peer: number, id: string, length: number): Promise<Uint32Array> {
  return expectWords(await pool.recv(peer, id), length, `"${id}"`);
}

export async function recvRing(pool: OtChannel, peer: number, id: string, length: number): Promise<BigUint64Array> {
  return expectRing(await pool.recv(peer, id), length, `"${id}"`);
}
