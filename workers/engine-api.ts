// The contract between a page and its compute worker (exposed with comlink). Results carry
// coded errors as values because comlink keeps only name and message of thrown errors.

import type { ErrorInfo } from '../shared/errors.js';
import type { TripleGrant } from '../shared/protocol.js';
import type { Stage, SumProductResult } from './sum-product.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export interface SumProductJob {
  party: 0 | 1;
  receiver: 0 | 1;
  input: number[];
}

export interface EngineApi {
  /**
   * Runs the secure sum and product with the peer reachable through `port` (the page bridges
   * it to the WebRTC data channel). Resolves to the result at the receiver, null elsewhere.
   */
  sumProduct(
    port: MessagePort,
    job: SumProductJob,
    getTriples: (count: number) => Promise<Outcome<TripleGrant>>,
    onStage: (stage: Stage) => void,
  ): Promise<Outcome<SumProductResult | null>>;
}
