// Correlated randomness made ahead and handed out once: a stock of equal-length component
// arrays (a, b, c of triples; α and z of bit products). Taking copies the front and
// wipes the stock's copy, so nothing handed out can be handed out again.

import { ParleyError } from '../../shared/errors.js';

export class Stock {
  private parts: BigUint64Array[];

  constructor(readonly components: number) {
    this.parts = Array.from({ length: components }, () => new BigUint64Array(0));
  }

  get available(): number {
    return this.parts[0]!.length;
  }

  append(fresh: readonly BigUint64Array[]): void {
    if (fresh.length !== this.components || fresh.some((p) => p.length !== fresh[0]!.length)) {
      throw new ParleyError('ERR_INTERNAL', 'correlations must have equal-length components');
    }
    this.parts = this.parts.map((old, i) => {
      if (old.length === 0) return fresh[i]!;
      const out = new BigUint64Array(old.length + fresh[i]!.length);
      out.set(old);
      out.set(fresh[i]!, old.length);
      return out;
    });
  }

  take(n: number): BigUint64Array[] {
    if (n > this.available)
      throw new ParleyError('ERR_INTERNAL', `asked for ${n} correlations, ${this.available} in stock`);
    const out = this.parts.map((p) => p.slice(0, n));
    for (const p of this.parts) p.fill(0n, 0, n);
    this.parts = this.parts.map((p) => p.subarray(n));
    return out;
  }
}
