// Peer authentication on a data channel: known-good hellos verify (also over SDPs a real Chromium
// made); a swapped SDP (man in the middle), a relay that appends, duplicates or reorders
// fingerprint lines, a ticket for another member, job or audience, a forged or expired ticket,
// and a replayed ticket are all refused with stable codes.

import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkHello,
  dtlsFingerprints,
  JOB_TICKET_TYPE,
  jobTicketAudience,
  makeHello,
  TICKET_ISSUER,
} from '../../shared/job-ticket.js';
import { makeIdentity, type TestIdentity } from '../helpers/client.js';

const JOB = '7d6f3c1e-0000-4000-8000-000000000001';
const FP_A = ['sha-256 AA:11:22'];
const FP_B = ['sha-256 BB:33:44'];

/** An offer and the answer to it, as headless Chromium 156 writes them for Parley's data channels. */
const CHROMIUM_OFFER = [
  'v=0',
  'o=- 3674419904877264674 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:RMcL',
  'a=ice-pwd:Ve2hroL+aEHKn3R3YE4JRwTE',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 1C:62:1B:C4:37:EB:6F:1A:FD:80:75:80:35:03:A4:54:70:E7:CF:E4:4C:C7:A6:1F:B9:AC:D4:7C:E6:89:91:3C',
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  '',
].join('\r\n');
const CHROMIUM_ANSWER = [
  'v=0',
  'o=- 6400957193257392860 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 0.0.0.0',
  'a=ice-ufrag:5cQg',
  'a=ice-pwd:OPWaoG4Xda6ixjVSQ8dZpZko',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 80:E2:4F:30:49:49:41:E0:76:DC:95:8C:F3:7D:82:2F:7E:6B:A4:64:E2:E0:01:F0:7C:0B:61:66:6A:A6:61:2F',
  'a=setup:active',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
  '',
].join('\r\n');
const RELAY_LINE = 'a=fingerprint:sha-256 EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE\r\n';
const realLine = (sdp: string) => /^a=fingerprint:.*\r\n/m.exec(sdp)![0];
/** Inserts `line` before the first line that starts with `before` (or at the end). */
const insertLine = (sdp: string, line: string, before?: string) => {
  const at = before === undefined ? sdp.length : sdp.indexOf(`\r\n${before}`) + 2;
  return sdp.slice(0, at) + line + sdp.slice(at);
};
let service: CryptoKeyPair;
let alice: TestIdentity;

async function ticket(
  p: {
    holder?: string;
    aud?: string;
    job?: string;
    party?: number;
    key?: unknown;
    exp?: number;
    signer?: CryptoKey;
  } = {},
) {
  const jti = crypto.randomUUID();
  const t = await new SignJWT({
    job: p.job ?? JOB,
    party: p.party ?? 0,
    roles: ['compute'],
    key: p.key ?? alice.publicKey,
  })
    .setProtectedHeader({ alg: 'EdDSA', typ: JOB_TICKET_TYPE })
    .setIssuer(TICKET_ISSUER)
    .setAudience(p.aud ?? jobTicketAudience(JOB, 'bob'))
    .setSubject(p.holder ?? 'alice')
    .setJti(jti)
    .setIssuedAt()
    .setExpirationTime(p.exp ?? Math.floor(Date.now() / 1000) + 600)
    .sign(p.signer ?? service.privateKey);
  return { t, jti };
}

/** Alice's hello as she signs it (her fingerprint first), checked by Bob with his view. */
async function run(
  opts: {
    ticket?: Awaited<ReturnType<typeof ticket>>;
    aliceSees?: [string[], string[]];
    bobSees?: [string[], string[]];
    seen?: Set<string>;
  } = {},
) {
  const tk = opts.ticket ?? (await ticket());
  const [aLocal, aRemote] = opts.aliceSees ?? [FP_A, FP_B];
  const [bLocal, bRemote] = opts.bobSees ?? [FP_B, FP_A];
  const hello = await makeHello({
    ticket: tk.t,
    nonce: tk.jti,
    privateKey: alice.keys.privateKey,
    jobId: JOB,
    me: 'alice',
    localFingerprints: aLocal,
    remoteFingerprints: aRemote,
  });
  return checkHello(hello, {
    serviceKey: service.publicKey,
    jobId: JOB,
    me: 'bob',
    holder: 'alice',
    party: 0,
    localFingerprints: bLocal,
    remoteFingerprints: bRemote,
    seen: opts.seen ?? new Set(),
  });
}

beforeAll(async () => {
  service = (await generateKeyPair('EdDSA', { crv: 'Ed25519' })) as CryptoKeyPair;
  alice = await makeIdentity('alice');
});

describe('channel authentication', () => {
  it('accepts a peer whose ticket and fingerprint proof verify', async () => {
    const claims = await run();
    expect(claims).toMatchObject({ holder: 'alice', party: 0, jobId: JOB, key: alice.publicKey });
  });

  it('detects a relay that swapped the SDP (each side sees other fingerprints)', async () => {
    // The man in the middle terminates DTLS with its own certificate M towards each side.
    await expect(
      run({ aliceSees: [FP_A, ['sha-256 EE:EE']], bobSees: [FP_B, ['sha-256 EE:EE']] }),
    ).rejects.toMatchObject({
      code: 'ERR_PEER_AUTH',
    });
  });

  it('refuses a proof made with another key than the ticket names', async () => {
    const mallory = await makeIdentity('mallory');
    await expect(run({ ticket: await ticket({ key: mallory.publicKey }) })).rejects.toMatchObject({
      code: 'ERR_PEER_AUTH',
    });
  });

  it('refuses tickets for another audience, job, holder or party', async () => {
    await expect(run({ ticket: await ticket({ aud: jobTicketAudience(JOB, 'carol') }) })).rejects.toMatchObject({
      code: 'ERR_PEER_AUTH',
    });
    await expect(run({ ticket: await ticket({ job: crypto.randomUUID() }) })).rejects.toMatchObject({
      code: 'ERR_PEER_AUTH',
    });
    await expect(run({ ticket: await ticket({ holder: 'mallory' }) })).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
    await expect(run({ ticket: await ticket({ party: 1 }) })).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
  });

  it('refuses forged and expired tickets', async () => {
    const other = (await generateKeyPair('EdDSA', { crv: 'Ed25519' })) as CryptoKeyPair;
    await expect(run({ ticket: await ticket({ signer: other.privateKey }) })).rejects.toMatchObject({
      code: 'ERR_PEER_AUTH',
    });
    await expect(run({ ticket: await ticket({ exp: Math.floor(Date.now() / 1000) - 120 }) })).rejects.toMatchObject({
      code: 'ERR_PEER_AUTH',
    });
  });

  it('refuses a replayed ticket with ERR_TICKET_REPLAY', async () => {
    const seen = new Set<string>();
    const tk = await ticket();
    await run({ ticket: tk, seen });
    await expect(run({ ticket: tk, seen })).rejects.toMatchObject({ code: 'ERR_TICKET_REPLAY' });
  });

  it('refuses malformed hellos', async () => {
    const base = {
      serviceKey: service.publicKey,
      jobId: JOB,
      me: 'bob',
      holder: 'alice',
      party: 0,
      localFingerprints: FP_B,
      remoteFingerprints: FP_A,
      seen: new Set<string>(),
    };
    for (const bad of [null, 'hello', { v: 2 }, { v: 1, ticket: 'x.y.z', proof: 'AA' }]) {
      await expect(checkHello(bad, base)).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
    }
  });

  it('reads every DTLS fingerprint line of an SDP and refuses an SDP without one or with a malformed one', () => {
    const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 ab:cd:EF\r\na=setup:actpass\r\n';
    expect(dtlsFingerprints(sdp)).toEqual(['sha-256 AB:CD:EF']);
    for (const bad of [
      'v=0\r\n',
      `${sdp}a=fingerprint:sha-256 zz:yy\r\n`,
      `${sdp}a = fingerprint:sha-256 AB:CD:EF\r\n`,
    ])
      expect(() => dtlsFingerprints(bad)).toThrow(expect.objectContaining({ code: 'ERR_PEER_AUTH' }));
  });
});

/**
 * Both ends over real Chromium SDPs: Alice made the offer, Bob the answer. `toAlice` and `toBob`
 * are what the relay hands each side (each side's own SDP is what its browser wrote).
 */
async function overSdp(p: { toBob?: string; toAlice?: string } = {}) {
  const alicePair = () => [dtlsFingerprints(CHROMIUM_OFFER), dtlsFingerprints(p.toAlice ?? CHROMIUM_ANSWER)];
  const bobPair = () => [dtlsFingerprints(CHROMIUM_ANSWER), dtlsFingerprints(p.toBob ?? CHROMIUM_OFFER)];
  // Each side refuses before signing if its own view is refused; otherwise the other side checks.
  const [aLocal, aRemote] = alicePair();
  const [bLocal, bRemote] = bobPair();
  return run({ aliceSees: [aLocal!, aRemote!], bobSees: [bLocal!, bRemote!] });
}

describe('fingerprint lines a relay adds, copies or moves', () => {
  it('accepts honest SDPs from a real Chromium', async () => {
    expect(dtlsFingerprints(CHROMIUM_OFFER)).toEqual([
      'sha-256 1C:62:1B:C4:37:EB:6F:1A:FD:80:75:80:35:03:A4:54:70:E7:CF:E4:4C:C7:A6:1F:B9:AC:D4:7C:E6:89:91:3C',
    ]);
    await expect(overSdp()).resolves.toMatchObject({ holder: 'alice' });
  });

  it("refuses the real fingerprint followed by the relay's own at media level", async () => {
    const toBob = insertLine(CHROMIUM_OFFER, RELAY_LINE, 'a=setup');
    await expect(overSdp({ toBob })).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
    await expect(overSdp({ toAlice: insertLine(CHROMIUM_ANSWER, RELAY_LINE) })).rejects.toMatchObject({
      code: 'ERR_PEER_AUTH',
    });
  });

  it("refuses the relay's own fingerprint at session level next to the real one at media level", async () => {
    const toBob = insertLine(CHROMIUM_OFFER, RELAY_LINE, 'a=group');
    await expect(overSdp({ toBob })).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
  });

  it("refuses the relay's own fingerprint moved before the real one", async () => {
    const toBob = insertLine(CHROMIUM_OFFER, RELAY_LINE, 'a=fingerprint');
    await expect(overSdp({ toBob })).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
  });

  it('refuses a duplicated fingerprint line one side sees and the other did not sign', async () => {
    const toBob = insertLine(CHROMIUM_OFFER, realLine(CHROMIUM_OFFER), 'a=group');
    expect(dtlsFingerprints(toBob)).toHaveLength(2); // one value, two lines: readable, but not what Alice signed
    await expect(overSdp({ toBob })).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
  });
});
