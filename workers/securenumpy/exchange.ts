// Batched messages between the two parties of a session: values are posted under numeric keys
// (op id and stage, assigned in program order, so both parties agree on them) and everything
// posted in one turn of the event loop travels as one message (or sooner: reading the session's
// stats sends what is queued), so independent operations issued together share a round.

import { ParleyError, toErrorInfo } from '../../shared/errors.js';
import type { Pool } from '../pool/pool.js';

export type Payload = BigUint64Array | Float64Array;

interface Waiter {
  resolve(v: Payload): void;
  reject(e: unknown): void;
}

/** Runs fn after the current macrotask, sooner than setTimeout (which browsers clamp). */
function nextTurn(fn: () => void): void {
  if (typeof setImmediate === 'function') setImmediate(fn);
  else {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      fn();
    };
    ch.port2.postMessage(null);
  }
}

export class Exchange {
  /** Batches sent (everything posted in one turn travels as one message). */
  messages = 0;
  private outKeys: number[] = [];
  private outValues: Payload[] = [];
  private scheduled = false;
  private readonly arrived = new Map<number, Payload>();
  private readonly waiting = new Map<number, Waiter>();
  private failure: unknown = null;

  constructor(
    private readonly pool: Pool,
    private readonly peer: number,
  ) {
    void this.receiveLoop();
  }

  /** Queues `value` for the peer under `key`; it leaves with everything else posted this turn. */
  post(key: number, value: Payload): void {
    if (this.failure) return;
    this.outKeys.push(key);
    this.outValues.push(value);
    if (!this.scheduled) {
      this.scheduled = true;
      nextTurn(() => this.flush());
    }
  }

  /** The peer's value under `key` (each key is taken once). */
  take(key: number): Promise<Payload> {
    if (this.failure) return Promise.reject(this.failure);
    const v = this.arrived.get(key);
    if (v !== undefined) {
      this.arrived.delete(key);
      return Promise.resolve(v);
    }
    if (this.waiting.has(key)) return Promise.reject(new ParleyError('ERR_INTERNAL', `key ${key} is already awaited`));
    return new Promise((resolve, reject) => this.waiting.set(key, { resolve, reject }));
  }

  /** Stops with `error`: pending and later takes reject with it. */
  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error;
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
    this.arrived.clear();
  }

  /** Sends whatever is queued now instead of at the end of the turn. */
  flush(): void {
    this.scheduled = false;
    if (this.failure || this.outKeys.length === 0) return;
    const keys = Float64Array.from(this.outKeys);
    const values = this.outValues;
    this.outKeys = [];
    this.outValues = [];
    this.messages++;
    this.pool.send(this.peer, [keys, ...values]).catch((e) => this.fail(e));
  }

  private async receiveLoop(): Promise<void> {
    while (!this.failure) {
      let msg: unknown;
      try {
        msg = await this.pool.recv(this.peer);
      } catch (e) {
        this.fail(e);
        return;
      }
      try {
        this.deliver(msg);
      } catch (e) {
        this.pool.abort(toErrorInfo(e));
        this.fail(e);
        return;
      }
    }
  }

  private deliver(msg: unknown): void {
    if (!Array.isArray(msg) || !(msg[0] instanceof Float64Array) || msg.length !== msg[0].length + 1) {
      throw new ParleyError('ERR_PROTOCOL', 'expected a batch of keyed values from the peer');
    }
    const keys = msg[0];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = msg[i + 1];
      if (!(value instanceof BigUint64Array || value instanceof Float64Array))
        throw new ParleyError('ERR_PROTOCOL', `value ${key} is not a typed array`);
      const w = this.waiting.get(key);
      if (w) {
        this.waiting.delete(key);
        w.resolve(value);
      } else {
        if (this.arrived.has(key)) throw new ParleyError('ERR_PROTOCOL', `the peer sent key ${key} twice`);
        this.arrived.set(key, value);
      }
    }
  }
}
