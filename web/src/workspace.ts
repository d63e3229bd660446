// Everything that lives while this tab is signed in, made and closed together: the Connection to
// the service, this tab's job runs, the marketplace state, and the seller's tab serving its
// buyers by itself. The app holds one, or none before sign-in.

import type { ClientConfig } from '../../shared/protocol.js';
import { Connection } from './connection/connection.svelte.js';
import type { Identity } from './identity/identity.js';
import { JobRuns } from './jobs/job-runs.js';
import { MarketState } from './market/market-state.svelte.js';
import { SellerService } from './market/seller-service.svelte.js';

export class Workspace {
  readonly connection: Connection;
  readonly runs: JobRuns;
  readonly market: MarketState;
  readonly seller: SellerService;

  constructor(identity: Identity, config: ClientConfig) {
    this.connection = new Connection(identity, config);
    this.runs = new JobRuns(this.connection);
    this.market = new MarketState(this.connection);
    this.seller = new SellerService(this.connection, this.market, this.runs);
  }

  /** Idempotent: stops serving, every run, and the connection. */
  close(): void {
    this.seller.close();
    this.market.close();
    this.runs.close();
    this.connection.close();
  }
}
