// The compute worker: exposes the engine to the page with comlink and speaks to the peer over
// the MessagePort the page bridges to the data channel. Data stays in this tab's worker.

import * as Comlink from 'comlink';
import { fromErrorInfo, toErrorInfo } from '../shared/errors.js';
import { portChannel } from './channel.js';
import type { EngineApi } from './engine-api.js';
import { Messenger } from './messenger.js';
import { runSumProduct } from './sum-product.js';

const api: EngineApi = {
  async sumProduct(port, job, getTriples, onStage) {
    const messenger = new Messenger(portChannel(port));
    try {
      const value = await runSumProduct(messenger, {
        party: job.party,
        receiver: job.receiver,
        input: job.input,
        onStage: (s) => void onStage(s),
        async getTriples(count) {
          const r = await getTriples(count);
          if (!r.ok) throw fromErrorInfo(r.error);
          return r.value;
        },
      });
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: toErrorInfo(e) };
    }
  },
};

Comlink.expose(api);
