// The worker side of attach (workers/jobs/attach.ts), shared by every job worker entry: keeps
// the control ports the page hands over, and runs one computation on the job's one Pool.

import { ParleyError, toErrorInfo } from '../../shared/errors.js';
import { type Outcome, outcome } from '../outcome.js';
import { ChannelLink } from '../pool/channel-link.js';
import type { Link } from '../pool/link.js';
import { Pool } from '../pool/pool.js';
import type { AttachApi, PoolSetup } from './attach.js';

let attached: { links: Map<number, Link>; setup: PoolSetup } | null = null;
let pooled = false;

export const attach: AttachApi['attach'] = async (controls, setup) => {
  const links = new Map<number, Link>(Object.entries(controls).map(([i, port]) => [Number(i), new ChannelLink(port)]));
  attached = { links, setup };
};

/** The job's one Pool: links carry one reliable session each, so a second pool is refused. */
export function makePool(): Pool {
  if (!attached) throw new ParleyError('ERR_CLOSED', 'no connections are attached to this worker');
  if (pooled) throw new ParleyError('ERR_JOB_STATE', 'this job already ran its computation');
  pooled = true;
  const { links, setup } = attached;
  return new Pool({ parties: setup.parties, me: setup.me, links, graceMs: setup.graceMs });
}

/**
 * Runs one computation on the job's pool: afterwards flushes ('always', or only when it
 * succeeded), aborts on failure when asked (peers learn the code at once), then closes.
 */
export async function onPool<T>(
  opts: { flush?: 'always' | 'ok'; abort?: boolean },
  compute: (pool: Pool) => Promise<T>,
): Promise<Outcome<T>> {
  let pool: Pool;
  try {
    pool = makePool();
  } catch (e) {
    return { ok: false, error: toErrorInfo(e) };
  }
  const result = await outcome(() => compute(pool));
  if (opts.flush === 'always' || (opts.flush === 'ok' && result.ok)) await pool.flush().catch(() => undefined);
  if (!result.ok && opts.abort) pool.abort(result.error);
  pool.close();
  return result;
}
