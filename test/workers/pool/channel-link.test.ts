// The worker-side link over transferred data channels: nothing is delivered before the page
// reports the connection authenticated, held frames then arrive in order, a replaced channel is
// ignored, and the page's down/gone reports reach the reliable layer.

import { describe, expect, it } from 'vitest';
import { ChannelLink, type ControlMessage } from '../../../workers/pool/channel-link.js';
import type { LinkEvent } from '../../../workers/pool/link.js';

/** Just enough of an RTCDataChannel: the link sets onmessage and sends while open. */
class FakeChannel {
  onmessage: ((e: { data: ArrayBuffer }) => void) | null = null;
  onopen: (() => void) | null = null;
  binaryType = 'blob';
  readyState = 'open';
  sent: Uint8Array[] = [];
  send(b: Uint8Array) {
    this.sent.push(b);
  }
  arrive(...bytes: number[]) {
    this.onmessage?.({ data: Uint8Array.from(bytes).buffer });
  }
}

function setup() {
  // A port the test drives by hand (a real MessagePort would clone the fake channel).
  const port = { onmessage: null as ((e: { data: ControlMessage }) => void) | null };
  const link = new ChannelLink(port as unknown as MessagePort);
  const frames: number[][] = [];
  const events: LinkEvent[] = [];
  link.onFrame = (f) => frames.push([...f]);
  link.onEvent = (e) => events.push(e);
  const post = (m: ControlMessage) => port.onmessage?.({ data: m });
  const tick = () => new Promise((r) => setTimeout(r, 10));
  return { link, frames, events, post, tick, close: () => undefined };
}

describe('ChannelLink', () => {
  it('delivers nothing before the connection is authenticated, then everything in order', async () => {
    const t = setup();
    const dc = new FakeChannel();
    t.post({ t: 'channel', dc: dc as unknown as RTCDataChannel });
    await t.tick();
    dc.arrive(1, 1);
    dc.arrive(1, 2);
    await t.tick();
    expect(t.frames).toEqual([]);
    expect(t.link.up).toBe(false);
    t.link.send(Uint8Array.of(9));
    expect(dc.sent).toEqual([]); // no sending before authentication either
    t.post({ t: 'up' });
    await t.tick();
    dc.arrive(1, 3);
    expect(t.frames).toEqual([
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    expect(t.events).toEqual([{ t: 'up' }]);
    t.link.send(Uint8Array.of(9));
    expect(dc.sent).toHaveLength(1);
    t.close();
  });

  it('stays down while its own channel is still opening, even once the page says authenticated', async () => {
    const t = setup();
    const dc = new FakeChannel();
    dc.readyState = 'connecting';
    t.post({ t: 'channel', dc: dc as unknown as RTCDataChannel });
    t.post({ t: 'up' });
    await t.tick();
    expect(t.link.up).toBe(false); // a RESUME sent now would be lost: the reliable layer must wait
    expect(t.events).toEqual([]);
    dc.readyState = 'open';
    dc.arrive(1, 7);
    dc.onopen?.();
    await t.tick();
    expect(t.link.up).toBe(true);
    expect(t.events).toEqual([{ t: 'up' }]);
    expect(t.frames).toEqual([[1, 7]]);
    t.link.send(Uint8Array.of(9));
    expect(dc.sent).toHaveLength(1);
  });

  it('ignores a replaced channel and drops what the old one held', async () => {
    const t = setup();
    const old = new FakeChannel();
    t.post({ t: 'channel', dc: old as unknown as RTCDataChannel });
    await t.tick();
    old.arrive(1, 7);
    const fresh = new FakeChannel();
    t.post({ t: 'channel', dc: fresh as unknown as RTCDataChannel });
    t.post({ t: 'up' });
    await t.tick();
    old.arrive(1, 8);
    fresh.arrive(1, 9);
    expect(t.frames).toEqual([[1, 9]]);
    t.close();
  });

  it('passes down and gone to the reliable layer', async () => {
    const t = setup();
    t.post({ t: 'channel', dc: new FakeChannel() as unknown as RTCDataChannel });
    t.post({ t: 'up' });
    t.post({ t: 'down' });
    t.post({ t: 'gone', reason: { code: 'ERR_PEER_LEFT', message: 'bye' } });
    await t.tick();
    expect(t.events).toEqual([
      { t: 'up' },
      { t: 'down' },
      { t: 'gone', reason: { code: 'ERR_PEER_LEFT', message: 'bye' } },
    ]);
    expect(t.link.up).toBe(false);
    t.close();
  });
});
