// The thread holding the job's Pool starts each preprocessing lane (lanes.ts) in a Web Worker of
// its own (lane.worker.ts) and lends it the Pool: a MessageChannel port serving send and recv
// (ChannelPort) for that lane's messages only, its typed arrays moved both ways. Closing the lane
// closes the port and terminates the worker; a worker that dies fails its calls with ERR_INTERNAL.

import * as Comlink from 'comlink';
import { ParleyError } from '../../../shared/errors.js';
import { type ChannelPort, codedErrors, type LaneWorkerApi, moved, plainErrors } from './lane-port.js';
import type { Lane, LaneOpener } from './lanes.js';

/** A lane worker, or in tests anything that speaks comlink and can be stopped. */
export interface LaneEndpoint extends Comlink.Endpoint {
  terminate(): void;
}

// Vite bundles a worker only when the Worker is constructed inline with a literal URL.
const spawnWorker = (): LaneEndpoint =>
  new Worker(new URL('./lane.worker.ts', import.meta.url), { type: 'module', name: 'parley-lane' });

/** A LaneOpener that starts each lane on an endpoint from `spawn` (default: a new Web Worker). */
export function workerLanes(spawn: () => LaneEndpoint = spawnWorker): LaneOpener {
  return async (channel, party, tag, extension, ring) => {
    const endpoint = spawn();
    const api = Comlink.wrap<LaneWorkerApi>(endpoint);
    const { port1, port2 } = new MessageChannel();
    const serve: ChannelPort = {
      send: (peer, value, id) => plainErrors(() => channel.send(peer, value, id)),
      recv: (peer, id) => plainErrors(async () => moved(await channel.recv(peer, id))),
    };
    Comlink.expose(serve, port1);
    let stopped = false;
    const close = () => {
      if (stopped) return;
      stopped = true;
      port1.close();
      api[Comlink.releaseProxy]();
      endpoint.terminate();
    };
    const died = new Promise<never>((_, reject) =>
      endpoint.addEventListener('error', (ev) => {
        const detail = (ev as ErrorEvent).message;
        reject(new ParleyError('ERR_INTERNAL', `a preprocessing lane's worker failed${detail ? `: ${detail}` : ''}`));
      }),
    );
    died.catch(() => undefined);
    const call = <T>(p: Promise<T>) => Promise.race([codedErrors(p), died]);
    try {
      await call(api.open(Comlink.transfer(port2, [port2]), channel.me, party, tag, extension, ring));
    } catch (e) {
      close();
      throw e;
    }
    const lane: Lane = { make: (kind, n) => call(api.make(kind, n)), close };
    return lane;
  };
}

/** Lanes in Web Workers where the platform has them. */
export const hasWorkers = (): boolean => typeof Worker !== 'undefined' && typeof MessageChannel !== 'undefined';
