// The SecureNumpy facade a job's program holds: nothing reachable from it (properties, getters,
// prototypes, results, revealed values, errors) is an engine object (a Session, Pool,
// SecureArray, engine NDArray or share); its constructors make nothing; arguments are copied and
// anything but data is refused; after close() every call fails with ERR_PROGRAM. The presets and
// the attacks run in a locked-down realm in test/workers/sandbox/.

import { describe, expect, it } from 'vitest';
import { NDArray } from '../../../shared/ndarray.js';
import { Pool } from '../../../workers/pool/pool.js';
import { SecureArray } from '../../../workers/securenumpy/array.js';
import { createFacade } from '../../../workers/securenumpy/facade.js';
import { runLocal } from '../../../workers/securenumpy/index.js';
import { Session } from '../../../workers/securenumpy/session.js';

type Any = Record<PropertyKey, unknown>;

const INTRINSICS = new Set<unknown>([
  Object.prototype,
  Function.prototype,
  Array.prototype,
  Promise.prototype,
  Error.prototype,
  Object.getPrototypeOf(Uint8Array.prototype),
  ...[Float64Array, BigInt64Array, Uint8Array, BigUint64Array].map((c) => c.prototype),
]);

/** Every object reachable from the roots through own properties (getters called) and prototypes. */
function reachable(roots: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const queue = [...roots];
  while (queue.length > 0) {
    const v = queue.pop();
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || INTRINSICS.has(v)) continue;
    seen.add(v);
    queue.push(Object.getPrototypeOf(v));
    if (ArrayBuffer.isView(v)) continue;
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      queue.push(d.value, d.get, d.set);
      if (d.get && typeof v === 'object') {
        try {
          queue.push(Reflect.get(v as object, key));
        } catch {
          // a getter on a prototype, called on the prototype itself, refuses
        }
      }
    }
  }
  return [...seen];
}

const isEngine = (v: unknown) =>
  v instanceof Session || v instanceof Pool || v instanceof SecureArray || v instanceof NDArray || v instanceof Promise;

describe('the SecureNumpy facade', () => {
  it('reaches no engine object from snp, arrays, results, revealed values or errors', async () => {
    await runLocal(2, async (realSnp, party) => {
      const facade = createFacade(realSnp);
      const snp = facade.snp as Any;
      const x = (snp.array as (...a: unknown[]) => Any)(party === 0 ? [[1, 2]] : null, 0);
      const y = (x.add as (o: unknown) => Any)(x);
      const revealed = await (y.revealTo as (p: number) => Promise<unknown>)(0);
      const share = await (y.toShare as () => Promise<unknown>)();
      let error: unknown;
      try {
        (snp.zeros as (s: unknown) => unknown)([-1]);
      } catch (e) {
        error = e;
      }
      const found = reachable([snp, x, y, revealed, share, error, (snp.stats as () => unknown)()]).filter(isEngine);
      expect(found).toEqual([]);
      if (party === 0) expect((revealed as { toArray(): unknown }).toArray()).toEqual([[2, 4]]);
      expect((error as { code?: string }).code).toBe('ERR_SHAPE');
      facade.close();
    });
  });

  it('its constructors make nothing, it refuses non-data arguments, and it closes', async () => {
    await runLocal(2, async (realSnp, party) => {
      const facade = createFacade(realSnp);
      const snp = facade.snp as Any;
      const x = (snp.zeros as (s: unknown) => Any)([2]);
      const Ctor = x.constructor as new (...a: unknown[]) => unknown;
      expect(() => new Ctor(Symbol('facade'), x, { open: true })).toThrow(
        expect.objectContaining({ code: 'ERR_PROGRAM' }),
      );
      const fake = Object.create(Object.getPrototypeOf(x)) as Any;
      expect(() => (x.add as (o: unknown) => unknown)(fake)).toThrow(
        expect.objectContaining({ code: 'ERR_BAD_INPUT' }),
      );
      expect(() => (x.add as (o: unknown) => unknown)(() => 1)).toThrow(
        expect.objectContaining({ code: 'ERR_BAD_INPUT' }),
      );
      expect(Object.isFrozen(snp) && Object.isFrozen(x) && Object.isFrozen(Object.getPrototypeOf(x))).toBe(true);
      const r = await ((x.add as (o: unknown) => Any)(1).revealTo as (p: number) => Promise<unknown>)(0);
      if (party === 0) expect((r as { toArray(): unknown }).toArray()).toEqual([1, 1]);
      facade.close();
      expect(() => (snp.zeros as (s: unknown) => unknown)([1])).toThrow(
        expect.objectContaining({ code: 'ERR_PROGRAM' }),
      );
      expect(() => (x.mul as (o: unknown) => unknown)(2)).toThrow(expect.objectContaining({ code: 'ERR_PROGRAM' }));
    });
  });
});
