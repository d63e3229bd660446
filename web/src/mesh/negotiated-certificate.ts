// Binds the channel proof to the certificates DTLS actually negotiated, not only to what the SDPs
// announce: the connection's stats (RTCCertificateStats, reached through the transport's
// localCertificateId and remoteCertificateId) must show the very certificates whose fingerprints
// the SDPs carry and the hellos sign. A browser that would accept a certificate other than the
// announced one (or a relay that slipped one past the SDP check) is caught here with
// ERR_PEER_AUTH. Where a browser reports no certificate stats, the SDP check stands alone.

import { ParleyError } from '../../../shared/errors.js';

/** One entry of an RTCStatsReport, as far as this check reads it. */
export interface StatsEntry {
  id: string;
  type: string;
  [field: string]: unknown;
}

const DIGESTS: Record<string, string> = {
  'sha-1': 'SHA-1',
  'sha-256': 'SHA-256',
  'sha-384': 'SHA-384',
  'sha-512': 'SHA-512',
};

/** The certificate's fingerprint with `algorithm` (normalised like the SDP's), or null if unknown. */
async function fingerprintOf(cert: StatsEntry | undefined, algorithm: string): Promise<string | null> {
  if (!cert) return null;
  const der = cert.base64Certificate;
  const digest = DIGESTS[algorithm];
  if (typeof der === 'string' && digest) {
    const bytes = Uint8Array.from(atob(der), (c) => c.charCodeAt(0));
    const hash = new Uint8Array(await crypto.subtle.digest(digest, bytes));
    return `${algorithm} ${[...hash].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
  }
  const alg = cert.fingerprintAlgorithm;
  const fp = cert.fingerprint;
  if (typeof alg === 'string' && typeof fp === 'string' && alg.toLowerCase() === algorithm)
    return `${algorithm} ${fp.toUpperCase()}`;
  return null;
}

/**
 * Throws ERR_PEER_AUTH unless every DTLS transport's negotiated certificates are the ones the
 * local and remote SDPs announce (`sdp`: their fingerprint lines, one distinct value each).
 */
export async function checkNegotiated(
  stats: Iterable<StatsEntry>,
  sdp: { local: readonly string[]; remote: readonly string[] },
): Promise<void> {
  const byId = new Map<string, StatsEntry>();
  for (const s of stats) byId.set(s.id, s);
  for (const t of byId.values()) {
    if (t.type !== 'transport') continue;
    for (const [side, idField] of [
      ['local', 'localCertificateId'],
      ['remote', 'remoteCertificateId'],
    ] as const) {
      const announced = sdp[side][0];
      const id = t[idField];
      if (!announced || typeof id !== 'string') continue;
      const negotiated = await fingerprintOf(byId.get(id), announced.split(' ')[0]!);
      if (negotiated !== null && negotiated !== announced)
        throw new ParleyError(
          'ERR_PEER_AUTH',
          `the ${side} certificate DTLS negotiated is not the one the session description announces (possible man in the middle)`,
        );
    }
  }
}
