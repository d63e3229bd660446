// Correlated randomness made ahead and handed out once: a stock of component arrays of equal
// item counts (a, b, c of triples; α and z of bit products), each `widths[i]` words per item (the
// ring's width for ring elements, one for bits and AND words). Taking copies the front and wipes
// the stock's copy, so nothing handed out can be handed out again.

import { ParleyError } from '../../shared/errors.js';

export class Stock {
  private parts: BigUint64Array[];

  constructor(readonly widths: readonly number[]) {
    this.parts = widths.map(() => new BigUint64Array(0));
  }

  /** Items in stock. */
  get available(): number {
    return this.parts[0]!.length / this.widths[0]!;
  }

  append(fresh: readonly BigUint64Array[]): void {
    const items = fresh.length > 0 ? fresh[0]!.length / this.widths[0]! : 0;
    if (fresh.length !== this.widths.length || fresh.some((p, i) => p.length !== items * this.widths[i]!)) {
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
    const out = this.parts.map((p, i) => p.slice(0, n * this.widths[i]!));
    this.parts.forEach((p, i) => p.fill(0n, 0, n * this.widths[i]!));
    this.parts = this.parts.map((p, i) => p.subarray(n * this.widths[i]!));
    return out;
  }
}
