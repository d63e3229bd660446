// The channel proof's binding to the certificates DTLS negotiated: over stats as headless
// Chromium reports them, the announced certificate passes; a negotiated certificate that is not
// the announced one (a relay's, slipped past the SDP check) is refused with ERR_PEER_AUTH, from
// the certificate's bytes or from its reported fingerprint; no certificate stats, no check.

import { describe, expect, it } from 'vitest';
import { checkNegotiated, type StatsEntry } from '../../../web/src/mesh/negotiated-certificate.js';

/** A DTLS certificate from headless Chromium 156's getStats(), and its SDP fingerprint. */
const CERT_DER =
  'MIIBFTCBvaADAgECAgkA0Ul9Fg7XJKMwCgYIKoZIzj0EAwIwETEPMA0GA1UEAwwGV2ViUlRDMB4XDTI2MTIwNjE5MTgxMVoXDTI3MDEwNjE5MTgxMVowETEPMA0GA1UEAwwGV2ViUlRDMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8ARnQxBl56raMngcTRtloWxgXPILWWLaUgHVGrg+GdiYhytN2bS6zh8XalYepfOUdf0HQq6n4g0RnjUZ+VS4WTAKBggqhkjOPQQDAgNHADBEAiAKCDiyYIKfTDUs/xV5/kV1M9XKR0b2teF9EYD8/Cs7rgIgHXMwu/V9GPJG+TjjMbN+AEOZ6wBvt7/hUnDVG1VHBLQ=';
const CERT_FP = '1C:62:1B:C4:37:EB:6F:1A:FD:80:75:80:35:03:A4:54:70:E7:CF:E4:4C:C7:A6:1F:B9:AC:D4:7C:E6:89:91:3C';
const OTHER_FP = '80:E2:4F:30:49:49:41:E0:76:DC:95:8C:F3:7D:82:2F:7E:6B:A4:64:E2:E0:01:F0:7C:0B:61:66:6A:A6:61:2F';

const cert = (id: string, fields: Record<string, unknown>): StatsEntry => ({ id, type: 'certificate', ...fields });
const transport: StatsEntry = { id: 'T01', type: 'transport', localCertificateId: 'CL', remoteCertificateId: 'CR' };
const withDer = (fp: string) => ({ fingerprint: fp, fingerprintAlgorithm: 'sha-256', base64Certificate: CERT_DER });

describe('negotiated certificates', () => {
  it('accepts the certificates the SDPs announce', async () => {
    const stats = [transport, cert('CL', withDer(CERT_FP)), cert('CR', withDer(CERT_FP))];
    await expect(
      checkNegotiated(stats, { local: [`sha-256 ${CERT_FP}`], remote: [`sha-256 ${CERT_FP}`] }),
    ).resolves.toBeUndefined();
  });

  it("refuses a negotiated peer certificate that is not the announced one (the relay's)", async () => {
    // The SDP names the real peer's certificate; DTLS ran with the relay's (CERT_DER).
    const stats = [transport, cert('CL', withDer(CERT_FP)), cert('CR', withDer(CERT_FP))];
    await expect(
      checkNegotiated(stats, { local: [`sha-256 ${CERT_FP}`], remote: [`sha-256 ${OTHER_FP}`] }),
    ).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
  });

  it("reads the certificate's bytes, not the fingerprint field, when both are there", async () => {
    const lying = [transport, cert('CL', withDer(CERT_FP)), cert('CR', withDer(OTHER_FP))];
    await expect(
      checkNegotiated(lying, { local: [`sha-256 ${CERT_FP}`], remote: [`sha-256 ${OTHER_FP}`] }),
    ).rejects.toMatchObject({ code: 'ERR_PEER_AUTH' });
  });

  it('uses the reported fingerprint where the bytes are missing', async () => {
    const stats = [transport, cert('CR', { fingerprint: OTHER_FP.toLowerCase(), fingerprintAlgorithm: 'sha-256' })];
    await expect(checkNegotiated(stats, { local: [], remote: [`sha-256 ${OTHER_FP}`] })).resolves.toBeUndefined();
    await expect(checkNegotiated(stats, { local: [], remote: [`sha-256 ${CERT_FP}`] })).rejects.toMatchObject({
      code: 'ERR_PEER_AUTH',
    });
  });

  it('leaves the SDP check alone where the browser reports no certificate stats', async () => {
    await expect(
      checkNegotiated([{ id: 'T01', type: 'transport' }], {
        local: [`sha-256 ${CERT_FP}`],
        remote: [`sha-256 ${OTHER_FP}`],
      }),
    ).resolves.toBeUndefined();
  });
});
