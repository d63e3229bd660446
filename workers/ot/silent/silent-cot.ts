// The COT source the OT generator uses by default: plain IKNP while an instance's demand is
// small, Ferret's silent OT from then on. Ferret's first output costs a bootstrap and an
// iteration chunk (hundreds of thousands of COTs and about 2 MB of traffic per instance), which
// a job needing a few hundred triples should not pay; past IKNP_LIMIT COTs the 128 bits per COT
// of IKNP cost more than that. Both sources share the same IKNP instance and Δ, and the switch
// depends only on the counts, which both parties request alike, so they switch at the same call.

import type { CotReceiver, CotSender } from '../cot.js';

/** COTs per instance served by IKNP before switching to silent OT (2 MiB of IKNP traffic). */
export const IKNP_LIMIT = 1 << 17;

class Switch<T extends CotSender | CotReceiver> {
  private used = 0;
  private silent = false;
  constructor(
    protected readonly iknp: T,
    protected readonly ferret: T,
  ) {}

  get seed(): Uint8Array {
    return this.iknp.seed;
  }

  take(m: number): Promise<Uint32Array> {
    if (!this.silent && this.used + m <= IKNP_LIMIT) {
      this.used += m;
      return this.iknp.take(m);
    }
    this.silent = true;
    return this.ferret.take(m);
  }
}

export class SilentCotSender extends Switch<CotSender> implements CotSender {
  get delta(): Uint32Array {
    return this.iknp.delta;
  }
}

export class SilentCotReceiver extends Switch<CotReceiver> implements CotReceiver {}
