// Keeps one authenticated data channel to the peer of a live job: the member with the lower
// party index offers when the peer is online, the other answers each new offer, and a link that
// drops before the computation starts is replaced when the peer is back (a reload mid-setup).

import { writable, type Readable, type Writable } from 'svelte/store';
import type { Job } from '../../../shared/protocol.js';
import { getServiceKey } from './api.js';
import { PeerLink } from './peer-link.js';
import type { Session } from './session.js';

const RETRY_MS = 1000;

export class JobConnection {
  readonly link: Writable<PeerLink | null> = writable(null);
  private current: PeerLink | null = null;
  private locked = false;
  private stopped = false;
  private creating = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly offs: (() => void)[] = [];
  readonly peer: string;
  private readonly peerParty: number;
  private readonly initiator: boolean;

  constructor(
    private readonly session: Session,
    private readonly job: Job,
  ) {
    const me = job.members.indexOf(session.name);
    this.peer = job.members.find((m) => m !== session.name) ?? '';
    this.peerParty = job.members.indexOf(this.peer);
    this.initiator = me < this.peerParty;
    this.offs.push(session.onSignal(job.id, (from, data) => this.enqueue(() => this.onSignal(from, data))));
    this.offs.push((session.presence as Readable<unknown>).subscribe(() => this.enqueue(() => this.ensure())));
  }

  /** The computation has the current link: never replace it from now on. */
  lock(): PeerLink | null {
    this.locked = true;
    return this.current;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const off of this.offs) off();
    this.current?.end();
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch(() => undefined);
  }

  private async ensure(): Promise<void> {
    if (this.stopped || this.locked || !this.initiator || this.creating) return;
    if (this.current && !this.closed(this.current)) return;
    if (!this.session.isOnline(this.job.id, this.peer)) return;
    await this.replace(crypto.randomUUID(), true);
  }

  private async onSignal(from: string, data: unknown): Promise<void> {
    if (from !== this.peer || this.stopped) return;
    const { link, signal } = (data ?? {}) as { link?: unknown; signal?: unknown };
    if (typeof link !== 'string') return;
    if (this.current?.linkId === link) return this.current.signal(signal);
    // A new offer from the peer (it reloaded, or this is the first): answer on a fresh link.
    if (this.initiator || this.locked) return;
    await this.replace(link, false);
    this.current?.signal(signal);
  }

  private async replace(linkId: string, initiator: boolean): Promise<void> {
    this.creating = true;
    try {
      const serviceKey = await getServiceKey();
      if (this.stopped) return;
      this.current?.end({ code: 'ERR_CLOSED', message: 'replaced by a new connection' });
      const link = new PeerLink({ session: this.session, jobId: this.job.id, peerName: this.peer, peerParty: this.peerParty, initiator, linkId, serviceKey });
      this.current = link;
      this.link.set(link);
      link.state.subscribe((s) => {
        if (s !== 'closed' || this.current !== link || this.locked || this.stopped) return;
        let reason: string | undefined;
        link.closedReason.subscribe((r) => (reason = r?.code))();
        if (reason !== 'ERR_PEER_AUTH') setTimeout(() => this.enqueue(() => this.ensure()), RETRY_MS);
      });
    } finally {
      this.creating = false;
    }
  }

  private closed(link: PeerLink): boolean {
    let s = '';
    link.state.subscribe((v) => (s = v))();
    return s === 'closed';
  }
}
