// Checks of what preprocessing lanes make (workers/ot/lanes/): every correlation's relation
// between the two parties' shares, for the lane tests and the dealer-free maker's.

import type { LaneKind } from '../../workers/ot/lanes/lanes.js';

const MASK = (1n << 64n) - 1n;

/** Index of every correlation of `kind` whose shares do not satisfy its relation. */
export function wrong(kind: LaneKind, x: BigUint64Array[], y: BigUint64Array[]): number[] {
  const bad: number[] = [];
  for (let i = 0; i < x[0]!.length; i++) {
    let ok: boolean;
    if (kind === 'triples') {
      const a = x[0]![i]! + y[0]![i]!;
      const b = x[1]![i]! + y[1]![i]!;
      ok = ((x[2]![i]! + y[2]![i]!) & MASK) === ((a * b) & MASK);
    } else if (kind === 'bitProducts') {
      // party 0 holds α, party 1 β, both bits; z0 + z1 = α·β
      ok = x[0]![i]! <= 1n && y[0]![i]! <= 1n && ((x[1]![i]! + y[1]![i]!) & MASK) === x[0]![i]! * y[0]![i]!;
    } else ok = (x[2]![i]! ^ y[2]![i]!) === ((x[0]![i]! ^ y[0]![i]!) & (x[1]![i]! ^ y[1]![i]!));
    if (!ok) bad.push(i);
  }
  return bad;
}
