// The encoder: values to a list of segments (a growable header buffer plus zero-copy views of
// large typed arrays). The layout is documented in format.ts.

import { NDArray } from '../ndarray.js';
import { DTYPE_KIND, INLINE_BYTES, KIND_OF, MAX_DEPTH, MAX_ELEMENTS, T, type TypedArray } from './format.js';
import { bad, describe, isWellFormed, SHORT_STRING, tooLarge, utf8Encoder } from './helpers.js';
import { type CodecRegistry, defaultRegistry, type Entry } from './registry.js';

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
    if (hex.length % 2) hex = `0${hex}`;
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
    if (kind !== DTYPE_KIND[v.dtype])
      throw bad(`expected NDArray data matching dtype ${v.dtype}, got ${describe(v.data)}`);
    const size = v.shape.reduce((a, b) => a * b, 1);
    if (size !== v.data.length)
      throw bad(`expected ${size} NDArray values for shape [${v.shape.join(', ')}], got ${v.data.length}`);
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
