// The decoder: defensive parsing of one message; every malformed input is ERR_PROTOCOL. The
// layout is documented in format.ts.

import { ParleyError } from '../errors.js';
import { NDArray, type NDData } from '../ndarray.js';
import { KIND_DTYPE, KINDS, MAX_DEPTH, MAX_ELEMENTS, T, type TypedArray } from './format.js';
import { bad, describe, protocol, SHORT_STRING, utf8Decoder } from './helpers.js';
import { type CodecRegistry, defaultRegistry } from './registry.js';

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
    const mag = n <= 6 ? BigInt(smallMagnitude(b)) : BigInt(`0x${hexOf(b)}`);
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
      throw protocol(
        `expected a valid ${name}, got a value its decoder refused: ${e instanceof Error ? e.message : String(e)}`,
      );
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
    if (size !== data.length)
      throw protocol(`expected ${size} NDArray values for shape [${shape.join(', ')}], got ${data.length}`);
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
