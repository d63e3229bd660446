// The codec's registry of custom classes: each class (by exact prototype) has a wire name and
// an encode/decode pair; built-in types cannot be registered.

import { BUILTIN_PROTOS } from './format.js';
import { bad, describe, isWellFormed } from './helpers.js';

/** Any class, abstract or not, whatever its constructor takes. */
export type Class<T> = abstract new (...args: never[]) => T;

export interface ClassCodec<T> {
  encode(v: T): unknown;
  decode(v: unknown): T;
}

export interface Entry {
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
