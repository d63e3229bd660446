// The seller's one check before decrypting (workers/market/entry-check.ts): a request entry
// must carry the service's signature and be a decrypt-request of this purchase by this buyer.
// Each refusal is ERR_ALTERED; re-signing an entry with another key does not pass.

import { beforeAll, describe, expect, it } from 'vitest';
import { type LedgerEntry, serviceSignedBytes } from '../../../shared/ledger.js';
import { toBase64Url } from '../../../shared/random.js';
import { checkServiceEntry } from '../../../workers/market/entry-check.js';

const PURCHASE = '11111111-1111-4111-8111-111111111111';
let service: CryptoKeyPair;
let other: CryptoKeyPair;

async function signed(key: CryptoKey, fields: Partial<LedgerEntry> = {}): Promise<LedgerEntry> {
  const entry: Omit<LedgerEntry, 'serviceSig'> = {
    seq: 7,
    prev: '0'.repeat(64),
    at: 1,
    type: 'decrypt-request',
    actor: 'bea',
    listing: null,
    purchase: PURCHASE,
    request: '{}',
    actorKey: null,
    actorSig: null,
    ...fields,
  };
  const sig = await crypto.subtle.sign({ name: 'Ed25519' }, key, serviceSignedBytes(entry) as BufferSource);
  return { ...entry, serviceSig: toBase64Url(new Uint8Array(sig)) };
}

beforeAll(async () => {
  service = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
});

describe('the seller checks a request entry before decrypting', () => {
  it('passes a countersigned decrypt-request of this purchase by this buyer', async () => {
    await expect(
      checkServiceEntry(await signed(service.privateKey), service.publicKey, PURCHASE, 'bea'),
    ).resolves.toBeUndefined();
  });

  it('refuses an entry without the service signature, or with a field changed after signing', async () => {
    const entry = await signed(service.privateKey);
    await expect(
      checkServiceEntry(await signed(other.privateKey), service.publicKey, PURCHASE, 'bea'),
    ).rejects.toMatchObject({ code: 'ERR_ALTERED', message: expect.stringContaining("service's signature") });
    await expect(
      checkServiceEntry({ ...entry, serviceSig: '' }, service.publicKey, PURCHASE, 'bea'),
    ).rejects.toMatchObject({ code: 'ERR_ALTERED' });
    await expect(checkServiceEntry({ ...entry, seq: 8 }, service.publicKey, PURCHASE, 'bea')).rejects.toMatchObject({
      code: 'ERR_ALTERED',
    });
  });

  it('refuses a request that carries no entry at all (a modified buyer) with ERR_ALTERED', async () => {
    for (const bad of [null, 7, 'entry'])
      await expect(
        checkServiceEntry(bad as unknown as LedgerEntry, service.publicKey, PURCHASE, 'bea'),
      ).rejects.toMatchObject({ code: 'ERR_ALTERED' });
  });

  it('refuses a signed entry of another purchase, by another participant, or of another type', async () => {
    const mine = await signed(service.privateKey);
    await expect(
      checkServiceEntry(mine, service.publicKey, '22222222-2222-4222-8222-222222222222', 'bea'),
    ).rejects.toMatchObject({ code: 'ERR_ALTERED', message: expect.stringContaining('another purchase') });
    await expect(
      checkServiceEntry(await signed(service.privateKey, { actor: 'eve' }), service.publicKey, PURCHASE, 'bea'),
    ).rejects.toMatchObject({ code: 'ERR_ALTERED', message: expect.stringContaining('another participant') });
    await expect(
      checkServiceEntry(await signed(service.privateKey, { type: 'decryption' }), service.publicKey, PURCHASE, 'bea'),
    ).rejects.toMatchObject({ code: 'ERR_ALTERED', message: expect.stringContaining('not a decryption request') });
  });
});
