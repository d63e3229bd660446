// Small helpers shared by the encoder and the decoder: coded errors, value descriptions and
// UTF-8 handling.

import { ParleyError } from '../errors.js';

export function bad(message: string): ParleyError {
  return new ParleyError('ERR_BAD_REQUEST', message);
}

export function tooLarge(message: string): ParleyError {
  return new ParleyError('ERR_TOO_LARGE', message);
}

export function protocol(message: string): ParleyError {
  return new ParleyError('ERR_PROTOCOL', message);
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function') return `function ${v.name || '(anonymous)'}`;
  if (typeof v !== 'object') return typeof v;
  const ctor: unknown = (Object.getPrototypeOf(v) as { constructor?: unknown } | null)?.constructor;
  if (typeof ctor === 'function' && ctor.name) return `an instance of ${ctor.name}`;
  return Object.prototype.toString.call(v);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

export function isWellFormed(s: string): boolean {
  return nativeIsWellFormed ? nativeIsWellFormed.call(s) : !LONE_SURROGATE.test(s);
}

export const utf8Encoder = new TextEncoder();
export const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export const SHORT_STRING = 64;
