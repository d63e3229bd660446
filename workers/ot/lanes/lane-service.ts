// What a lane worker serves (lane.worker.ts), apart from its entry so tests can serve it over a
// MessageChannel in one thread: opening an OtGenerator over the parent's Pool (a ChannelPort,
// with every sent array copied and moved), and making correlations, whose arrays move back.

import * as Comlink from 'comlink';
import { ParleyError } from '../../../shared/errors.js';
import type { OtChannel } from '../channel.js';
import { OtGenerator } from '../ot-triples.js';
import { type ChannelPort, codedErrors, type LaneWorkerApi, moved, movedAll, plainErrors } from './lane-port.js';
import { generate } from './lanes.js';

export function laneService(): LaneWorkerApi {
  let ot: OtGenerator | null = null;
  return {
    open: (port, me, party, tag, extension, ring) =>
      plainErrors(async () => {
        if (ot) throw new ParleyError('ERR_BAD_REQUEST', 'this lane is already open');
        const remote = Comlink.wrap<ChannelPort>(port);
        const channel: OtChannel = {
          me,
          // The OT code may reuse what it sent, so the worker sends a copy (and moves that).
          send: (peer, value, id) => codedErrors(remote.send(peer, moved(value, true), id)),
          recv: (peer, id) => codedErrors(remote.recv(peer, id)),
        };
        ot = await OtGenerator.open(channel, party, tag, { extension, ring });
      }),
    make: (kind, n) =>
      plainErrors(async () => {
        if (!ot) throw new ParleyError('ERR_BAD_REQUEST', 'this lane is not open');
        return movedAll(await generate(ot, kind, n));
      }),
  };
}
