// The seller's check of a countersigned decryption request before its key touches anything:
// the service's Ed25519 signature over the entry, and that the entry is a decrypt-request of
// this purchase by this buyer. The one copy: the seller's job worker runs it on every request
// (channel.ts), with the service's public key the page hands it.

import { ParleyError } from '../../shared/errors.js';
import { type LedgerEntry, serviceSignedBytes } from '../../shared/ledger.js';
import { fromBase64Url } from '../../shared/random.js';

export async function checkServiceEntry(
  entry: LedgerEntry,
  serviceKey: CryptoKey,
  purchase: string,
  buyer: string,
): Promise<void> {
  if (typeof entry !== 'object' || entry === null)
    throw new ParleyError('ERR_ALTERED', 'the request carries no ledger entry');
  let ok = false;
  try {
    const sig = fromBase64Url(entry.serviceSig) as BufferSource;
    ok = await crypto.subtle.verify({ name: 'Ed25519' }, serviceKey, sig, serviceSignedBytes(entry) as BufferSource);
  } catch {
    ok = false;
  }
  if (!ok) throw new ParleyError('ERR_ALTERED', `ledger entry ${entry.seq} does not carry the service's signature`);
  if (entry.type !== 'decrypt-request')
    throw new ParleyError('ERR_ALTERED', `ledger entry ${entry.seq} is not a decryption request`);
  if (entry.purchase !== purchase)
    throw new ParleyError('ERR_ALTERED', `ledger entry ${entry.seq} belongs to another purchase`);
  if (entry.actor !== buyer)
    throw new ParleyError('ERR_ALTERED', `ledger entry ${entry.seq} was requested by another participant`);
}
