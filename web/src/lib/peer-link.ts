// One WebRTC data channel to the peer of a job (simple-peer, no STUN/TURN, signaling through
// the service), bridged to a MessagePort that the compute worker takes. Frames that arrive
// before the worker starts queue in the port.

import SimplePeer from 'simple-peer';
import { writable, type Writable } from 'svelte/store';
import type { ErrorInfo } from '../../../shared/errors.js';
import type { PortMessage } from '../../../workers/channel.js';
import type { Session } from './session.js';

export type LinkState = 'connecting' | 'open' | 'closed';

export class PeerLink {
  readonly state: Writable<LinkState> = writable('connecting');
  readonly closedReason: Writable<ErrorInfo | null> = writable(null);
  private readonly peer: SimplePeer.Instance;
  private readonly bridge = new MessageChannel();
  private portTaken = false;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(session: Session, readonly jobId: string, readonly peerName: string, initiator: boolean) {
    this.peer = new SimplePeer({ initiator, trickle: true, config: { iceServers: session.config.iceServers } });
    this.peer.on('signal', (data) => {
      session.sendSignal(jobId, peerName, data).catch((e: ErrorInfo) => this.end(e));
    });
    this.unsubscribe = session.onSignal(jobId, (from, data) => {
      if (from === peerName && !this.closed) this.peer.signal(data as SimplePeer.SignalData);
    });
    this.peer.on('connect', () => this.state.set('open'));
    this.peer.on('data', (chunk: Uint8Array) => {
      const bytes = new Uint8Array(chunk).buffer; // a copy: Buffer views may share a pool
      this.bridge.port1.postMessage({ t: 'data', bytes } satisfies PortMessage, [bytes]);
    });
    this.peer.on('close', () => this.end({ code: 'ERR_PEER_LEFT', message: `${peerName} closed the connection` }));
    this.peer.on('error', (e: Error) => this.end({ code: 'ERR_PEER_LEFT', message: `connection to ${peerName} failed: ${e.message}` }));
    this.bridge.port1.onmessage = (ev: MessageEvent<PortMessage>) => {
      if (ev.data.t === 'data' && !this.closed) this.peer.send(new Uint8Array(ev.data.bytes));
    };
  }

  /** The worker's end of the bridge; there is one per link. */
  takePort(): MessagePort {
    if (this.portTaken) throw new Error('the port of this link was already given to a worker');
    this.portTaken = true;
    return this.bridge.port2;
  }

  /** Idempotent: closes the connection and tells the worker with `reason`. */
  end(reason: ErrorInfo = { code: 'ERR_CLOSED', message: 'the connection was closed' }): void {
    if (this.closed) return;
    this.closed = true;
    this.bridge.port1.postMessage({ t: 'close', reason } satisfies PortMessage);
    this.closedReason.set(reason);
    this.state.set('closed');
    this.unsubscribe();
    this.peer.destroy();
  }
}
