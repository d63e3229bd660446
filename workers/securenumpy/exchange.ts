// Batched messages between the two parties of a session: values are posted under numeric keys
// (op id and stage, assigned in program order, so both parties agree on them) and everything
// posted in one turn of the event loop travels as one message (or sooner: reading the session's
// stats sends what is queued), so independent operations issued together share a round.
// A session's parameters (its hello) lead its first batch, and the peer's first batch must lead
// with theirs, checked before any of its values is delivered: agreement costs no message.

import { ParleyError, toErrorInfo } from '../../shared/errors.js';
import type { Pool } from '../pool/pool.js';

export type Payload = BigUint64Array | Float64Array;

/** The reserved key of a session's hello (op keys are ≥ 0; −1 is the input seed). */
const HELLO_KEY = -2;

/** What this party tells the peer first, and the check of the peer's (it throws on a mismatch). */
export interface Hello {
  value: Float64Array;
  check(peers: unknown): void;
}

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
  /** Whether this party's hello left (it leads the first batch), and whether the peer's arrived. */
  private helloSent: boolean;
  private helloReceived: boolean;

  constructor(
    private readonly pool: Pool,
    private readonly peer: number,
    private readonly hello: Hello | null = null,
  ) {
    this.helloSent = this.helloReceived = hello === null;
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
    if (!this.helloSent) {
      this.helloSent = true;
      this.outKeys.unshift(HELLO_KEY);
      this.outValues.unshift(this.hello!.value);
    }
    const keys = Float64Array.from(this.outKeys);
    const values = this.outValues;
    this.outKeys = [];
    this.outValues = [];
    this.messages++;
    this.pool.send(this.peer, [keys, ...values]).catch((e) => this.fail(e));
  }

  /**
   * Checks the peer's hello. On a mismatch this party's own hello leaves first if it has not
   * yet (alone), so the peer finds the mismatch itself, with the same code, before the abort.
   */
  private checkHello(value: unknown): void {
    this.helloReceived = true;
    try {
      this.hello!.check(value);
    } catch (e) {
      if (!this.helloSent) {
        this.helloSent = true;
        this.pool.send(this.peer, [Float64Array.of(HELLO_KEY), this.hello!.value]).catch(() => undefined);
      }
      throw e;
    }
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
    let first = 0;
    if (!this.helloReceived) {
      if (keys[0] !== HELLO_KEY) throw new ParleyError('ERR_PROTOCOL', "the peer's first batch lacks its parameters");
      this.checkHello(msg[1]);
      first = 1;
    }
    for (let i = first; i < keys.length; i++) {
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
