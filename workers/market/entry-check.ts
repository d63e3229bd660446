// The seller's tab's check of a countersigned decryption request before its key is used: the
// service's Ed25519 signature over the entry, and that the entry belongs to this purchase.

import { ParleyError } from '../../shared/errors.js';
import { serviceSignedBytes, type LedgerEntry } from '../../shared/ledger.js';
import { fromBase64Url } from '../../shared/random.js';

export async function checkServiceEntry(entry: LedgerEntry, serviceKey: CryptoKey, purchase: string): Promise<void> {
  let ok = false;
  try {
    ok = await crypto.subtle.verify({ name: 'Ed25519' }, serviceKey, fromBase64Url(entry.serviceSig) as BufferSource, serviceSignedBytes(entry) as BufferSource);
  } catch {
    ok = false;
  }
  if (!ok) throw new ParleyError('ERR_ALTERED', `ledger entry ${entry.seq} does not carry the service's signature`);
  if (entry.purchase !== purchase) throw new ParleyError('ERR_ALTERED', `ledger entry ${entry.seq} belongs to another purchase`);
}
