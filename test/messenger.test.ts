// The engine's message layer over the in-memory transport: buffering, duplicates, double
// receives, timeouts and late arrivals, malformed frames, aborts and closes.

import { describe, expect, it } from 'vitest';
import { memoryChannelPair } from '../workers/memory-channel.js';
import { Messenger } from '../workers/messenger.js';

const words = (...v: number[]) => BigUint64Array.from(v.map(BigInt));

function pair(timeout?: number) {
  const [c0, c1] = memoryChannelPair();
  return { a: new Messenger(c0, timeout), b: new Messenger(c1, timeout), c0, c1 };
}

describe('Messenger', () => {
  it('delivers by tag, buffering messages that arrive before their receive', async () => {
    const { a, b } = pair();
    a.send('x', words(1, 2));
    a.send('y', words(3));
    await new Promise((r) => setTimeout(r, 5));
    expect(await b.recv('y')).toEqual(words(3));
    expect(await b.recv('x')).toEqual(words(1, 2));
  });

  it('waits for a message sent after the receive', async () => {
    const { a, b } = pair();
    const p = b.recv('late');
    setTimeout(() => a.send('late', words(9)), 10);
    expect(await p).toEqual(words(9));
  });

  it('refuses a second receive on one tag', async () => {
    const { a, b } = pair();
    a.send('t', words(1));
    await b.recv('t');
    await expect(b.recv('t')).rejects.toMatchObject({ code: 'ERR_DUPLICATE_ID' });
  });

  it('fails on a tag the peer sends twice, never overwriting', async () => {
    const { a, b } = pair();
    const later = b.recv('other');
    a.send('t', words(1));
    a.send('t', words(2));
    await expect(later).rejects.toMatchObject({ code: 'ERR_DUPLICATE_ID' });
    // The peer is told as well.
    await expect(a.recv('z')).rejects.toMatchObject({ code: 'ERR_PEER_ABORTED' });
  });

  it('times out with ERR_TIMEOUT and refuses the late message', async () => {
    const { a, b } = pair(20);
    await expect(b.recv('slow')).rejects.toMatchObject({ code: 'ERR_TIMEOUT' });
    const next = b.recv('after', 1000);
    a.send('slow', words(1));
    await expect(next).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
  });

  it('fails pending receives with ERR_PEER_LEFT when the peer closes', async () => {
    const { b, c0 } = pair();
    const p = b.recv('never');
    c0.close();
    await expect(p).rejects.toMatchObject({ code: 'ERR_PEER_LEFT' });
    await expect(b.recv('again')).rejects.toMatchObject({ code: 'ERR_PEER_LEFT' });
  });

  it('refuses malformed frames with ERR_PROTOCOL', async () => {
    const { b, c0 } = pair();
    const p = b.recv('x');
    c0.send(Uint8Array.of(1, 200)); // shorter than a header
    await expect(p).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
  });

  it('refuses a payload that is not whole words, and an unknown frame kind', async () => {
    for (const frame of [Uint8Array.of(1, 1, 0, 120, 1, 2, 3), Uint8Array.of(9, 0, 0)]) {
      const { b, c0 } = pair();
      const p = b.recv('x');
      c0.send(frame);
      await expect(p).rejects.toMatchObject({ code: 'ERR_PROTOCOL' });
    }
  });

  it('refuses frames over the data channel limit before sending', () => {
    const { a } = pair();
    expect(() => a.send('big', new BigUint64Array(40000))).toThrow(expect.objectContaining({ code: 'ERR_TOO_LARGE' }));
  });

  it('after close, sends and receives fail with ERR_CLOSED', async () => {
    const { a } = pair();
    a.close();
    expect(() => a.send('x', words(1))).toThrow(expect.objectContaining({ code: 'ERR_CLOSED' }));
    await expect(a.recv('x')).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  });
});
