// What a job's program holds instead of the engine: a hardened `snp` and SecureArray facades.
// A program (the proposer's text, run in a Compartment: workers/sandbox/) must reach nothing but
// the SecureNumpy API; the engine's own objects lead to the session, its pool and every share
// (x.session.pool.send would send raw input past the reveal list). Each facade holds its engine
// object in a private field, so no property path leads back to it. Every facade call unwraps its
// arguments into fresh engine-side copies (facades → their SecureArray, revealed arrays → new
// NDArrays, arrays, typed arrays and plain objects → copies; anything else is refused), calls the
// engine, and wraps the result (SecureArray → facade, NDArray → a revealed-array copy, promises →
// promises of wrapped values, arrays and plain objects → copies; an engine object of any other
// kind is never handed out). Engine errors reach the program as plain Errors carrying the code.
// The facade is generated from the engine's own API (snp's functions, SecureArray's prototype),
// and it is closed when the job ends: a call after that fails with ERR_PROGRAM.

import { ERROR_CODES, isErrorCode, ParleyError } from '../../shared/errors.js';
import { type DType, NDArray, type NDData } from '../../shared/ndarray.js';
import { SecureArray } from './array.js';
import type { Snp } from './snp.js';

/** Shared by one run's facades: false once the job has ended. */
interface Gate {
  open: boolean;
}

const TYPED_ARRAYS = {
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
} as const;
type TypedName = keyof typeof TYPED_ARRAYS;
type Typed = InstanceType<(typeof TYPED_ARRAYS)[TypedName]>;

// %TypedArray%.prototype[@@toStringTag] reads the internal slot: an own `constructor` or tag
// property planted on the program's typed array cannot change what it is copied as.
const typedArrayName = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!
  .get! as (this: unknown) => TypedName | undefined;

/** A fresh copy of a typed array, or null if v is not one. */
function copyTyped(v: unknown): Typed | null {
  const name = typedArrayName.call(v);
  if (name === undefined) return null;
  const Ctor = TYPED_ARRAYS[name] as unknown as new (src: Typed) => Typed;
  return new Ctor(v as Typed);
}

const TOKEN = Symbol('facade');
let isRevealed: (v: object) => v is RevealedArray;
let copyOf: (r: RevealedArray) => NDArray;
let isFacade: (v: object) => v is SecureArrayFacade;

/** A value revealed to this party, as the program sees it: shape, dtype, a copy of the data. */
class RevealedArray {
  readonly #nd: NDArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly data: NDData;
  constructor(token: symbol, nd: NDArray) {
    if (token !== TOKEN) throw new ParleyError('ERR_PROGRAM', 'a program cannot construct a revealed array itself');
    this.#nd = new NDArray([...nd.shape], nd.dtype, copyTyped(nd.data) as NDData);
    this.shape = Object.freeze([...nd.shape]);
    this.dtype = nd.dtype;
    this.data = copyTyped(nd.data) as NDData;
    Object.freeze(this);
  }
  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.data.length;
  }
  toArray(): unknown {
    return this.#nd.toArray();
  }
  static {
    isRevealed = (v): v is RevealedArray => #nd in v;
    copyOf = (r) => new NDArray([...r.#nd.shape], r.#nd.dtype, copyTyped(r.#nd.data) as NDData);
  }
}

let innerOf: (f: SecureArrayFacade) => SecureArray;
let gateOf: (f: SecureArrayFacade) => Gate;

/** A SecureArray as a program holds it; its methods are installed below from SecureArray's. */
class SecureArrayFacade {
  readonly #inner: SecureArray;
  readonly #gate: Gate;
  constructor(token: symbol, inner: SecureArray, gate: Gate) {
    if (token !== TOKEN) throw new ParleyError('ERR_PROGRAM', 'a program cannot construct a SecureArray itself');
    this.#inner = inner;
    this.#gate = gate;
    Object.freeze(this);
  }
  get dtype(): string {
    return innerOf(this).dtype;
  }
  static {
    isFacade = (v): v is SecureArrayFacade => #inner in v;
    innerOf = (f) => f.#inner;
    gateOf = (f) => f.#gate;
  }
}

const MAX_DEPTH = 64;

/** A program's argument as a fresh engine-side value. */
function unwrap(v: unknown, depth = 0): unknown {
  if (v === null || v === undefined) return v;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint') return v;
  if (depth > MAX_DEPTH) throw new ParleyError('ERR_BAD_INPUT', 'an argument is nested too deeply');
  if (t === 'object') {
    if (isFacade(v as object)) return innerOf(v as SecureArrayFacade);
    if (isRevealed(v as object)) return copyOf(v as RevealedArray);
    const obj = v as Record<string, unknown>;
    if (Array.isArray(obj)) return Array.from({ length: obj.length }, (_, i) => unwrap(obj[i], depth + 1));
    const typed = copyTyped(obj);
    if (typed) return typed;
    const proto = Object.getPrototypeOf(obj);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {};
      // defineProperty: an own "__proto__" key stays a key and never sets the copy's prototype.
      for (const k of Object.keys(obj)) {
        Object.defineProperty(out, k, { value: unwrap(obj[k], depth + 1), enumerable: true, writable: true });
      }
      return out;
    }
  }
  throw new ParleyError(
    'ERR_BAD_INPUT',
    'SecureNumpy takes SecureArrays, revealed arrays, numbers, booleans, strings, arrays, typed arrays and plain objects',
  );
}

/** An engine error as the program sees it: a plain Error with the code and message. */
function sanitized(e: unknown): Error {
  const code =
    e instanceof ParleyError || isErrorCode((e as { code?: unknown } | null)?.code) ? (e as ParleyError).code : null;
  const message = e instanceof Error ? e.message : code ? ERROR_CODES[code] : String(e);
  const err = new Error(message);
  Object.defineProperty(err, 'name', { value: e instanceof Error ? e.name : 'Error' });
  if (code) Object.defineProperty(err, 'code', { value: code, enumerable: true });
  return err;
}

/** An engine result as the program sees it. */
function wrap(gate: Gate, v: unknown): unknown {
  if (v === null || v === undefined) return v;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint') return v;
  if (v instanceof SecureArray) return new SecureArrayFacade(TOKEN, v, gate);
  if (v instanceof NDArray) return new RevealedArray(TOKEN, v);
  if (v instanceof Promise) {
    return v.then(
      (r) => wrap(gate, r),
      (e) => {
        throw sanitized(e);
      },
    );
  }
  if (Array.isArray(v)) return Array.from(v, (x) => wrap(gate, x));
  if (t === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, wrap(gate, x)]));
  }
  throw new ParleyError('ERR_INTERNAL', 'the engine returned a value that a program may not hold');
}

/** Runs one engine call for the program: refused once the job has ended; errors sanitized. */
function call(gate: Gate, f: () => unknown): unknown {
  if (!gate.open) throw sanitized(new ParleyError('ERR_PROGRAM', 'the job has ended; SecureNumpy is closed'));
  let r: unknown;
  try {
    r = f();
  } catch (e) {
    throw sanitized(e);
  }
  return wrap(gate, r);
}

// SecureArrayFacade gets one method or getter per member of SecureArray's prototype.
for (const name of Object.getOwnPropertyNames(SecureArray.prototype)) {
  if (name === 'constructor') continue;
  const d = Object.getOwnPropertyDescriptor(SecureArray.prototype, name)!;
  const member = name as keyof SecureArray;
  if (d.get) {
    Object.defineProperty(SecureArrayFacade.prototype, name, {
      get(this: SecureArrayFacade) {
        const inner = innerOf(this);
        return call(gateOf(this), () => inner[member]);
      },
    });
  } else if (typeof d.value === 'function') {
    Object.defineProperty(SecureArrayFacade.prototype, name, {
      value(this: SecureArrayFacade, ...args: unknown[]) {
        const inner = innerOf(this);
        return call(gateOf(this), () => (inner[member] as (...a: unknown[]) => unknown)(...args.map((a) => unwrap(a))));
      },
    });
  }
}

/** Freezes the facade classes: with lockdown, harden (the whole reachable graph), else a shallow freeze. */
function seal<T extends object>(o: T): T {
  if (typeof globalThis.harden === 'function') return harden(o);
  return Object.freeze(o);
}

export interface Facade {
  /** The `snp` a program receives. */
  snp: Readonly<Record<string, unknown>>;
  /** Ends the job for the program: every later facade call fails with ERR_PROGRAM. */
  close(): void;
}

/** A program's view of one session's snp. */
export function createFacade(snp: Snp): Facade {
  for (const c of [SecureArrayFacade, RevealedArray]) {
    seal(c.prototype);
    seal(c);
  }
  const gate: Gate = { open: true };
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(snp)) {
    if (typeof value === 'function') {
      const f = value as (...a: unknown[]) => unknown;
      out[name] = (...args: unknown[]) => call(gate, () => f(...args.map((a) => unwrap(a))));
    } else out[name] = wrap(gate, value);
  }
  return {
    snp: seal(out),
    close: () => {
      gate.open = false;
    },
  };
}

/** What the program handed back, as engine-side data: a revealed array as an NDArray, else as is. */
export function unwrapOutput(v: unknown): unknown {
  return v !== null && typeof v === 'object' && isRevealed(v) ? copyOf(v) : v;
}
