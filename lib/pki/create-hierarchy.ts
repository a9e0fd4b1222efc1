import { generateKeyPair } from './generate-key-pair';
import type { KeyAlgorithm } from './algorithms';
import { createCrl } from './crl';
import type { CertificateRole } from './identity';
import { createRootCertificate, issueCertificate, type CertificateAuthorityKey } from './issue-certificate';
import type { x509 } from './x509';

/** The CAs of one brand: its brand CA and the three CAs below it. */
export interface BrandAuthorities {
  brandCa: CertificateAuthorityKey;
  merchantCa: CertificateAuthorityKey;
  gatewayCa: CertificateAuthorityKey;
  cardholderCa: CertificateAuthorityKey;
}

export interface Hierarchy {
  root: CertificateAuthorityKey;
  brands: Record<string, BrandAuthorities>;
  /** Every CA, for publishing CRLs. */
  authorities: CertificateAuthorityKey[];
}

const subCaRoles: [keyof Omit<BrandAuthorities, 'brandCa'>, CertificateRole, string][] = [
  ['merchantCa', 'merchant-ca', 'Merchant CA'],
  ['gatewayCa', 'gateway-ca', 'Payment Gateway CA'],
  ['cardholderCa', 'cardholder-ca', 'Cardholder CA'],
];

/**
 * Creates root → brand CA → merchant, gateway and cardholder CAs for each
 * brand, with native keys. The CA service persists what this returns; tests
 * and benchmarks build one in memory.
 */
export async function createHierarchy(options: {
  brands: readonly string[];
  algorithm?: KeyAlgorithm;
  organization?: string;
  notBefore?: Date;
  notAfter: Date;
}): Promise<Hierarchy> {
  const algorithm = options.algorithm ?? 'P-256';
  const organization = options.organization ?? 'ServerPOS Test PKI';
  const newKeys = () => generateKeyPair({ algorithm, purpose: 'signature', extractable: true });
  const rootKeys = await newKeys();
  const rootCertificate = await createRootCertificate({
    keys: rootKeys,
    name: { commonName: `${organization} Root CA`, organization },
    notAfter: options.notAfter,
    ...(options.notBefore ? { notBefore: options.notBefore } : {}),
  });
  const root = { certificate: rootCertificate, privateKey: rootKeys.privateKey };
  const authorities: CertificateAuthorityKey[] = [root];
  const brands: Record<string, BrandAuthorities> = {};
  for (const brand of options.brands) {
    const issue = async (issuer: CertificateAuthorityKey, role: CertificateRole, label: string) => {
      const keys = await newKeys();
      const certificate = await issueCertificate({
        issuer,
        publicKey: keys.publicKey,
        subject: { commonName: `${brand} ${label}`, organization },
        identity: { role, brand },
        notAfter: options.notAfter,
        ...(options.notBefore ? { notBefore: options.notBefore } : {}),
      });
      const authority = { certificate, privateKey: keys.privateKey };
      authorities.push(authority);
      return authority;
    };
    const brandCa = await issue(root, 'brand-ca', 'Brand CA');
    const entry = { brandCa } as BrandAuthorities;
    for (const [field, role, label] of subCaRoles) entry[field] = await issue(brandCa, role, label);
    brands[brand] = entry;
  }
  return { root, brands, authorities };
}

/** Empty CRLs of every CA in the hierarchy, in force from `thisUpdate` until `nextUpdate`. */
export async function initialCrls(hierarchy: Hierarchy, window: { thisUpdate?: Date; nextUpdate: Date }): Promise<x509.X509Crl[]> {
  return Promise.all(hierarchy.authorities.map((issuer) => createCrl({ issuer, revoked: [], nextUpdate: window.nextUpdate, ...(window.thisUpdate ? { thisUpdate: window.thisUpdate } : {}) })));
}
