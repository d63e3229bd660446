// Peer authentication on a data channel: known-good hellos verify; a swapped SDP (man in the
// middle), a ticket for another member, job or audience, a forged or expired ticket, and a
// replayed ticket are all refused with stable codes.

import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkHello,
  dtlsFingerprint,
  JOB_TICKET_TYPE,
  jobTicketAudience,
  makeHello,
  TICKET_ISSUER,
} from '../../shared/job-ticket.js';
import { makeIdentity, type TestIdentity } from '../helpers/client.js';

const JOB = '7d6f3c1e-0000-4000-8000-000000000001';
const FP_A = 'sha-256 AA:11:22';
const FP_B = 'sha-256 BB:33:44';
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
    aliceSees?: [string, string];
    bobSees?: [string, string];
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
    localFingerprint: aLocal,
    remoteFingerprint: aRemote,
  });
  return checkHello(hello, {
    serviceKey: service.publicKey,
    jobId: JOB,
    me: 'bob',
    holder: 'alice',
    party: 0,
    localFingerprint: bLocal,
    remoteFingerprint: bRemote,
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
    await expect(run({ aliceSees: [FP_A, 'sha-256 EE:EE'], bobSees: [FP_B, 'sha-256 EE:EE'] })).rejects.toMatchObject({
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
      localFingerprint: FP_B,
      remoteFingerprint: FP_A,
      seen: new Set<string>(),
    };
    for (const bad of [null, 'hello', { v: 2 }, { v: 1, ticket: 'x.y.z', proof: 'AA' }]) {
      await expect(checkHello(bad, base)).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
    }
  });

  it('reads the DTLS fingerprint from an SDP and refuses an SDP without one', () => {
    const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=fingerprint:sha-256 ab:cd:EF\r\na=setup:actpass\r\n';
    expect(dtlsFingerprint(sdp)).toBe('sha-256 AB:CD:EF');
    expect(() => dtlsFingerprint('v=0\r\n')).toThrow(expect.objectContaining({ code: 'ERR_PEER_AUTH' }));
    void exportJWK;
  });
});
