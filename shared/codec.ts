// Safe binary codec for the message layer: the values MPC parties send each other. It replaces
// the communication pool's tagged-JSON scheme, which mistook user objects with `type`/`data`
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

import { ParleyError } from './errors.js';
import { NDArray, type DType, type NDData } from './ndarray.js';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new ParleyError('ERR_INTERNAL', 'expected a little-endian platform, got a big-endian one');
}

/** Deepest nesting of containers (arrays, objects, maps, registered classes). */
export const MAX_DEPTH = 256;
/** Most entries an array, object or map may declare (also the bigint byte limit). */
export const MAX_ELEMENTS = 2 ** 24;
/** Typed arrays and ArrayBuffers at least this long travel as views of the caller's memory. */
export const INLINE_BYTES = 256;

const T = {
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

type TypedArray =
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

interface TypedArrayClass {
  new (length: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
  readonly prototype: object;
}

/** Index = kind byte. */
const KINDS = [
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

const KIND_OF = new Map<object, number>(KINDS.map((c, i) => [c.prototype, i]));

const DTYPE_KIND: Record<DType, number> = { float64: 8, int64: 9, bool: 1, uint64: 10 };
const KIND_DTYPE = new Map<number, DType>(Object.entries(DTYPE_KIND).map(([d, k]) => [k, d as DType]));

/** Prototypes the codec handles itself; they cannot be registered. */
const BUILTIN_PROTOS = new Set<object>([
  Object.prototype,
  Array.prototype,
  Map.prototype,
  ArrayBuffer.prototype,
  NDArray.prototype,
  ...KIND_OF.keys(),
]);

// ---------------------------------------------------------------------------------------------
// Registry of custom classes

/** Any class, abstract or not, whatever its constructor takes. */
export type Class<T> = abstract new (...args: any[]) => T;

export interface ClassCodec<T> {
  encode(v: T): unknown;
  decode(v: unknown): T;
}

interface Entry {
  readonly name: string;
  readonly codec: ClassCodec<unknown>;
}

/** Maps classes (by exact prototype) to a wire name and a codec, and names back to codecs. */
export class CodecRegistry {
  readonly #byName = new Map<string, Entry>();
  readonly #byProto = new Map<object, Entry>();

  register<T>(ctor: Class<T>, name: string, codec: ClassCodec<T>): void {
    const proto: unknown = typeof ctor === 'function' ? ctor.prototype : undefined;
    if (typeof proto !== 'object' || proto === null) throw bad(`expected a class, got ${describe(ctor)}`);
    if (BUILTIN_PROTOS.has(proto)) throw bad(`expected a class the codec does not handle itself, got ${ctor.name}`);
    if (typeof name !== 'string' || name === '' || !isWellFormed(name)) {
      throw bad(`expected a non-empty well-formed name, got ${JSON.stringify(name)}`);
    }
    if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') {
      throw bad(`expected a codec with encode and decode functions for ${name}`);
    }
    if (this.#byName.has(name)) throw bad(`expected an unused name, got ${JSON.stringify(name)} a second time`);
    if (this.#byProto.has(proto)) throw bad(`expected an unregistered class, got ${ctor.name} a second time`);
    const entry: Entry = { name, codec: codec as ClassCodec<unknown> };
    this.#byName.set(name, entry);
    this.#byProto.set(proto, entry);
  }

  /** The entry for objects whose prototype is exactly `proto` (subclasses need their own). */
  entryForPrototype(proto: object | null): Entry | undefined {
    return proto === null ? undefined : this.#byProto.get(proto);
  }

  entryNamed(name: string): Entry | undefined {
    return this.#byName.get(name);
  }
}

export const defaultRegistry = new CodecRegistry();

/** Registers a class on the default registry. */
export function register<T>(ctor: Class<T>, name: string, codec: ClassCodec<T>): void {
  defaultRegistry.register(ctor, name, codec);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function bad(message: string): ParleyError {
  return new ParleyError('ERR_BAD_REQUEST', message);
}

function tooLarge(message: string): ParleyError {
  return new ParleyError('ERR_TOO_LARGE', message);
}

function protocol(message: string): ParleyError {
  return new ParleyError('ERR_PROTOCOL', message);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'function') return `function ${v.name || '(anonymous)'}`;
  if (typeof v !== 'object') return typeof v;
  const ctor: unknown = (Object.getPrototypeOf(v) as { constructor?: unknown } | null)?.constructor;
  if (typeof ctor === 'function' && ctor.name) return `an instance of ${ctor.name}`;
  return Object.prototype.toString.call(v);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;

function isWellFormed(s: string): boolean {
  return nativeIsWellFormed ? nativeIsWellFormed.call(s) : !LONE_SURROGATE.test(s);
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const SHORT_STRING = 64;

// ---------------------------------------------------------------------------------------------
// Encoding

/** A growable header buffer that hands finished chunks and external views out as segments. */
class Writer {
  readonly segments: Uint8Array[] = [];
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private start = 0; // first byte of buf not yet handed out as a segment
  private pos = 0;
  private flushed = 0; // message bytes already in segments

  /** Offset from the start of the message. */
  get offset(): number {
    return this.flushed + this.pos - this.start;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const pending = this.buf.subarray(this.start, this.pos);
    const next = new Uint8Array(Math.max(this.buf.length * 2, pending.length + n));
    next.set(pending);
    this.buf = next; // handed-out segments keep the old buffer alive
    this.view = new DataView(next.buffer);
    this.pos = pending.length;
    this.start = 0;
  }

  u8(x: number): void {
    this.ensure(1);
    this.buf[this.pos++] = x;
  }

  u32(x: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, x, true);
    this.pos += 4;
  }

  f64(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, x, true);
    this.pos += 8;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.pos);
    this.pos += src.length;
  }

  /** Zero bytes up to the next multiple of 8 from the message start. */
  pad8(): void {
    const n = (8 - (this.offset % 8)) % 8;
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
  }

  /** Appends caller memory as its own segment, without copying. */
  external(view: Uint8Array): void {
    this.flush();
    this.segments.push(view);
    this.flushed += view.length;
  }

  /** u32 byte length + UTF-8 bytes; well-formed strings only. */
  string(s: string): void {
    if (s.length <= SHORT_STRING && this.ascii(s)) return;
    if (!isWellFormed(s)) throw bad('expected a well-formed string, got one with a lone surrogate');
    this.ensure(4 + 3 * s.length); // a UTF-16 code unit becomes at most 3 UTF-8 bytes
    const { written } = utf8Encoder.encodeInto(s, this.buf.subarray(this.pos + 4));
    this.view.setUint32(this.pos, written, true);
    this.pos += 4 + written;
  }

  /** Writes s if it is all ASCII and reports whether it did. */
  private ascii(s: string): boolean {
    this.ensure(4 + s.length);
    const at = this.pos + 4;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return false;
      this.buf[at + i] = c;
    }
    this.view.setUint32(this.pos, s.length, true);
    this.pos = at + s.length;
    return true;
  }

  finish(): Uint8Array[] {
    this.flush();
    return this.segments;
  }

  private flush(): void {
    if (this.pos === this.start) return;
    this.segments.push(this.buf.subarray(this.start, this.pos));
    this.flushed += this.pos - this.start;
    this.start = this.pos;
  }
}

class Encoder {
  readonly w = new Writer();
  private readonly path: object[] = []; // containers being encoded (at most MAX_DEPTH), to detect cycles

  constructor(private readonly registry: CodecRegistry) {}

  value(v: unknown, depth: number): void {
    switch (typeof v) {
      case 'undefined':
        return this.w.u8(T.UNDEFINED);
      case 'boolean':
        return this.w.u8(v ? T.TRUE : T.FALSE);
      case 'number':
        this.w.u8(T.NUMBER);
        return this.w.f64(v);
      case 'bigint':
        return this.bigint(v);
      case 'string':
        this.w.u8(T.STRING);
        return this.w.string(v);
      case 'object':
        return v === null ? this.w.u8(T.NULL) : this.object(v, depth);
      default:
        throw bad(`expected a value the codec supports, got ${describe(v)}`);
    }
  }

  private object(v: object, depth: number): void {
    const proto = Object.getPrototypeOf(v) as object | null;
    const kind = ArrayBuffer.isView(v) && proto ? KIND_OF.get(proto) : undefined;
    if (kind !== undefined) {
      this.w.u8(T.TYPED_ARRAY);
      return this.typedBody(v as TypedArray, kind);
    }
    if (proto === ArrayBuffer.prototype) return this.arrayBuffer(v as ArrayBuffer);
    if (proto === NDArray.prototype) return this.ndarray(v as NDArray);
    const write = this.containerWriter(v, proto);
    this.enter(v, depth);
    write(depth + 1);
    this.path.pop();
  }

  /** How to write a container's tag and entries, or ERR_BAD_REQUEST for unsupported objects. */
  private containerWriter(v: object, proto: object | null): (depth: number) => void {
    if (proto === Array.prototype) return (d) => this.array(v as unknown[], d);
    if (proto === Map.prototype) return (d) => this.map(v as Map<unknown, unknown>, d);
    if (proto === Object.prototype || proto === null) {
      return (d) => this.plainObject(v as Record<string, unknown>, proto === null, d);
    }
    const entry = this.registry.entryForPrototype(proto);
    if (entry) return (d) => this.custom(v, entry, d);
    throw bad(`expected a value the codec supports, got ${describe(v)}`);
  }

  private enter(v: object, depth: number): void {
    if (depth >= MAX_DEPTH) throw bad(`expected nesting of at most ${MAX_DEPTH} levels, got ${depth + 1}`);
    if (this.path.includes(v)) throw bad(`expected an acyclic value, got a cycle through ${describe(v)}`);
    this.path.push(v);
  }

  private count(n: number, what: string): void {
    if (n > MAX_ELEMENTS) throw tooLarge(`expected at most ${MAX_ELEMENTS} ${what}, got ${n}`);
    this.w.u32(n);
  }

  private array(v: unknown[], depth: number): void {
    this.w.u8(T.ARRAY);
    this.count(v.length, 'array elements');
    for (let i = 0; i < v.length; i++) this.value(v[i], depth);
  }

  private plainObject(v: Record<string, unknown>, nullProto: boolean, depth: number): void {
    const keys = Object.keys(v);
    this.w.u8(nullProto ? T.NULL_OBJECT : T.OBJECT);
    this.count(keys.length, 'object keys');
    for (const k of keys) {
      this.w.string(k);
      this.value(v[k], depth);
    }
  }

  private map(v: Map<unknown, unknown>, depth: number): void {
    this.w.u8(T.MAP);
    this.count(v.size, 'map entries');
    for (const [k, x] of v) {
      this.value(k, depth);
      this.value(x, depth);
    }
  }

  private custom(v: object, entry: Entry, depth: number): void {
    this.w.u8(T.CUSTOM);
    this.w.string(entry.name);
    this.value(entry.codec.encode(v), depth);
  }

  private bigint(v: bigint): void {
    const mag = v < 0n ? -v : v;
    this.w.u8(T.BIGINT);
    this.w.u8(v < 0n ? 1 : 0);
    if (mag <= 0xffffffffn) return this.smallMagnitude(Number(mag));
    let hex = mag.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    const n = hex.length / 2;
    if (n > MAX_ELEMENTS) throw tooLarge(`expected a bigint of at most ${MAX_ELEMENTS} bytes, got ${n}`);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = parseInt(hex.slice(hex.length - 2 * i - 2, hex.length - 2 * i), 16);
    this.w.u32(n);
    this.w.bytes(out);
  }

  private smallMagnitude(m: number): void {
    const n = m === 0 ? 0 : m < 0x100 ? 1 : m < 0x10000 ? 2 : m < 0x1000000 ? 3 : 4;
    this.w.u32(n);
    for (let i = 0; i < n; i++) this.w.u8(Math.floor(m / 2 ** (8 * i)) & 0xff);
  }

  private typedBody(v: TypedArray, kind: number): void {
    if (v.length > 0xffffffff) throw tooLarge(`expected at most ${0xffffffff} typed-array elements, got ${v.length}`);
    this.w.u8(kind);
    this.w.u32(v.length);
    this.w.pad8();
    this.raw(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }

  private arrayBuffer(v: ArrayBuffer): void {
    if (v.byteLength > 0xffffffff) throw tooLarge(`expected at most ${0xffffffff} bytes, got ${v.byteLength}`);
    this.w.u8(T.ARRAY_BUFFER);
    this.w.u32(v.byteLength);
    this.raw(new Uint8Array(v));
  }

  /** Small byte runs are copied into the header; large ones travel as views. */
  private raw(bytes: Uint8Array): void {
    if (bytes.length >= INLINE_BYTES) this.w.external(bytes);
    else this.w.bytes(bytes);
  }

  private ndarray(v: NDArray): void {
    const kind = KIND_OF.get(Object.getPrototypeOf(v.data) as object);
    if (kind !== DTYPE_KIND[v.dtype]) throw bad(`expected NDArray data matching dtype ${v.dtype}, got ${describe(v.data)}`);
    const size = v.shape.reduce((a, b) => a * b, 1);
    if (size !== v.data.length) throw bad(`expected ${size} NDArray values for shape [${v.shape.join(', ')}], got ${v.data.length}`);
    if (v.shape.length > 255) throw tooLarge(`expected at most 255 dimensions, got ${v.shape.length}`);
    this.w.u8(T.NDARRAY);
    this.w.u8(v.shape.length);
    for (const d of v.shape) {
      if (d > 0xffffffff) throw tooLarge(`expected dimensions below 2^32, got ${d}`);
      this.w.u32(d);
    }
    this.typedBody(v.data, kind);
  }
}

/**
 * Encodes a value as a list of segments whose concatenation is the message. Large typed arrays
 * and ArrayBuffers appear as views of the caller's memory (no copy); everything else sits in
 * header buffers. Unsupported values, cycles and over-deep nesting throw ERR_BAD_REQUEST;
 * containers over MAX_ELEMENTS throw ERR_TOO_LARGE.
 */
export function encode(value: unknown, registry: CodecRegistry = defaultRegistry): Uint8Array[] {
  const e = new Encoder(registry);
  e.value(value, 0);
  return e.w.finish();
}

export function encodedLength(segments: Uint8Array[]): number {
  let n = 0;
  for (const s of segments) n += s.length;
  return n;
}

/** Copies the segments into one new buffer (byteOffset 0, so typed arrays decode as views). */
export function concatSegments(segments: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(encodedLength(segments));
  let at = 0;
  for (const s of segments) {
    out.set(s, at);
    at += s.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Decoding

class Decoder {
  private pos = 0;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly registry: CodecRegistry,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number, what: string): void {
    const left = this.bytes.length - this.pos;
    if (n > left) throw protocol(`expected ${n} bytes for ${what} at offset ${this.pos}, got ${left}`);
  }

  private u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++]!;
  }

  private u32(what: string): number {
    this.need(4, what);
    const x = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return x;
  }

  private take(n: number, what: string): Uint8Array {
    this.need(n, what);
    return this.bytes.subarray(this.pos, (this.pos += n));
  }

  /** A container's entry count; every entry needs at least `minBytes` bytes. */
  private count(what: string, minBytes: number): number {
    const n = this.u32(`a ${what} count`);
    if (n > MAX_ELEMENTS) throw protocol(`expected at most ${MAX_ELEMENTS} ${what}, got ${n}`);
    this.need(n * minBytes, `${n} ${what}`);
    return n;
  }

  end(): void {
    const left = this.bytes.length - this.pos;
    if (left !== 0) throw protocol(`expected the end of the message at offset ${this.pos}, got ${left} trailing bytes`);
  }

  value(depth: number): unknown {
    const at = this.pos;
    const tag = this.u8('a tag');
    switch (tag) {
      case T.UNDEFINED:
        return undefined;
      case T.NULL:
        return null;
      case T.FALSE:
        return false;
      case T.TRUE:
        return true;
      case T.NUMBER:
        return this.number();
      case T.BIGINT:
        return this.bigint();
      case T.STRING:
        return this.string();
      case T.TYPED_ARRAY:
        return this.typedData(this.kind());
      case T.ARRAY_BUFFER:
        return this.arrayBuffer();
      case T.NDARRAY:
        return this.ndarray();
      case T.ARRAY:
      case T.OBJECT:
      case T.NULL_OBJECT:
      case T.MAP:
      case T.CUSTOM:
        return this.container(tag, depth + 1);
      default:
        throw protocol(`expected a known tag at offset ${at}, got 0x${tag.toString(16).padStart(2, '0')}`);
    }
  }

  /** A container at nesting level `level` (the outermost container is level 1). */
  private container(tag: number, level: number): unknown {
    if (level > MAX_DEPTH) throw protocol(`expected nesting of at most ${MAX_DEPTH} levels, got ${level}`);
    if (tag === T.ARRAY) return this.array(level);
    if (tag === T.MAP) return this.map(level);
    if (tag === T.CUSTOM) return this.custom(level);
    return this.object(tag === T.NULL_OBJECT, level);
  }

  private number(): number {
    this.need(8, 'a number');
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }

  private bigint(): bigint {
    const sign = this.u8('a bigint sign');
    if (sign > 1) throw protocol(`expected a bigint sign of 0 or 1, got ${sign}`);
    const n = this.u32('a bigint length');
    if (n > MAX_ELEMENTS) throw protocol(`expected a bigint of at most ${MAX_ELEMENTS} bytes, got ${n}`);
    const b = this.take(n, 'a bigint');
    if (n === 0 && sign === 1) throw protocol('expected a non-negative zero bigint, got negative zero');
    if (n > 0 && b[n - 1] === 0) throw protocol('expected a canonical bigint, got a zero most significant byte');
    const mag = n <= 6 ? BigInt(smallMagnitude(b)) : BigInt('0x' + hexOf(b));
    return sign ? -mag : mag;
  }

  private string(): string {
    const n = this.u32('a string length');
    if (n <= SHORT_STRING) {
      const s = this.shortAscii(n);
      if (s !== undefined) return s;
    }
    const b = this.take(n, 'a string');
    try {
      return utf8Decoder.decode(b.buffer instanceof ArrayBuffer ? b : b.slice());
    } catch {
      throw protocol(`expected valid UTF-8 at offset ${this.pos - n}, got invalid bytes`);
    }
  }

  /** Reads n bytes as a string if they are all ASCII (no subarray, no TextDecoder). */
  private shortAscii(n: number): string | undefined {
    this.need(n, 'a string');
    const b = this.bytes;
    let s = '';
    for (let i = this.pos; i < this.pos + n; i++) {
      const c = b[i]!;
      if (c >= 0x80) return undefined;
      s += String.fromCharCode(c);
    }
    this.pos += n;
    return s;
  }

  private array(depth: number): unknown[] {
    const n = this.count('array elements', 1);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(this.value(depth));
    return out;
  }

  private object(nullProto: boolean, depth: number): object {
    const n = this.count('object keys', 5);
    const out = (nullProto ? Object.create(null) : {}) as object;
    for (let i = 0; i < n; i++) {
      const key = this.string();
      if (Object.hasOwn(out, key)) throw protocol(`expected distinct object keys, got ${JSON.stringify(key)} twice`);
      setOwn(out, key, this.value(depth), nullProto);
    }
    return out;
  }

  private map(depth: number): Map<unknown, unknown> {
    const n = this.count('map entries', 2);
    const out = new Map<unknown, unknown>();
    for (let i = 0; i < n; i++) {
      const k = this.value(depth);
      out.set(k, this.value(depth));
      if (out.size !== i + 1) throw protocol(`expected distinct map keys, got a repeated key at entry ${i}`);
    }
    return out;
  }

  private custom(depth: number): unknown {
    const name = this.string();
    const entry = this.registry.entryNamed(name);
    if (!entry) throw protocol(`expected a registered class name, got ${JSON.stringify(name)}`);
    const inner = this.value(depth);
    try {
      return entry.codec.decode(inner);
    } catch (e) {
      throw protocol(`expected a valid ${name}, got a value its decoder refused: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private kind(): number {
    const kind = this.u8('a typed-array kind');
    if (!KINDS[kind]) throw protocol(`expected a typed-array kind 0-${KINDS.length - 1}, got ${kind}`);
    return kind;
  }

  /** Count, padding and elements; a view on the input when aligned, else a copy. */
  private typedData(kind: number): TypedArray {
    const Ctor = KINDS[kind]!;
    const count = this.u32('a typed-array length');
    const pad = this.take((8 - (this.pos % 8)) % 8, 'typed-array padding');
    if (pad.some((x) => x !== 0)) throw protocol(`expected zero padding before offset ${this.pos}, got non-zero bytes`);
    const src = this.take(count * Ctor.BYTES_PER_ELEMENT, `${count} typed-array elements`);
    if (src.byteOffset % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(src.buffer, src.byteOffset, count);
    const out = new Ctor(count);
    new Uint8Array(out.buffer).set(src);
    return out;
  }

  private arrayBuffer(): ArrayBuffer {
    const n = this.u32('an ArrayBuffer length');
    return this.take(n, 'an ArrayBuffer').slice().buffer;
  }

  private ndarray(): NDArray {
    const ndim = this.u8('an NDArray rank');
    const shape: number[] = [];
    for (let i = 0; i < ndim; i++) shape.push(this.u32('an NDArray dimension'));
    const kind = this.kind();
    const dtype = KIND_DTYPE.get(kind);
    if (!dtype) throw protocol(`expected NDArray data of kind 1, 8, 9 or 10, got kind ${kind}`);
    const data = this.typedData(kind);
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) throw protocol(`expected ${size} NDArray values for shape [${shape.join(', ')}], got ${data.length}`);
    return new NDArray(shape, dtype, data as NDData);
  }
}

/**
 * Creates an own data property. Plain assignment is fast but would call the inherited
 * "__proto__" setter (or fail on a frozen Object.prototype), so keys that exist on
 * Object.prototype go through defineProperty instead.
 */
function setOwn(o: object, key: string, value: unknown, nullProto: boolean): void {
  if (nullProto || !(key in Object.prototype)) (o as Record<string, unknown>)[key] = value;
  else Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Little-endian bytes (at most 6, so the result is exact) as a number. */
function smallMagnitude(b: Uint8Array): number {
  let m = 0;
  for (let i = b.length - 1; i >= 0; i--) m = m * 256 + b[i]!;
  return m;
}

/** Little-endian bytes as big-endian hex digits. */
function hexOf(b: Uint8Array): string {
  let hex = '';
  for (let i = b.length - 1; i >= 0; i--) hex += HEX[b[i]!];
  return hex;
}

/**
 * Decodes one message. Malformed input of any kind throws ERR_PROTOCOL. Decoded typed arrays
 * MAY be views of `bytes` (when their offset is aligned), so the caller must not reuse the
 * buffer while it still uses the result.
 */
export function decode(bytes: Uint8Array, registry: CodecRegistry = defaultRegistry): unknown {
  if (!(bytes instanceof Uint8Array)) throw bad(`expected a Uint8Array to decode, got ${describe(bytes)}`);
  const d = new Decoder(bytes, registry);
  try {
    const v = d.value(0);
    d.end();
    return v;
  } catch (e) {
    if (e instanceof ParleyError && e.code === 'ERR_PROTOCOL') throw e;
    throw protocol(`expected a well-formed message, got ${e instanceof Error ? e.message : String(e)}`);
  }
}
