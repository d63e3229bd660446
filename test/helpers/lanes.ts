// Checks of what preprocessing lanes make (workers/ot/lanes/): every correlation's relation
// between the two parties' shares, in Z_2^64 or Z_2^128 (two words per ring element), for the
// lane tests and the dealer-free maker's.

import type { LaneKind } from '../../workers/ot/lanes/lanes.js';

/** Index of every correlation of `kind` whose shares do not satisfy its relation in Z_2^bits. */
export function wrong(kind: LaneKind, x: BigUint64Array[], y: BigUint64Array[], bits: 64 | 128 = 64): number[] {
  const W = bits / 64;
  const mask = (1n << BigInt(bits)) - 1n;
  const el = (v: BigUint64Array, i: number) => (W === 1 ? v[i]! : v[2 * i]! + (v[2 * i + 1]! << 64n));
  const bad: number[] = [];
  const n = kind === 'triples' ? x[0]!.length / W : x[0]!.length;
  for (let i = 0; i < n; i++) {
    let ok: boolean;
    if (kind === 'triples') {
      const a = el(x[0]!, i) + el(y[0]!, i);
      const b = el(x[1]!, i) + el(y[1]!, i);
      ok = ((el(x[2]!, i) + el(y[2]!, i)) & mask) === ((a * b) & mask);
    } else if (kind === 'bitProducts') {
      // party 0 holds α, party 1 β, both bits (one per word); z0 + z1 = α·β
      ok = x[0]![i]! <= 1n && y[0]![i]! <= 1n && ((el(x[1]!, i) + el(y[1]!, i)) & mask) === x[0]![i]! * y[0]![i]!;
    } else ok = (x[2]![i]! ^ y[2]![i]!) === ((x[0]![i]! ^ y[0]![i]!) & (x[1]![i]! ^ y[1]![i]!));
    if (!ok) bad.push(i);
  }
  return bad;
}
