// The safety code members compare out of band: a known answer (computed independently with
// Node's hash), the same code from either side, and a different code when the service handed a
// tab another key (or another name) for the peer.

import { describe, expect, it } from 'vitest';
import { safetyCode, safetyCodeWith } from '../../../web/src/mesh/safety-code.js';
import { makeIdentity } from '../../helpers/client.js';

const alice = { name: 'alice', key: { x: 'AX', y: 'AY' } };
const bob = { name: 'bob', key: { x: 'BX', y: 'BY' } };

describe('safety code', () => {
  it('matches the known answer: SHA-256 of the sorted members, four groups of five digits', async () => {
    // sha256("parley-safety-code-v1\nalice:AX.AY\nbob:BX.BY") = 7a2110e51a 1d4047c135 31563373ef c2dcb42057 …; each 40-bit group mod 100000
    expect(await safetyCode(alice, bob)).toBe('65466 95925 10095 47703');
  });

  it('is the same whichever member computes it', async () => {
    expect(await safetyCode(bob, alice)).toBe(await safetyCode(alice, bob));
  });

  it("differs when a tab got another key or another name for the peer (a service's substitution)", async () => {
    const honest = await safetyCode(alice, bob);
    expect(await safetyCode(alice, { ...bob, key: { x: 'MX', y: 'BY' } })).not.toBe(honest);
    expect(await safetyCode(alice, { ...bob, key: { x: 'BX', y: 'MY' } })).not.toBe(honest);
    expect(await safetyCode({ ...alice, key: { x: 'MX', y: 'MY' } }, bob)).not.toBe(honest);
    expect(await safetyCode(alice, { ...bob, name: 'bobby' })).not.toBe(honest);
  });

  it('reads real P-256 identity keys: both tabs get one code, a substituted key another', async () => {
    const [a, b, m] = await Promise.all([makeIdentity('alice'), makeIdentity('bob'), makeIdentity('mallory')]);
    const atAlice = await safetyCodeWith('alice', a.keys.publicKey, 'bob', b.publicKey);
    const atBob = await safetyCodeWith('bob', b.keys.publicKey, 'alice', a.publicKey);
    expect(atAlice).toMatch(/^\d{5} \d{5} \d{5} \d{5}$/);
    expect(atBob).toBe(atAlice);
    // The service put mallory's key under bob's name in alice's ticket: alice's code differs.
    expect(await safetyCodeWith('alice', a.keys.publicKey, 'bob', m.publicKey)).not.toBe(atBob);
  });
});
