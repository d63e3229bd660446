// The part of the job's Pool the OT protocols use: who I am, and sending and receiving values
// under explicit ids. A narrow type so that OT runs on anything that carries messages: the Pool
// itself, or a preprocessing lane's proxy of it in another worker (securenumpy/lanes/).

export interface OtChannel {
  /** This party's index in the job. */
  readonly me: number;
  /** Sends `value` to `peer` under `id`; resolves when the channel has taken it (flow control). */
  send(peer: number, value: unknown, id: string): Promise<void>;
  /** The value `peer` sent under `id` (waits for it). */
  recv(peer: number, id: string): Promise<unknown>;
}
