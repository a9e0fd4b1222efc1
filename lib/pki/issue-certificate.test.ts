import { beforeAll, describe, expect, it } from 'vitest';
import {
  certificateKeyAlgorithm,
  createCsr,
  createHierarchy,
  generateKeyPair,
  issueCertificate,
  parseCertificate,
  certificateToBase64,
  readIdentity,
  verifyCsr,
  x509,
  type Hierarchy,
} from '@/lib/pki';

const DAY = 86_400_000;

describe('issuing certificates', () => {
  let hierarchy: Hierarchy;
  beforeAll(async () => {
    hierarchy = await createHierarchy({ brands: ['VISA', 'BANK'], notAfter: new Date(Date.now() + 30 * DAY) });
  });

  it('builds root → brand CA → merchant, gateway and cardholder CAs with roles, brands and CA flags', () => {
    const visa = hierarchy.brands.VISA!;
    expect(readIdentity(hierarchy.root.certificate)).toEqual({ role: 'root' });
    expect(readIdentity(visa.brandCa.certificate)).toEqual({ role: 'brand-ca', brand: 'VISA' });
    expect(readIdentity(visa.merchantCa.certificate)).toEqual({ role: 'merchant-ca', brand: 'VISA' });
    expect(readIdentity(hierarchy.brands.BANK!.gatewayCa.certificate)).toEqual({ role: 'gateway-ca', brand: 'BANK' });
    expect(visa.merchantCa.certificate.issuer).toBe(visa.brandCa.certificate.subject);
    const constraints = visa.brandCa.certificate.getExtension(x509.BasicConstraintsExtension);
    expect(constraints).toMatchObject({ ca: true, pathLength: 1 });
    expect(hierarchy.authorities).toHaveLength(1 + 2 * 4);
  });

  it.each(['RSA-2048', 'RSA-3072', 'P-256'] as const)('issues a %s signature certificate from a CSR, with the merchant identity and the brand inherited', async (algorithm) => {
    const keys = await generateKeyPair({ algorithm, purpose: 'signature' });
    const csr = await verifyCsr(await createCsr({ keys, subject: { commonName: 'Sakura Books, web shop', organization: 'Sakura Books' } }));
    expect(csr.algorithm).toBe(algorithm);
    const certificate = await issueCertificate({
      issuer: hierarchy.brands.VISA!.merchantCa,
      publicKey: csr.publicKey,
      subject: { commonName: 'Sakura Books, web shop', organization: 'Sakura Books' },
      identity: { role: 'merchant', usage: 'signature', acquirerId: 'ACQ-1', bin: '411111', merchantNumber: 'M-42', posId: 'pos-7' },
      notAfter: new Date(Date.now() + DAY),
    });
    expect(readIdentity(certificate)).toEqual({ role: 'merchant', usage: 'signature', brand: 'VISA', acquirerId: 'ACQ-1', bin: '411111', merchantNumber: 'M-42', posId: 'pos-7' });
    expect(certificateKeyAlgorithm(certificate)).toBe(algorithm);
    // The comma stays inside the common name: it cannot forge another attribute.
    expect(certificate.subjectName.getField('CN')).toEqual(['Sakura Books, web shop']);
    const usage = certificate.getExtension(x509.KeyUsagesExtension)!.usages;
    expect(usage & x509.KeyUsageFlags.digitalSignature).toBeTruthy();
    expect(usage & x509.KeyUsageFlags.keyCertSign).toBeFalsy();
    expect(await certificate.verify({ publicKey: hierarchy.brands.VISA!.merchantCa.certificate.publicKey, signatureOnly: true })).toBe(true);
  });

  it('marks key-exchange certificates for key encipherment (RSA) or key agreement (EC)', async () => {
    for (const [algorithm, flag] of [['RSA-2048', x509.KeyUsageFlags.keyEncipherment], ['P-256', x509.KeyUsageFlags.keyAgreement]] as const) {
      const keys = await generateKeyPair({ algorithm, purpose: 'keyExchange' });
      const certificate = await issueCertificate({
        issuer: hierarchy.brands.VISA!.gatewayCa,
        publicKey: keys.publicKey,
        subject: { commonName: 'Gateway' },
        identity: { role: 'gateway', usage: 'keyExchange', acquirerId: 'ACQ-1' },
        notAfter: new Date(Date.now() + DAY),
      });
      expect(certificate.getExtension(x509.KeyUsagesExtension)!.usages).toBe(flag);
    }
  });

  it('clips a validity longer than the issuer’s to the issuer’s end', async () => {
    const keys = await generateKeyPair({ algorithm: 'P-256', purpose: 'signature' });
    const certificate = await issueCertificate({
      issuer: hierarchy.brands.VISA!.merchantCa,
      publicKey: keys.publicKey,
      subject: { commonName: 'Long' },
      identity: { role: 'merchant', usage: 'signature' },
      notAfter: new Date(Date.now() + 3650 * DAY),
    });
    expect(certificate.notAfter.getTime()).toBeLessThanOrEqual(hierarchy.brands.VISA!.merchantCa.certificate.notAfter.getTime());
  });

  it('parses a certificate back from its x5c form to the same bytes', () => {
    const encoded = certificateToBase64(hierarchy.root.certificate);
    expect(certificateToBase64(parseCertificate(encoded))).toBe(encoded);
  });
});
