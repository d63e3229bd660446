// The lasting connection to one peer of a live job, as the compute worker sees it: one control
// port for the whole job, over which each new connection's message channel is handed to the
// worker, followed by 'up' once the connection is authenticated, 'down' when it drops (the
// worker's reliable layer resends what was lost), and 'gone' when the peer said goodbye or came
// back as a new tab (a reload loses the peer's computation state). The member with the lower
// party index offers whenever the peer is online and no connection is open; the other answers.

import { type ErrorInfo, ParleyError } from '../../../shared/errors.js';
import type { PublicJwk } from '../../../shared/identity.js';
import type { ControlMessage } from '../../../workers/pool/channel-link.js';
import type { Connection } from '../connection/connection.svelte.js';
import { getServiceKey } from '../connection/service-info.js';
import { type LinkClosed, type LinkState, PeerLink } from './peer-link.js';

const RETRY_MS = 1000;

export class PeerConnection {
  state: LinkState | 'gone' = $state('connecting');
  error: ErrorInfo | null = $state.raw(null);
  /** The key the peer proved it holds on the last authenticated channel (for the safety code). */
  peerKey: PublicJwk | null = $state.raw(null);
  private readonly control = new MessageChannel();
  private readonly instance = crypto.randomUUID();
  private peerInstance: string | null = null;
  private current: PeerLink | null = null;
  private computing = false;
  private gone = false;
  private stopped = false;
  private creating = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly offs: (() => void)[] = [];
  private readonly openWaiters: { resolve(): void; reject(e: Error): void }[] = [];
  private readonly initiator: boolean;

  constructor(
    private readonly connection: Connection,
    private readonly jobId: string,
    readonly peer: string,
    private readonly peerParty: number,
    myParty: number,
  ) {
    this.initiator = myParty < peerParty;
    this.offs.push(connection.onSignal(jobId, peer, (data) => this.enqueue(() => this.onSignal(data))));
    this.offs.push(connection.watchPresence(() => this.enqueue(() => this.ensure())));
  }

  /** Resolves once the connection is open (authenticated); rejects if the peer is gone first. */
  whenOpen(): Promise<void> {
    if (this.state === 'open') return Promise.resolve();
    if (this.state === 'gone') return Promise.reject(new ParleyError('ERR_PEER_LEFT', `${this.peer} went away`));
    return new Promise((resolve, reject) => this.openWaiters.push({ resolve, reject }));
  }

  /** The worker's end of the control port; one per job and peer. */
  get controlPort(): MessagePort {
    return this.control.port2;
  }

  /** The computation started: from now on the peer's tab must not be replaced. */
  markComputing(): void {
    this.computing = true;
  }

  /** Idempotent: closes the channel and tells the worker the peer is gone. */
  stop(reason: ErrorInfo = { code: 'ERR_CLOSED', message: 'the connection was closed' }): void {
    if (this.stopped) return;
    this.markGone(reason);
    this.stopped = true;
    for (const off of this.offs) off();
    this.current?.end(reason, true);
  }

  /** Drops the current channel as a network failure would (diagnostics and tests). */
  drop(): void {
    this.current?.end({ code: 'ERR_PEER_LEFT', message: 'dropped on request' });
  }

  private post(m: ControlMessage, transfer: Transferable[] = []): void {
    this.control.port1.postMessage(m, transfer);
  }

  private markGone(reason: ErrorInfo): void {
    if (this.gone) return;
    this.gone = true;
    this.post({ t: 'gone', reason });
    this.error = reason;
    this.setState('gone');
  }

  private setState(s: LinkState | 'gone'): void {
    this.state = s;
    if (s !== 'open' && s !== 'gone') return;
    for (const w of this.openWaiters.splice(0)) {
      if (s === 'open') w.resolve();
      else w.reject(new ParleyError('ERR_PEER_LEFT', `${this.peer} went away`));
    }
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch(() => undefined);
  }

  private async ensure(): Promise<void> {
    if (this.stopped || this.gone || !this.initiator || this.creating) return;
    if (this.current !== null && this.current.state !== 'closed') return;
    if (!this.connection.isOnline(this.jobId, this.peer)) return;
    await this.replace(crypto.randomUUID(), true);
  }

  private async onSignal(data: unknown): Promise<void> {
    if (this.stopped || this.gone) return;
    const { link, instance, signal } = (data ?? {}) as { link?: unknown; instance?: unknown; signal?: unknown };
    if (typeof link !== 'string' || typeof instance !== 'string') return;
    if (this.peerInstance !== instance) {
      // The peer is a new tab. Before the computation starts that is just a reconnect;
      // after, the peer has lost its state and cannot resume.
      if (this.peerInstance !== null && this.computing) {
        return this.stop({ code: 'ERR_PEER_LEFT', message: `${this.peer} reloaded during the computation` });
      }
      this.peerInstance = instance;
    }
    if (this.current?.linkId === link) return this.current.signal(signal);
    if (this.initiator) return; // a stale answer
    await this.replace(link, false);
    this.current?.signal(signal);
  }

  private async replace(linkId: string, initiator: boolean): Promise<void> {
    this.creating = true;
    try {
      const serviceKey = await getServiceKey();
      if (this.stopped) return;
      this.current?.end({ code: 'ERR_CLOSED', message: 'replaced by a new connection' });
      let wasOpen = false;
      const onState = (st: LinkState, closed: LinkClosed | null) => {
        if (this.current !== link || this.gone) return;
        this.setState(st);
        if (localStorage.getItem('parleyDebug') === '1') console.debug(`link to ${this.peer}: ${st}`);
        if (st === 'open') {
          wasOpen = true;
          this.error = null;
          this.peerKey = link.peerKey;
          this.post({ t: 'up' });
        } else if (st === 'closed') this.onClosed(closed, wasOpen);
      };
      const link = new PeerLink({
        connection: this.connection,
        jobId: this.jobId,
        peerName: this.peer,
        peerParty: this.peerParty,
        initiator,
        linkId,
        instance: this.instance,
        serviceKey,
        onState,
        computing: () => this.computing,
      });
      this.current = link;
      this.post({ t: 'channel', dc: link.poolChannel }, [link.poolChannel as unknown as Transferable]);
      onState(link.state, link.closedReason);
    } finally {
      this.creating = false;
    }
  }

  private onClosed(reason: LinkClosed | null, wasOpen: boolean): void {
    // A peer that leaves for good ends the computation; before it starts, its tab may still
    // come back (a reload), and we reconnect then. A failed authentication is never retried.
    if (reason?.code === 'ERR_PEER_AUTH' || (reason?.final && this.computing)) {
      this.markGone(reason);
      return;
    }
    if (reason) this.error = reason;
    if (wasOpen) this.post({ t: 'down' });
    if (!this.stopped) setTimeout(() => this.enqueue(() => this.ensure()), RETRY_MS);
  }
}
