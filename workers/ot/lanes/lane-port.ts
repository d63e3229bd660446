// What crosses between a lane's worker (lane.worker.ts) and the thread holding the job's Pool
// (lane-worker.ts): the calls each side serves, typed arrays moved rather than copied, and coded
// errors. comlink keeps only the name and message of a thrown Error, so each side throws the
// plain ErrorInfo instead, which comlink clones whole, and the caller turns it back into a
// ParleyError with its code.

import * as Comlink from 'comlink';
import { fromErrorInfo, toErrorInfo } from '../../../shared/errors.js';
import type { OtExtension } from '../ot-triples.js';
import type { LaneKind, LaneRing } from './lanes.js';

/** The parent's Pool as the lane worker reaches it (an OtChannel without `me`, which is sent once). */
export interface ChannelPort {
  send(peer: number, value: unknown, id: string): Promise<void>;
  recv(peer: number, id: string): Promise<unknown>;
}

/** What a lane worker serves. */
export interface LaneWorkerApi {
  /** Opens the lane's OtGenerator over the parent's pool, reached through `port`. */
  open(port: MessagePort, me: number, party: 0 | 1, tag: string, extension: OtExtension, ring: LaneRing): Promise<void>;
  make(kind: LaneKind, n: number): Promise<BigUint64Array[]>;
}

/** Runs f; a failure is thrown as its plain ErrorInfo, which comlink carries with its code. */
export async function plainErrors<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toErrorInfo(e);
  }
}

/** Awaits a comlink call; whatever it failed with is thrown as a ParleyError (ERR_INTERNAL if uncoded). */
export async function codedErrors<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    throw fromErrorInfo(e);
  }
}

/**
 * A typed array marked to move to the other side, copied first unless it is the whole of its own
 * buffer (or `copy` is set: the sender may still use it); other values go as they are (cloned).
 */
export function moved<T>(v: T, copy = false): T {
  if (!ArrayBuffer.isView(v) || v instanceof DataView) return v;
  const typed = v as unknown as Uint8Array;
  const whole = typed.byteOffset === 0 && typed.byteLength === typed.buffer.byteLength;
  const own = copy || !whole ? typed.slice() : typed;
  return Comlink.transfer(own, [own.buffer as ArrayBuffer]) as unknown as T;
}

/** The arrays as a return value that moves their buffers (each buffer once). */
export function movedAll(vs: BigUint64Array[]): BigUint64Array[] {
  const own = vs.map((v) => (v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v : v.slice()));
  const buffers = [...new Set(own.map((v) => v.buffer as ArrayBuffer))];
  return Comlink.transfer(own, buffers);
}
