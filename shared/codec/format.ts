// The codec's format (tags, kinds, limits). The codec is a safe binary encoding of the values
// MPC parties send each other. It replaces the communication pool's tagged-JSON scheme, which mistook user objects with `type`/`data`
// keys for tagged values and lost numeric arrays' dtype. Every value carries a one-byte tag,
// user objects always use the plain-object tag, typed arrays travel zero-copy, and decoding
// runs no code except registered decoders.
//
// BYTE LAYOUT (little-endian throughout; u8 = 1 byte, u32 = 4-byte unsigned, f64 = IEEE double)
// A message is exactly one value; offsets below are relative to the start of the message.
//
//   tag   value                 what follows the tag
//   0x01  undefined             nothing
//   0x02  null                  nothing
//   0x03  false                 nothing
//   0x04  true                  nothing
//   0x05  number                f64 (every double exactly: -0, NaN, ±Infinity)
//   0x06  bigint                u8 sign (0 = non-negative, 1 = negative), u32 n, n bytes of the
//                               magnitude, least significant first; canonical: n = 0 for 0n,
//                               otherwise the last byte is non-zero; no negative zero
//   0x07  string                u32 n, n bytes of UTF-8 (well-formed strings only)
//   0x08  array                 u32 count, count values
//   0x09  object                u32 count, count × (key, value) where key = u32 n + n bytes UTF-8
//                               (no tag) and value is a tagged value; prototype Object.prototype
//   0x0A  null-prototype object same as 0x09; decoded with a null prototype
//   0x0B  Map                   u32 count, count × (key value, value value)
//   0x0C  typed array           typed-array body (below)
//   0x0D  ArrayBuffer           u32 n, n bytes
//   0x0E  NDArray               u8 ndim, ndim × u32 dims, typed-array body whose kind is
//                               Float64 (float64), BigInt64 (int64), Uint8 (bool) or
//                               BigUint64 (uint64) and whose count is the product of the dims
//   0x0F  registered class      u32 n + n bytes UTF-8 name, then one value: codec.encode(v)
//   0x00 and 0x10-0xFF are never valid tags.
//
//   typed-array body: u8 kind, u32 count, zero bytes up to the next multiple of 8 (from the
//   message start), count × element-size bytes. Kinds: 0 Int8, 1 Uint8, 2 Uint8Clamped,
//   3 Int16, 4 Uint16, 5 Int32, 6 Uint32, 7 Float32, 8 Float64, 9 BigInt64, 10 BigUint64.
//
// Decisions: strings must be well-formed UTF-16 (a lone surrogate is ERR_BAD_REQUEST);
// array holes and extra non-index array properties are not kept (holes decode as undefined);
// objects keep their own enumerable string keys only; shared references are encoded once
// per occurrence (no identity); decoded typed arrays MAY share memory with the input bytes
// (the caller passes a buffer it owns); typed arrays of INLINE_BYTES or more are returned by
// encode() as views of the caller's memory, so mutating them before sending changes the
// message. Containers (arrays, objects, maps) hold at most MAX_ELEMENTS entries and nest at
// most MAX_DEPTH levels; strings and typed arrays are bounded by the input length only.
// Decoding also refuses repeated object or map keys, non-zero padding, non-minimal bigints
// and invalid UTF-8. Objects from another realm (iframe, vm) count as unsupported.

import { ParleyError } from '../errors.js';
import { type DType, NDArray } from '../ndarray.js';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new ParleyError('ERR_INTERNAL', 'expected a little-endian platform, got a big-endian one');
}

/** Deepest nesting of containers (arrays, objects, maps, registered classes). */
export const MAX_DEPTH = 256;
/** Most entries an array, object or map may declare (also the bigint byte limit). */
export const MAX_ELEMENTS = 2 ** 24;
/** Typed arrays and ArrayBuffers at least this long travel as views of the caller's memory. */
export const INLINE_BYTES = 256;

export const T = {
  UNDEFINED: 0x01,
  NULL: 0x02,
  FALSE: 0x03,
  TRUE: 0x04,
  NUMBER: 0x05,
  BIGINT: 0x06,
  STRING: 0x07,
  ARRAY: 0x08,
  OBJECT: 0x09,
  NULL_OBJECT: 0x0a,
  MAP: 0x0b,
  TYPED_ARRAY: 0x0c,
  ARRAY_BUFFER: 0x0d,
  NDARRAY: 0x0e,
  CUSTOM: 0x0f,
} as const;

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface TypedArrayClass {
  new (length: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
  readonly prototype: object;
}

/** Index = kind byte. */
export const KINDS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as unknown as readonly TypedArrayClass[];

export const KIND_OF = new Map<object, number>(KINDS.map((c, i) => [c.prototype, i]));

export const DTYPE_KIND: Record<DType, number> = { float64: 8, int64: 9, bool: 1, uint64: 10 };
export const KIND_DTYPE = new Map<number, DType>(Object.entries(DTYPE_KIND).map(([d, k]) => [k, d as DType]));

/** Prototypes the codec handles itself; they cannot be registered. */
export const BUILTIN_PROTOS = new Set<object>([
  Object.prototype,
  Array.prototype,
  Map.prototype,
  ArrayBuffer.prototype,
  NDArray.prototype,
  ...KIND_OF.keys(),
]);
