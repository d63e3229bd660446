// The message layer's public surface: the Pool, custom value registration, the in-memory
// network for tests and runLocal, and the Link contract for new transports.

import { type Class, type ClassCodec, register as registerNamed } from '../../shared/codec.js';

export { CodecRegistry, defaultRegistry } from '../../shared/codec.js';
export type { Link, LinkEvent } from './link.js';
export { type Faults, MemoryNetwork } from './memory-network.js';
export { type PeerRef, Pool, type PoolOptions, type PoolStats } from './pool.js';

/**
 * Lets instances of `ctor` travel through every Pool: `encode` turns one into a value the codec
 * carries (numbers, strings, arrays, typed arrays, …) and `decode` rebuilds it. The wire name
 * defaults to the class name; give `name` explicitly when code is minified or names clash.
 *
 * ```ts
 * register(Point, { encode: (p) => [p.x, p.y], decode: (v) => new Point(...(v as [number, number])) });
 * ```
 */
export function register<T>(ctor: Class<T>, codec: ClassCodec<T> & { name?: string }): void {
  registerNamed(ctor, codec.name ?? ctor.name, { encode: codec.encode, decode: codec.decode });
}
