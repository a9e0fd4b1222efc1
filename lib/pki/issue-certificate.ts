import { certificateSigningAlgorithm, keyAlgorithmOf } from './algorithms';
import { PkiError } from './errors';
import { caRoles, identityExtension, mayIssue, readIdentity, type SetIdentity } from './identity';
import { toJsonName, type SubjectName } from './names';
import { randomBytes, x509 } from './x509';

/** A CA's certificate with the private key that signs what it issues. */
export interface CertificateAuthorityKey {
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
}

const { KeyUsageFlags } = x509;

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // a positive INTEGER
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function keyUsageFor(identity: SetIdentity, publicKeyAlgorithm: string): number {
  if (caRoles.includes(identity.role)) return KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign;
  if (identity.usage === 'signature') return KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation;
  return publicKeyAlgorithm === 'P-256' ? KeyUsageFlags.keyAgreement : KeyUsageFlags.keyEncipherment;
}

/** Path length a CA of this role may have below it: brand CA → sub-CA → leaf. */
function pathLength(identity: SetIdentity): number | undefined {
  if (identity.role === 'root') return undefined;
  return identity.role === 'brand-ca' ? 1 : 0;
}

async function extensionsFor(identity: SetIdentity, publicKey: x509.PublicKey, issuer?: x509.X509Certificate): Promise<x509.Extension[]> {
  const isCa = caRoles.includes(identity.role);
  const algorithm = keyAlgorithmOf(publicKey.algorithm as Algorithm & { modulusLength?: number; namedCurve?: string });
  if (!isCa && identity.usage === undefined) throw new PkiError('invalid_request', 'A leaf certificate needs a usage: signature or keyExchange.');
  if (isCa && identity.usage !== undefined) throw new PkiError('invalid_request', 'A CA certificate has no key usage of its own.');
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(isCa, isCa ? pathLength(identity) : undefined, true),
    new x509.KeyUsagesExtension(keyUsageFor(identity, algorithm), true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
    identityExtension(identity),
  ];
  if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey));
  return extensions;
}

/** A self-signed root certificate: the trust anchor every party pins. */
export async function createRootCertificate(options: {
  keys: { publicKey: CryptoKey; privateKey: CryptoKey };
  name: SubjectName;
  notBefore?: Date;
  notAfter: Date;
}): Promise<x509.X509Certificate> {
  const identity: SetIdentity = { role: 'root' };
  const publicKey = await x509.PublicKey.create(options.keys.publicKey);
  return x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: toJsonName(options.name),
    issuer: toJsonName(options.name),
    notBefore: options.notBefore ?? new Date(),
    notAfter: options.notAfter,
    publicKey: options.keys.publicKey,
    signingKey: options.keys.privateKey,
    signingAlgorithm: certificateSigningAlgorithm(options.keys.privateKey),
    extensions: await extensionsFor(identity, publicKey),
  });
}

/**
 * Issues a certificate for a public key (a CryptoKey, or SPKI bytes taken from a
 * verified CSR or CertReq). The issuer must be allowed to issue the role, its
 * brand is inherited, and the validity is clipped to the issuer's own.
 */
export async function issueCertificate(options: {
  issuer: CertificateAuthorityKey;
  publicKey: CryptoKey | Uint8Array;
  subject: SubjectName;
  identity: SetIdentity;
  notBefore?: Date;
  notAfter: Date;
}): Promise<x509.X509Certificate> {
  const issuerIdentity = readIdentity(options.issuer.certificate);
  const identity = { ...options.identity };
  if (!mayIssue(issuerIdentity.role, identity.role)) {
    throw new PkiError('issuer_not_allowed', `A ${issuerIdentity.role} certificate cannot issue a ${identity.role} certificate.`);
  }
  if (issuerIdentity.role !== 'root') {
    if (identity.brand !== undefined && identity.brand !== issuerIdentity.brand) {
      throw new PkiError('brand_mismatch', `A ${issuerIdentity.brand ?? 'brandless'} CA cannot issue for brand ${identity.brand}.`);
    }
    if (issuerIdentity.brand !== undefined) identity.brand = issuerIdentity.brand;
  } else if (identity.role === 'brand-ca' && !identity.brand) {
    throw new PkiError('invalid_request', 'A brand CA needs a brand.');
  }
  const publicKey =
    options.publicKey instanceof Uint8Array ? new x509.PublicKey(new Uint8Array(options.publicKey)) : await x509.PublicKey.create(options.publicKey);
  const notBefore = options.notBefore ?? new Date();
  const notAfter = options.notAfter > options.issuer.certificate.notAfter ? options.issuer.certificate.notAfter : options.notAfter;
  if (notAfter <= notBefore) throw new PkiError('invalid_request', 'The validity period is empty (the issuer expires first?).');
  return x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: toJsonName(options.subject),
    issuer: options.issuer.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey,
    signingKey: options.issuer.privateKey,
    signingAlgorithm: certificateSigningAlgorithm(options.issuer.privateKey),
    extensions: await extensionsFor(identity, publicKey, options.issuer.certificate),
  });
}
