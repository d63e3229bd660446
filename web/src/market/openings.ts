// The openings of this buyer's parameter commitments (the canonical spec and the 256-bit salt of
// each decrypt-request), kept in this browser's IndexedDB by purchase and seq and nowhere else:
// the ledger holds only H(domain ‖ salt ‖ spec), so nobody can test guesses of the parameters
// against it. In a dispute the buyer may show an opening to the operator, who recomputes the
// commitment (workers/market/computations.ts, paramsCommitment) and compares it with the entry.

import { createStore, set, type UseStore } from 'idb-keyval';
import type { ParamsOpening } from '../../../workers/market/computations.js';

let db: UseStore | null = null;
const store = () => (db ??= createStore('parley-market-openings', 'openings'));

/** Keeps the opening of a purchase's decrypt-request `seq`. */
export function keepOpening(purchase: string, seq: number, opening: ParamsOpening): Promise<void> {
  return set(`${purchase}/${seq}`, opening, store());
}
