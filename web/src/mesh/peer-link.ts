// One WebRTC data channel to one peer of a job (simple-peer; signaling through the service,
// tagged with this link's id and this tab's instance id), authenticated before use. On
// simple-peer's channel: 0xF1 hello (job ticket + fingerprint proof), 0xF2 accepted, 0xF3
// refused (with a code), 0xF4 heartbeat, 0xF5 goodbye. The message layer has its own negotiated
// channel on the same connection (so under the same DTLS session the proof covers), created here
// and handed to the compute worker at once. A peer silent for HEARTBEAT_TIMEOUT_MS has dropped
// (it may come back); one that says goodbye has left for good: a closed tab is noticed at once.
// The fingerprints are checked against the certificates DTLS negotiated (connection stats).
// Once connected, the link takes no new session description (a renegotiation could bring a
// certificate the proof never covered): an offer or answer after that is refused (ERR_PEER_AUTH).
// An open link answers and makes link probes (link-probe.ts: 0xF6–0xF8, only once authenticated);
// openLinkTo(peer) finds one, so the dry run can measure the link to a member it proposes to.

import SimplePeer from 'simple-peer';
import { type ErrorInfo, toErrorInfo } from '../../../shared/errors.js';
import type { PublicJwk } from '../../../shared/identity.js';
import { checkHello, dtlsFingerprints, makeHello, readTicketNonce } from '../../../shared/job-ticket.js';
import { POOL_CHANNEL_ID } from '../../../workers/pool/channel-link.js';
import type { Connection } from '../connection/connection.svelte.js';
import { isProbeFrame, LinkProber, type LinkSample } from './link-probe.js';
import { checkNegotiated, type StatsEntry } from './negotiated-certificate.js';

export type LinkState = 'connecting' | 'authenticating' | 'open' | 'closed';

const HELLO = 0xf1;
const ACCEPTED = 0xf2;
const REFUSED = 0xf3;
const HEARTBEAT = 0xf4;
const GOODBYE = 0xf5;
const LINK_FRAMES = 0xf0;
const HEARTBEAT_MS = 1000;
const HEARTBEAT_TIMEOUT_MS = 5000;
/** A connection that is not authenticated this long after it opened is refused. */
const AUTH_TIMEOUT_MS = 15_000;

/** Job-ticket nonces this tab has accepted: a ticket presented twice is refused. */
const seenNonces = new Set<string>();

/** This tab's open (authenticated) links, by peer name, oldest first. */
const openLinks = new Map<string, PeerLink[]>();

/**
 * The newest open link from this tab to `peer` whose job is not computing, or null: a probe would
 * slow a computation down, and the computation would skew the probe.
 */
export function openLinkTo(peer: string): PeerLink | null {
  const idle = (openLinks.get(peer) ?? []).filter((l) => !l.computing);
  return idle.at(-1) ?? null;
}

export interface LinkParams {
  connection: Connection;
  jobId: string;
  peerName: string;
  peerParty: number;
  initiator: boolean;
  linkId: string;
  /** This tab's instance for the job: a reloaded tab is a new instance. */
  instance: string;
  serviceKey: CryptoKey;
  /** Called on every change of state; `closed` says why once the state is 'closed'. */
  onState(state: LinkState, closed: LinkClosed | null): void;
  /** Whether the job computes over this link now: it is then not probed (see openLinkTo). */
  computing(): boolean;
}

/** Why a link closed, and whether the peer said it is leaving for good. */
export interface LinkClosed extends ErrorInfo {
  final: boolean;
}

const FAKE_FINGERPRINT = 'a=fingerprint:sha-256 0E:0E:0E:0E:0E:0E:0E:0E:0E:0E:0E:0E:0E:0E:0E:0E';

/** A diagnostics setting, read only when `parleyDebug` is on. */
function debugFlag(name: string): string | null {
  return localStorage.getItem('parleyDebug') === '1' ? localStorage.getItem(name) : null;
}

function frame(kind: number, body: unknown): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(body));
  const out = new Uint8Array(1 + text.length);
  out[0] = kind;
  out.set(text, 1);
  return out;
}

export class PeerLink {
  private linkState: LinkState = 'connecting';
  /** Why the link closed, once it has. */
  closedReason: LinkClosed | null = null;
  /** The key the peer proved it holds on this channel (its job ticket's), once verified. */
  peerKey: PublicJwk | null = null;
  readonly linkId: string;
  /** The message layer's channel on this connection, for the worker (taken once). */
  readonly poolChannel: RTCDataChannel;
  private readonly peer: SimplePeer.Instance;
  private closed = false;
  private verified = false;
  private saidGoodbye = false;
  private refusedWith: ErrorInfo | null = null;
  private dc: RTCDataChannel | null = null;
  private accepted = false;
  private lastHeard = Date.now();
  private readonly prober = new LinkProber((bytes) => this.write(bytes));
  private readonly heartbeat: ReturnType<typeof setInterval>;
  /** A closing tab says goodbye on every link, so its peers notice at once. */
  private readonly onPageHide = () => this.end({ code: 'ERR_CLOSED', message: 'this tab is closing' }, true);

  constructor(private readonly p: LinkParams) {
    this.linkId = p.linkId;
    this.peer = new SimplePeer({
      initiator: p.initiator,
      trickle: true,
      config: { iceServers: p.connection.config.iceServers },
    });
    const pc = (this.peer as unknown as { _pc: RTCPeerConnection })._pc;
    this.poolChannel = pc.createDataChannel('parley-pool', { negotiated: true, id: POOL_CHANNEL_ID, ordered: true });
    this.peer.on('signal', (signal) => {
      p.connection
        .sendSignal(p.jobId, p.peerName, { link: this.linkId, instance: p.instance, signal })
        .catch((e: unknown) => this.end(toErrorInfo(e)));
    });
    this.peer.on('connect', () => {
      this.takeOverChannel();
      void this.authenticate();
      setTimeout(() => {
        if (!this.closed && !(this.verified && this.accepted)) {
          this.refuse({
            code: 'ERR_PEER_AUTH',
            message: `${p.peerName} did not complete authentication in ${AUTH_TIMEOUT_MS / 1000} s`,
          });
        }
      }, AUTH_TIMEOUT_MS);
    });
    // Messages that arrive before 'connect' come through simple-peer's stream; later ones directly.
    this.peer.on('data', (chunk: Uint8Array) => this.receive(chunk));
    this.peer.on('close', () => this.end({ code: 'ERR_PEER_LEFT', message: `the connection to ${p.peerName} closed` }));
    this.peer.on('error', (e: Error) =>
      this.end({ code: 'ERR_PEER_LEFT', message: `connection to ${p.peerName} failed: ${e.message}` }),
    );
    window.addEventListener('pagehide', this.onPageHide);
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
  }

  /**
   * Reads and writes the RTCDataChannel directly from now on: simple-peer's stream delivers each
   * message through process.nextTick, which the browser polyfill runs on a timer (about 1 ms).
   */
  private takeOverChannel(): void {
    const dc = (this.peer as unknown as { _channel?: RTCDataChannel })._channel;
    if (!dc) return;
    dc.binaryType = 'arraybuffer';
    dc.onmessage = (e: MessageEvent<ArrayBuffer>) => this.receive(new Uint8Array(e.data));
    this.dc = dc;
  }

  private write(bytes: Uint8Array): void {
    if (this.dc) this.dc.send(bytes as Uint8Array<ArrayBuffer>);
    else this.peer.send(bytes);
  }

  private beat(): void {
    if (this.closed || !this.peer.connected) return;
    if (Date.now() - this.lastHeard > HEARTBEAT_TIMEOUT_MS) {
      this.end({ code: 'ERR_PEER_LEFT', message: `${this.p.peerName} stopped answering` });
      return;
    }
    this.write(Uint8Array.of(HEARTBEAT));
  }

  /** Feeds a signal the peer sent for this link; a new session description after connecting is refused. */
  signal(data: unknown): void {
    if (this.closed) return;
    const d = (data ?? {}) as { sdp?: unknown; renegotiate?: unknown; transceiverRequest?: unknown };
    if (this.linkState !== 'connecting' && (d.sdp || d.renegotiate || d.transceiverRequest))
      return this.refuse({
        code: 'ERR_PEER_AUTH',
        message: `${this.p.peerName} tried to renegotiate an authenticated connection`,
      });
    this.peer.signal(data as SimplePeer.SignalData);
  }

  /** Idempotent: closes the connection, saying goodbye to the peer when `final`. */
  end(reason: ErrorInfo = { code: 'ERR_CLOSED', message: 'the connection was closed' }, final = false): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    window.removeEventListener('pagehide', this.onPageHide);
    try {
      if (final && this.peer.connected) this.write(Uint8Array.of(GOODBYE));
    } catch {
      /* the channel is already gone */
    }
    this.closedReason = { ...(this.refusedWith ?? reason), final: final || this.saidGoodbye };
    this.setState('closed');
    this.peer.destroy();
  }

  /**
   * Every fingerprint line of both SDPs as this tab holds them, checked against the certificates
   * DTLS negotiated (throws ERR_PEER_AUTH on more than one distinct fingerprint, or a mismatch).
   */
  private async fingerprints(): Promise<{ local: string[]; remote: string[] }> {
    this.lastHeard = Date.now();
    const pc = (this.peer as unknown as { _pc: RTCPeerConnection })._pc;
    let remote = pc.remoteDescription?.sdp;
    // Diagnostics, to check that such connections are refused: 'append' acts as if a relay had
    // appended its own fingerprint after the peer's (a browser that keeps every line shows both);
    // 'certificate' as if DTLS had negotiated another certificate than the SDP announces.
    const simulate = debugFlag('parleySimulateMitm');
    if (remote && simulate === 'append') remote += `${FAKE_FINGERPRINT}\r\n`;
    if (remote && simulate === 'certificate') remote = remote.replace(/^a=fingerprint:.*$/m, FAKE_FINGERPRINT);
    const fp = { local: dtlsFingerprints(pc.localDescription?.sdp), remote: dtlsFingerprints(remote) };
    await checkNegotiated((await pc.getStats()).values() as Iterable<StatsEntry>, fp);
    return fp;
  }

  /** Sends this member's hello: its job ticket for the peer and its signature over both fingerprints. */
  private async authenticate(): Promise<void> {
    this.setState('authenticating');
    try {
      const { tickets } = await this.p.connection.call('job:tickets', { jobId: this.p.jobId });
      const ticket = tickets[this.p.peerName];
      if (!ticket) throw new Error('the service issued no ticket for this peer');
      let fp: { local: string[]; remote: string[] };
      try {
        fp = await this.fingerprints();
      } catch (e) {
        return this.refuse(toErrorInfo(e));
      }
      // Diagnostics: act as if a relay had swapped the SDP (this tab then signs fingerprints the
      // peer does not see), to check that peers refuse such a connection.
      if (debugFlag('parleySimulateMitm') === '1') fp.remote = ['sha-256 00:00'];
      const hello = await makeHello({
        ticket,
        nonce: readTicketNonce(ticket),
        privateKey: this.p.connection.identity.keys.privateKey,
        jobId: this.p.jobId,
        me: this.p.connection.name,
        localFingerprints: fp.local,
        remoteFingerprints: fp.remote,
      });
      if (!this.closed) this.write(frame(HELLO, hello));
    } catch (e) {
      this.end(toErrorInfo(e));
    }
  }

  private receive(bytes: Uint8Array): void {
    if (this.closed) return;
    const kind = bytes[0];
    this.lastHeard = Date.now();
    if (kind === HEARTBEAT) return;
    if (kind === GOODBYE) {
      this.saidGoodbye = true;
      return this.end({ code: 'ERR_PEER_LEFT', message: `${this.p.peerName} left the job` });
    }
    if (kind === undefined || kind < LINK_FRAMES)
      return this.refuse({ code: 'ERR_PROTOCOL', message: 'a data frame arrived on the control channel' });
    if (isProbeFrame(kind) && this.linkState === 'open') return this.prober.onFrame(bytes);
    let body: unknown = null;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes.subarray(1)));
    } catch {
      /* handled below as a protocol failure */
    }
    if (kind === HELLO && !this.verified) void this.verifyHello(body);
    else if (kind === ACCEPTED && !this.accepted) {
      this.accepted = true;
      this.maybeOpen();
    } else if (kind === REFUSED) {
      const why = toErrorInfo(body);
      this.end({ code: 'ERR_PEER_AUTH', message: `${this.p.peerName} refused this tab's identity: ${why.message}` });
    } else {
      this.refuse({ code: 'ERR_PEER_AUTH', message: 'the peer sent data before authenticating' });
    }
  }

  private async verifyHello(hello: unknown): Promise<void> {
    try {
      const fp = await this.fingerprints();
      const claims = await checkHello(hello, {
        serviceKey: this.p.serviceKey,
        jobId: this.p.jobId,
        me: this.p.connection.name,
        holder: this.p.peerName,
        party: this.p.peerParty,
        localFingerprints: fp.local,
        remoteFingerprints: fp.remote,
        seen: seenNonces,
      });
      this.verified = true;
      this.peerKey = claims.key;
      this.write(frame(ACCEPTED, {}));
      this.maybeOpen();
    } catch (e) {
      this.refuse(toErrorInfo(e));
    }
  }

  private refuse(reason: ErrorInfo): void {
    this.refusedWith ??= reason; // whatever closes the link next, this is why
    try {
      this.write(frame(REFUSED, reason));
    } catch {
      /* already closing */
    }
    setTimeout(() => this.end(reason), 200); // let the refusal reach the peer first
  }

  private maybeOpen(): void {
    if (this.verified && this.accepted && !this.closed) this.setState('open');
  }

  get state(): LinkState {
    return this.linkState;
  }

  /** Whether the job computes over this link now. */
  get computing(): boolean {
    return this.p.computing();
  }

  /** Measures this open link's round trip and throughput (link-probe.ts). */
  probe(): Promise<LinkSample> {
    return this.prober.measure();
  }

  private setState(s: LinkState): void {
    this.linkState = s;
    const links = (openLinks.get(this.p.peerName) ?? []).filter((l) => l !== this);
    if (s === 'open') links.push(this);
    if (s === 'closed') this.prober.abort();
    if (links.length) openLinks.set(this.p.peerName, links);
    else openLinks.delete(this.p.peerName);
    this.p.onState(s, this.closedReason);
  }
}
