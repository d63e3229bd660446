// Message-layer codec: pinned bytes, round trips of random nested values, zero-copy and
// alignment of typed arrays, the tag-confusion and "__proto__" cases, and refusals on both sides.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CodecRegistry,
  concatSegments,
  decode,
  encode,
  encodedLength,
  MAX_DEPTH,
  register,
} from '../../shared/codec.js';
import { ParleyError } from '../../shared/errors.js';
import { type DType, NDArray, type NDData } from '../../shared/ndarray.js';

// ---------------------------------------------------------------------------------------------
// Helpers

class Point {
  constructor(
    readonly x: number,
    readonly label: unknown,
  ) {}
}

const registry = new CodecRegistry();
registry.register(Point, 'test.Point', {
  encode: (p) => [p.x, p.label],
  decode: (v) => {
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number') throw new TypeError('not a point');
    return new Point(v[0], v[1]);
  },
});

const bytesOf = (v: unknown): Uint8Array => concatSegments(encode(v, registry));
const roundTrip = (v: unknown): unknown => decode(bytesOf(v), registry);
const hex = (v: unknown): string => Buffer.from(bytesOf(v)).toString('hex');
const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const msg = (...parts: (number | number[])[]): Uint8Array => Uint8Array.from(parts.flat());

/** The error code a call throws ('no error' or a description of a non-Parley error otherwise). */
function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof ParleyError ? e.code : `non-Parley ${String(e)}`;
  }
  return 'no error';
}

function errorOf(f: () => unknown): ParleyError {
  try {
    f();
  } catch (e) {
    if (e instanceof ParleyError) return e;
    throw e;
  }
  throw new Error('expected a ParleyError, got none');
}

function isTyped(
  v: unknown,
): v is NDData | Int8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.length === y.length && x.every((byte, i) => byte === y[i]);
}

/**
 * Strict structural equality: Object.is on primitives (so -0 differs from 0), equal prototypes,
 * typed arrays of the same class and bytes, Map entries in order, own keys in order.
 * Returns a description of the first difference, or undefined.
 */
function diff(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a !== typeof b) return `${path}: ${typeof a} vs ${typeof b}`;
  if (typeof a !== 'object' || a === null || b === null)
    return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  const o = b as object;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(o)) return `${path}: different prototypes`;
  if (isTyped(a))
    return a.length === (o as typeof a).length && sameBytes(a, o as typeof a)
      ? undefined
      : `${path}: typed arrays differ`;
  if (a instanceof ArrayBuffer)
    return sameBytes(new Uint8Array(a), new Uint8Array(o as ArrayBuffer)) ? undefined : `${path}: buffers differ`;
  if (a instanceof NDArray)
    return diff(
      { shape: [...a.shape], dtype: a.dtype, data: a.data },
      { ...(o as NDArray), shape: [...(o as NDArray).shape] },
      path,
    );
  if (a instanceof Map) return diffEntries([...a], [...(o as Map<unknown, unknown>)], path);
  const ka = Reflect.ownKeys(a); // arrays include "length", compared like any other key
  const kb = Reflect.ownKeys(o);
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i]))
    return `${path}: keys [${ka.map(String)}] vs [${kb.map(String)}]`;
  for (const k of ka) {
    const da = Object.getOwnPropertyDescriptor(a, k)!;
    const db = Object.getOwnPropertyDescriptor(o, k)!;
    if (!('value' in db) || da.enumerable !== db.enumerable)
      return `${path}.${String(k)}: not a matching data property`;
    const d = diff(da.value, db.value, `${path}.${String(k)}`);
    if (d) return d;
  }
  return undefined;
}

function diffEntries(a: [unknown, unknown][], b: [unknown, unknown][], path: string): string | undefined {
  if (a.length !== b.length) return `${path}: ${a.length} vs ${b.length} entries`;
  for (let i = 0; i < a.length; i++) {
    const d = diff(a[i]![0], b[i]![0], `${path}<key ${i}>`) ?? diff(a[i]![1], b[i]![1], `${path}<value ${i}>`);
    if (d) return d;
  }
  return undefined;
}

function expectSame(actual: unknown, expected: unknown): void {
  expect(diff(expected, actual)).toBeUndefined();
}

/** All typed arrays inside a decoded value (NDArray data included). */
function typedArraysIn(v: unknown, out: ArrayBufferView[] = []): ArrayBufferView[] {
  if (isTyped(v)) out.push(v);
  else if (v instanceof NDArray) out.push(v.data);
  else if (v instanceof Map) for (const [k, x] of v) typedArraysIn(k, out), typedArraysIn(x, out);
  else if (v && typeof v === 'object' && !(v instanceof ArrayBuffer))
    for (const x of Object.values(v)) typedArraysIn(x, out);
  return out;
}

function nested(levels: number, leaf: unknown = null): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** The same elements, as a view that starts one element into a larger buffer. */
function shifted<
  A extends NDData | Int8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array,
>(a: A): A {
  const Ctor = a.constructor as new (b: ArrayBufferLike, o: number, n: number) => A;
  const buf = new ArrayBuffer((a.length + 2) * a.BYTES_PER_ELEMENT);
  const view = new Ctor(buf, a.BYTES_PER_ELEMENT, a.length);
  new Uint8Array(buf, a.BYTES_PER_ELEMENT, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return view;
}

const small = { maxLength: 6 };
const typedArray: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(
      fc.int8Array(small),
      fc.uint8Array(small),
      fc.uint8ClampedArray(small),
      fc.int16Array(small),
      fc.uint16Array(small),
      fc.int32Array(small),
      fc.uint32Array(small),
      fc.float32Array(small),
      fc.float64Array(small),
      fc.bigInt64Array(small),
      fc.bigUint64Array(small),
      fc.float64Array({ minLength: 32, maxLength: 80 }), // large enough to travel as a view
      fc.uint8Array({ minLength: 256, maxLength: 300 }),
      fc.bigInt64Array({ minLength: 32, maxLength: 40 }),
    ),
    fc.boolean(),
  )
  .map(([a, shift]) => (shift ? shifted(a) : a));

const ndarray: fc.Arbitrary<NDArray> = fc
  .tuple(
    fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    fc.constantFrom<DType>('float64', 'int64', 'bool', 'uint64'),
  )
  .chain(([shape, dtype]) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const len = { minLength: n, maxLength: n };
    const data: fc.Arbitrary<NDData> =
      dtype === 'float64'
        ? fc.float64Array(len)
        : dtype === 'int64'
          ? fc.bigInt64Array(len)
          : dtype === 'uint64'
            ? fc.bigUint64Array(len)
            : fc.array(fc.boolean(), len).map((bs) => Uint8Array.from(bs, (b) => (b ? 1 : 0)));
    return data.map((d) => new NDArray(shape, dtype, d));
  });

const num = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MAX_VALUE),
);
const bigint = fc.oneof(
  fc.bigInt(),
  fc.bigInt({ min: -(2n ** 600n), max: 2n ** 600n }),
  fc.constantFrom(0n, -1n, 255n, 256n, 2n ** 32n - 1n, -(2n ** 32n), 2n ** 48n - 1n, 2n ** 48n, 2n ** 64n),
);
const str = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'binary', minLength: 65, maxLength: 90 }),
);
const key = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'type',
    'data',
    '__tag',
    '__type__',
    'constructor',
    'toString',
    'valueOf',
    'shape',
    'dtype',
    '0',
    '7',
    '',
  ),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const arrayBuffer = fc.uint8Array({ maxLength: 300 }).map((u) => u.slice().buffer);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, false),
  num,
  bigint,
  str,
  typedArray,
  ndarray,
  arrayBuffer,
);

function makeObject(nullProto: boolean, entries: [string, unknown][]): object {
  const o = (nullProto ? Object.create(null) : {}) as object;
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  return o;
}

const { value } = fc.letrec<{
  value: unknown;
  array: unknown[];
  object: object;
  map: Map<unknown, unknown>;
  point: Point;
}>((tie) => ({
  value: fc.oneof({ maxDepth: 4, depthSize: 'small' }, leaf, tie('array'), tie('object'), tie('map'), tie('point')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc
    .tuple(fc.boolean(), fc.uniqueArray(fc.tuple(key, tie('value')), { selector: (e) => e[0], maxLength: 4 }))
    .map(([nullProto, entries]) => makeObject(nullProto, entries)),
  map: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
  point: fc.tuple(num, tie('value')).map(([x, label]) => new Point(x, label)),
}));

// ---------------------------------------------------------------------------------------------
// Tests

describe('codec known answers', () => {
  it('pins the bytes of small values', () => {
    expect(hex(undefined)).toBe('01');
    expect(hex(null)).toBe('02');
    expect(hex(false)).toBe('03');
    expect(hex(true)).toBe('04');
    expect(hex(1.5)).toBe('05' + '000000000000f83f');
    expect(hex(-0)).toBe('05' + '0000000000000080');
    expect(hex('hé')).toBe('07' + '03000000' + '68c3a9');
    expect(hex([1n])).toBe('08' + '01000000' + '06' + '00' + '01000000' + '01');
    expect(hex(-256n)).toBe('06' + '01' + '02000000' + '0001');
    expect(hex(0n)).toBe('06' + '00' + '00000000');
    expect(hex({ a: null })).toBe('09' + '01000000' + '01000000' + '61' + '02');
    expect(hex(new Map([[1n, true]]))).toBe('0b' + '01000000' + '06' + '00' + '01000000' + '01' + '04');
  });

  it('pads typed-array elements to an 8-byte boundary from the message start', () => {
    // tag, kind 8 (Float64), count 1, two zero bytes of padding, then the element at offset 8
    expect(hex(Float64Array.of(1))).toBe('0c' + '08' + '01000000' + '0000' + '000000000000f03f');
    expect(hex(Uint8Array.of(7, 9))).toBe('0c' + '01' + '02000000' + '0000' + '0709');
    expect(hex(new NDArray([2], 'bool', Uint8Array.of(1, 0)))).toBe(
      '0e' + '01' + '02000000' + '01' + '02000000' + '0000000000' + '0100',
    );
    expect(hex(new Uint16Array(0).buffer)).toBe('0d' + '00000000');
  });

  it('writes registered classes as a name and the encoded codec result', () => {
    expect(hex(new Point(1, null))).toBe(
      '0f' +
        '0a000000' +
        Buffer.from('test.Point').toString('hex') +
        '08' +
        '02000000' +
        '05' +
        '000000000000f03f' +
        '02',
    );
  });
});

describe('codec round trips', () => {
  it('round-trips random nested values exactly', () => {
    fc.assert(
      fc.property(value, (v) => {
        expectSame(roundTrip(v), v);
      }),
      { numRuns: 500 },
    );
  });

  it('re-encodes a decoded value to the same bytes', () => {
    fc.assert(
      fc.property(value, (v) => {
        const bytes = bytesOf(v);
        expect(bytesOf(decode(bytes, registry))).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  it('reports the encoded length of the segments', () => {
    fc.assert(
      fc.property(value, (v) => {
        const segments = encode(v, registry);
        expect(encodedLength(segments)).toBe(concatSegments(segments).length);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps every double bit-exact, including -0, NaN and infinities', () => {
    for (const x of [-0, 0, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE, 2 ** 53 + 2, -1e-310]) {
      expect(Object.is(roundTrip(x), x)).toBe(true);
    }
  });

  it('keeps bigints of any size and sign', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 5000n), max: 2n ** 5000n }), (b) => {
        expect(roundTrip(b)).toBe(b);
      }),
    );
  });

  it('decodes array holes as undefined elements', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about
    const out = roundTrip([1, , 3]) as unknown[];
    expect(out).toHaveLength(3);
    expect(1 in out).toBe(true);
    expect(out[1]).toBeUndefined();
  });

  it('decodes every typed-array class as itself with the same length', () => {
    for (const Ctor of [
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
    ]) {
      const out = roundTrip(new Ctor(5));
      expect(out).toBeInstanceOf(Ctor);
      expect(Object.getPrototypeOf(out)).toBe(Ctor.prototype);
      expect((out as InstanceType<typeof Ctor>).length).toBe(5);
    }
  });

  it('keeps NDArray shape, dtype and data', () => {
    const a = new NDArray([2, 3], 'int64', BigInt64Array.of(1n, -2n, 3n, -(2n ** 63n), 2n ** 63n - 1n, 0n));
    const out = roundTrip(a) as NDArray;
    expect(out).toBeInstanceOf(NDArray);
    expect(out.shape).toEqual([2, 3]);
    expect(out.dtype).toBe('int64');
    expect([...(out.data as BigInt64Array)]).toEqual([...(a.data as BigInt64Array)]);
  });

  it('encodes shared (acyclic) references once per occurrence', () => {
    const shared = { a: 1 };
    const out = roundTrip([shared, shared]) as unknown[];
    expectSame(out, [{ a: 1 }, { a: 1 }]);
    expect(out[0]).not.toBe(out[1]);
  });
});

describe('codec tag confusion and prototypes', () => {
  it('returns objects that look like tagged values as plain objects', () => {
    const cases: object[] = [
      { type: 'Buffer', data: [1, 2] },
      { __tag: 'ndarray', shape: [1], dtype: 'float64', data: [1] },
      { __type__: 'bigint', value: '12' },
      { type: 'Map', data: [[1, 2]] },
      { $date: 0 },
      { constructor: 'Float64Array', buffer: 'AAAA' },
    ];
    for (const c of cases) {
      const out = roundTrip(c);
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expectSame(out, c);
    }
    expect(Array.isArray((roundTrip({ type: 'Buffer', data: [1, 2] }) as { data: unknown }).data)).toBe(true);
  });

  it('keeps "__proto__" as an own data property without touching the prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as object;
    const out = roundTrip(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(Object.keys(out)).toEqual(['__proto__', 'x']);
    expectSame(out, input);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect('polluted' in out).toBe(false);
  });

  it('keeps null-prototype objects null-prototype', () => {
    const input = makeObject(true, [
      ['__proto__', 1],
      ['a', 2],
    ]);
    const out = roundTrip(input) as object;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expectSame(out, input);
  });
});

describe('codec zero copy and alignment', () => {
  it('returns a view of the caller memory for a large Float64Array (64 MiB)', () => {
    const big = new Float64Array(8 * 1024 * 1024);
    big[0] = 1;
    big[big.length - 1] = 2;
    const segments = encode(big);
    const body = segments.find((s) => s.buffer === big.buffer);
    expect(body).toBeDefined();
    expect(body!.byteOffset).toBe(0);
    expect(body!.byteLength).toBe(big.byteLength);
    const bytes = concatSegments(segments);
    const out = decode(bytes) as Float64Array;
    expect(out.buffer).toBe(bytes.buffer); // a view, not a copy
    expect(out.length).toBe(big.length);
    expect([out[0], out[out.length - 1]]).toEqual([1, 2]);
  });

  it('views the exact range of a typed array that is itself a view', () => {
    const backing = new Float64Array(1000).map((_, i) => i);
    const part = backing.subarray(3, 900);
    const body = encode(part).find((s) => s.buffer === backing.buffer)!;
    expect([body.byteOffset, body.byteLength]).toEqual([24, 897 * 8]);
    expectSame(roundTrip(part), part);
  });

  it('decodes typed arrays as views when the message starts 8-aligned, and copies otherwise', () => {
    const value = [
      'x',
      Float64Array.of(1.5, -0),
      { k: Int32Array.of(7), b: BigUint64Array.of(2n ** 64n - 1n) },
      Float32Array.of(0.5),
    ];
    const bytes = bytesOf(value);
    for (const offset of [0, 8, 16]) {
      const host = new Uint8Array(bytes.length + 24);
      host.set(bytes, offset);
      const out = decode(host.subarray(offset, offset + bytes.length));
      expectSame(out, value);
      for (const t of typedArraysIn(out)) expect(t.buffer).toBe(host.buffer);
    }
    for (const offset of [1, 2, 3, 5, 7]) {
      const host = new Uint8Array(bytes.length + 8);
      host.set(bytes, offset);
      const out = decode(host.subarray(offset, offset + bytes.length));
      expectSame(out, value);
      const f64 = (out as unknown[])[1] as Float64Array;
      expect(f64.buffer).not.toBe(host.buffer);
    }
  });

  it('decodes random values at any offset, as views when aligned', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 7 }), (v, offset) => {
        const bytes = bytesOf(v);
        const host = new Uint8Array(bytes.length + 8);
        host.set(bytes, offset);
        const out = decode(host.subarray(offset, offset + bytes.length), registry);
        expectSame(out, v);
        if (offset === 0) for (const t of typedArraysIn(out)) expect(t.buffer).toBe(host.buffer);
      }),
      { numRuns: 200 },
    );
  });
});

describe('codec registered classes', () => {
  it('round-trips registered classes, nested and on the default registry', () => {
    const p = new Point(2.5, { type: 'Point', inner: new Point(-0, [1n]) });
    const out = roundTrip([p]) as Point[];
    expect(out[0]).toBeInstanceOf(Point);
    expectSame(out, [p]);

    class Celsius {
      constructor(readonly degrees: number) {}
    }
    register(Celsius, 'test.codec.Celsius', { encode: (c) => c.degrees, decode: (v) => new Celsius(v as number) });
    const c = decode(concatSegments(encode({ t: new Celsius(21.5) }))) as { t: Celsius };
    expect(c.t).toBeInstanceOf(Celsius);
    expect(c.t.degrees).toBe(21.5);
  });

  it('refuses to register a name or a class twice, or a built-in class', () => {
    class A {}
    class B {}
    const r = new CodecRegistry();
    const codec = { encode: () => null, decode: () => new A() };
    r.register(A, 'a', codec);
    expect(codeOf(() => r.register(B, 'a', codec))).toBe('ERR_BAD_REQUEST');
    expect(codeOf(() => r.register(A, 'other', codec))).toBe('ERR_BAD_REQUEST');
    expect(codeOf(() => r.register(Map, 'map', { encode: () => null, decode: () => new Map() }))).toBe(
      'ERR_BAD_REQUEST',
    );
    expect(codeOf(() => r.register(Object, 'object', { encode: () => null, decode: () => ({}) }))).toBe(
      'ERR_BAD_REQUEST',
    );
    expect(codeOf(() => r.register(B, '', codec))).toBe('ERR_BAD_REQUEST');
  });

  it('only matches the exact registered class, not subclasses', () => {
    class Point3 extends Point {}
    expect(errorOf(() => bytesOf(new Point3(1, 2))).message).toContain('Point3');
  });
});

describe('codec encoding refusals', () => {
  class Unregistered {}
  const refused: [string, unknown, string][] = [
    ['an unregistered class', new Unregistered(), 'Unregistered'],
    ['a Date', new Date(0), 'Date'],
    ['a RegExp', /x/, 'RegExp'],
    ['a function', () => 1, 'function'],
    ['a symbol', Symbol('s'), 'symbol'],
    ['a Set', new Set([1]), 'Set'],
    ['a WeakMap', new WeakMap(), 'WeakMap'],
    ['a DataView', new DataView(new ArrayBuffer(8)), 'DataView'],
    ['a Promise', Promise.resolve(1), 'Promise'],
    ['a boxed number', Object(1) as unknown, 'Number'],
    ['a typed-array subclass', new (class Mine extends Float64Array {})(1), 'Mine'],
    ['a nested Date', [{ a: new Map([[1, new Date(0)]]) }], 'Date'],
    ['a lone surrogate', 'a\uD800b', 'surrogate'],
    ['a lone surrogate key', { '\uDC00': 1 }, 'surrogate'],
  ];
  for (const [what, v, name] of refused) {
    it(`refuses ${what}`, () => {
      const e = errorOf(() => encode(v, registry));
      expect(e.code).toBe('ERR_BAD_REQUEST');
      expect(e.message).toContain(name);
    });
  }

  it('refuses cycles through arrays, objects, maps and registered classes', () => {
    const a: unknown[] = [1];
    a.push([a]);
    const o: Record<string, unknown> = {};
    o.self = { o };
    const m = new Map<unknown, unknown>();
    m.set('m', m);
    const k = new Map<unknown, unknown>();
    k.set(k, 1);
    const p = new Point(1, null);
    (p as { label: unknown }).label = p;
    for (const v of [a, o, m, k, p]) expect(errorOf(() => encode(v, registry)).message).toContain('cycle');
  });

  it('allows 256 levels of nesting and refuses 257', () => {
    expectSame(roundTrip(nested(MAX_DEPTH)), nested(MAX_DEPTH));
    expect(codeOf(() => encode(nested(MAX_DEPTH + 1)))).toBe('ERR_BAD_REQUEST');
    let o: unknown = 1;
    for (let i = 0; i < MAX_DEPTH + 1; i++) o = new Map([['k', { o }]]);
    expect(codeOf(() => encode(o))).toBe('ERR_BAD_REQUEST');
  });
});

describe('codec decoding refusals', () => {
  const richValue = [
    null,
    true,
    -1.5,
    -(2n ** 70n),
    'héllo',
    { type: 'Buffer', data: [1, 2], __proto__x: undefined },
    new Map<unknown, unknown>([[1, 'one']]),
    Int16Array.of(1, -2, 3),
    new NDArray([2], 'float64', Float64Array.of(1, 2)),
    new Uint8Array(3).buffer,
    new Point(1, 'p'),
    Float64Array.from({ length: 40 }, (_, i) => i),
  ];

  const refused: [string, Uint8Array, string][] = [
    ['an empty message', msg(), 'expected 1 bytes for a tag'],
    ['tag 0x00', msg(0x00), 'expected a known tag'],
    ['tag 0x10', msg(0x10), 'expected a known tag'],
    ['tag 0xff', msg(0xff), 'expected a known tag'],
    ['trailing bytes', msg(0x02, 0x02), 'trailing'],
    ['a truncated number', msg(0x05, 0, 0, 0), 'expected 8 bytes'],
    ['a string running past the end', msg(0x07, le32(100), 0x61), 'expected 100 bytes'],
    ['a long string running past the end', msg(0x07, le32(0xffffffff)), 'expected 4294967295 bytes'],
    ['invalid UTF-8', msg(0x07, le32(2), 0xc3, 0x28), 'UTF-8'],
    ['an array count past the end', msg(0x08, le32(3), 0x02), 'expected 3 bytes'],
    ['an array count over 2^24', msg(0x08, le32(2 ** 24 + 1)), 'expected at most 16777216'],
    ['a map count over 2^24', msg(0x0b, le32(0xffffffff)), 'expected at most 16777216'],
    ['an object count over 2^24', msg(0x09, le32(2 ** 24 + 1)), 'expected at most 16777216'],
    ['a typed array past the end', msg(0x0c, 8, le32(1000), 0, 0, [0, 0, 0, 0, 0, 0, 0, 0]), 'expected 8000 bytes'],
    ['a huge typed array', msg(0x0c, 10, le32(0xffffffff), 0, 0), 'bytes'],
    ['an unknown typed-array kind', msg(0x0c, 11, le32(0), 0, 0), 'kind'],
    ['non-zero padding', msg(0x0c, 1, le32(0), 1, 0), 'padding'],
    ['an ArrayBuffer past the end', msg(0x0d, le32(5), 1, 2), 'expected 5 bytes'],
    ['a bigint with a zero top byte', msg(0x06, 0, le32(2), 1, 0), 'canonical'],
    ['a negative zero bigint', msg(0x06, 1, le32(0)), 'negative zero'],
    ['a bigint sign of 2', msg(0x06, 2, le32(1), 1), 'sign'],
    ['a bigint past the end', msg(0x06, 0, le32(9), 1), 'expected 9 bytes'],
    [
      'a repeated object key',
      msg(0x09, le32(2), le32(1), ascii('a'), 0x02, le32(1), ascii('a'), 0x02),
      'distinct object keys',
    ],
    ['a repeated map key', msg(0x0b, le32(2), 0x02, 0x02, 0x02, 0x03), 'distinct map keys'],
    ['an NDArray of Int8 data', msg(0x0e, 1, le32(1), 0, le32(1), 0, 0, 0, 0, 0, 0, 5), 'kind'],
    [
      'an NDArray of the wrong size',
      msg(0x0e, 1, le32(2), 8, le32(1), 0, 0, 0, 0, 0, 0, [0, 0, 0, 0, 0, 0, 0, 0]),
      'expected 2 NDArray values',
    ],
    ['an unknown class name', msg(0x0f, le32(3), ascii('abc'), 0x02), 'registered class name'],
    ['a value a registered decoder refuses', msg(0x0f, le32(10), ascii('test.Point'), 0x02), 'not a point'],
    ['nesting of 257 levels', msg(...Array.from({ length: MAX_DEPTH + 1 }, () => [0x08, ...le32(1)]), 0x02), 'nesting'],
  ];
  for (const [what, bytes, message] of refused) {
    it(`refuses ${what}`, () => {
      const e = errorOf(() => decode(bytes, registry));
      expect(e.code).toBe('ERR_PROTOCOL');
      expect(e.message).toContain(message);
      expect(e.message).toMatch(/expected .*, got /);
    });
  }

  it('accepts exactly 256 levels of nesting', () => {
    expectSame(decode(msg(...Array.from({ length: MAX_DEPTH }, () => [0x08, ...le32(1)]), 0x02)), nested(MAX_DEPTH));
  });

  it('refuses every truncation of an encoded value', () => {
    const bytes = bytesOf(richValue);
    expectSame(decode(bytes, registry), richValue);
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(
        codeOf(() => decode(bytes.subarray(0, cut), registry)),
        `cut at ${cut}`,
      ).toBe('ERR_PROTOCOL');
    }
  });

  it('refuses names of classes registered elsewhere', () => {
    expect(codeOf(() => decode(bytesOf(new Point(1, 2)), new CodecRegistry()))).toBe('ERR_PROTOCOL');
  });

  it('refuses anything but a Uint8Array as input', () => {
    expect(codeOf(() => decode([1] as unknown as Uint8Array))).toBe('ERR_BAD_REQUEST');
  });

  it('throws only ERR_PROTOCOL on mutated messages', () => {
    fc.assert(
      fc.property(
        value,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (v, edits) => {
          const bytes = bytesOf(v);
          if (bytes.length === 0) return;
          for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
          const code = codeOf(() => decode(bytes, registry));
          expect(['no error', 'ERR_PROTOCOL']).toContain(code);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('throws only ERR_PROTOCOL on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(['no error', 'ERR_PROTOCOL']).toContain(codeOf(() => decode(bytes, registry)));
      }),
      { numRuns: 1000 },
    );
  });
});
