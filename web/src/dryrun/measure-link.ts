// The link the dry run's estimate uses (time-model.ts), measured from the proposer's tab just
// before the dry run: over an open, authenticated data channel to a member it proposes to (one of
// a live job this tab shares with them; mesh/link-probe.ts: round trips and a 1 MiB throughput
// sample), else by round trips to the service over this tab's socket (its round trip for each of
// the two hops, the throughput assumed), else the default link, saying why. No job exists before
// the proposal, so no new channel to a member can be opened for it.

import type { Connection } from '../connection/connection.svelte.js';
import { linkFromSamples } from '../mesh/link-probe.js';
import { openLinkTo } from '../mesh/peer-link.js';
import { defaultLink, type LinkModel, peerLink, serviceLink } from './time-model.js';

/** Round trips to the service (the first one, which may set up the path, is left out). */
const SERVICE_ROUND_TRIPS = 5;

/** The median round trip of a cheap acknowledged event on this tab's socket (ms). */
async function serviceRoundTrip(connection: Connection): Promise<number> {
  const rtts: number[] = [];
  for (let i = 0; i <= SERVICE_ROUND_TRIPS; i++) {
    const started = performance.now();
    await connection.call('ice:servers', {});
    if (i > 0) rtts.push(performance.now() - started);
  }
  return linkFromSamples(rtts, 0, 0).rttMs;
}

/** The best link this tab can measure to the members it proposes to (`peers`, in party order). */
export async function measureLink(connection: Connection, peers: readonly string[]): Promise<LinkModel> {
  for (const peer of peers) {
    const link = openLinkTo(peer);
    if (!link) continue;
    try {
      return peerLink(peer, await link.probe());
    } catch {
      /* the link closed or did not answer: try the next member, then the service */
    }
  }
  if (connection.status !== 'online') return defaultLink('this tab is offline');
  try {
    return serviceLink(await serviceRoundTrip(connection));
  } catch {
    return defaultLink('the service did not answer');
  }
}
