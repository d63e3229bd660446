// Coded errors across comlink: comlink keeps only name and message of a thrown error, so
// workers return Outcome values (outcome) and callers turn them back into throws (unwrap).

import * as Comlink from 'comlink';
import { type ErrorInfo, fromErrorInfo, toErrorInfo } from '../shared/errors.js';

/** A worker's result: its value, or its coded error. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** The result as an Outcome; `transfer` names buffers to move (not copy) to the other side. */
export async function outcome<T>(
  f: () => T | Promise<T>,
  transfer?: (value: T) => ArrayBufferLike[],
): Promise<Outcome<T>> {
  try {
    const value = await f();
    const o: Outcome<T> = { ok: true, value };
    // comlink transfers what is registered for the top-level return value only
    return transfer ? Comlink.transfer(o, transfer(value) as ArrayBuffer[]) : o;
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
}

/** The value of an Outcome, or its coded error thrown. */
export async function unwrap<T>(p: Promise<Outcome<T>>): Promise<T> {
  const r = await p;
  if (!r.ok) throw fromErrorInfo(r.error);
  return r.value;
}
