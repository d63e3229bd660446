// The safety code two members of a job compare out of band (read aloud, on a call), as
// messengers do: a short number derived from both members' names and public keys. The service
// chooses the key each job ticket binds to a name, so a malicious service could put its own key
// under a peer's name; both tabs would then show different codes. Each tab computes the code
// from its own key and the key the peer proved it holds on the channel (the job ticket's key).
//
// Construction: SHA-256 over "parley-safety-code-v1", then each member as "name:x.y" (the P-256
// JWK's base64url coordinates), sorted so both tabs hash the same bytes. The code is four groups
// of five digits, each the next five hash bytes (a 40-bit integer) mod 100000, as in Signal's
// safety numbers: about 66 bits, so a key an attacker chose matches by chance with probability
// about 2^-66, and a mismatch shows in any group.

import type { PublicJwk } from '../../../shared/identity.js';

export interface Member {
  name: string;
  key: Pick<PublicJwk, 'x' | 'y'>;
}

const GROUPS = 4;
const GROUP_BYTES = 5;

/** The safety code of two members, the same whichever of them computes it. */
export async function safetyCode(a: Member, b: Member): Promise<string> {
  const entries = [a, b].map((m) => `${m.name}:${m.key.x}.${m.key.y}`).sort();
  const text = `parley-safety-code-v1\n${entries.join('\n')}`;
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let v = 0;
    for (let i = 0; i < GROUP_BYTES; i++) v = v * 256 + hash[g * GROUP_BYTES + i]!;
    groups.push(String(v % 100_000).padStart(5, '0'));
  }
  return groups.join(' ');
}

/** This tab's code with a peer: its own public key (exported) and the key the peer proved. */
export async function safetyCodeWith(me: string, myKey: CryptoKey, peer: string, peerKey: PublicJwk): Promise<string> {
  const { x, y } = await crypto.subtle.exportKey('jwk', myKey);
  if (!x || !y) throw new TypeError('the identity key is not an EC public key');
  return safetyCode({ name: me, key: { x, y } }, { name: peer, key: peerKey });
}
