import * as asn1js from 'asn1js';
import { PkiError } from './errors';
import { x509 } from './x509';

/**
 * Where a certificate stands in the SET hierarchy. Issuance is constrained by
 * role (see `mayIssue`): a merchant CA can issue merchant certificates and
 * nothing else, a gateway CA only gateway certificates.
 */
export type CertificateRole =
  | 'root'
  | 'brand-ca'
  | 'merchant-ca'
  | 'gateway-ca'
  | 'cardholder-ca'
  | 'ca-service'
  | 'merchant'
  | 'gateway'
  | 'cardholder';

export const caRoles: readonly CertificateRole[] = ['root', 'brand-ca', 'merchant-ca', 'gateway-ca', 'cardholder-ca'];

const issuable: Record<CertificateRole, readonly CertificateRole[]> = {
  root: ['brand-ca', 'ca-service'],
  'brand-ca': ['merchant-ca', 'gateway-ca', 'cardholder-ca'],
  'merchant-ca': ['merchant'],
  'gateway-ca': ['gateway'],
  'cardholder-ca': ['cardholder'],
  'ca-service': [],
  merchant: [],
  gateway: [],
  cardholder: [],
};

/** Whether a certificate of role `issuer` may issue one of role `subject`. */
export function mayIssue(issuer: CertificateRole, subject: CertificateRole): boolean {
  return issuable[issuer].includes(subject);
}

/**
 * The SET-like identity a certificate carries beside its subject name:
 * brand (VISA, MASTER, JCB, BANK…), and for merchants the acquirer, its BIN,
 * the merchant number and the POS; for gateways the acquirer.
 */
export interface SetIdentity {
  role: CertificateRole;
  /** What the key is for; absent on CA certificates. */
  usage?: 'signature' | 'keyExchange';
  brand?: string;
  acquirerId?: string;
  bin?: string;
  merchantNumber?: string;
  posId?: string;
}

/**
 * OID of the identity extension. 32473 is IANA's enterprise number reserved
 * for documentation and examples (RFC 5612), right for a simulated PKI; a
 * production deployment registers its own number. (A UUID-derived 2.25 OID
 * would need no registration, but ASN.1 parsers here lose its 128-bit arc.)
 */
export const SET_IDENTITY_OID = '1.3.6.1.4.1.32473.1.1';

const roles = new Set<string>(Object.keys(issuable));
const fieldPattern = /^[A-Za-z0-9._:-]{1,64}$/;

/** The identity as a non-critical extension: canonical JSON in a DER UTF8String. */
export function identityExtension(identity: SetIdentity): x509.Extension {
  const canonical: Record<string, string> = {};
  for (const key of ['role', 'usage', 'brand', 'acquirerId', 'bin', 'merchantNumber', 'posId'] as const) {
    const value = identity[key];
    if (value !== undefined) canonical[key] = value;
  }
  checkIdentity(canonical);
  const der = new asn1js.Utf8String({ value: JSON.stringify(canonical) }).toBER();
  return new x509.Extension(SET_IDENTITY_OID, false, der);
}

const identities = new WeakMap<x509.X509Certificate, SetIdentity>();

/** Reads the identity of a certificate; a certificate without one is not part of this PKI. */
export function readIdentity(certificate: x509.X509Certificate): SetIdentity {
  let identity = identities.get(certificate);
  if (!identity) {
    identity = Object.freeze(decodeIdentity(certificate));
    identities.set(certificate, identity);
  }
  return identity;
}

function decodeIdentity(certificate: x509.X509Certificate): SetIdentity {
  const extension = certificate.getExtension(SET_IDENTITY_OID);
  if (!extension) throw new PkiError('malformed_certificate', 'The certificate carries no SET identity.');
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    // fromBER reports most errors by offset -1, but throws on some (a UniversalString of odd length: a RangeError).
    parsed = asn1js.fromBER(extension.value);
  } catch {
    throw new PkiError('malformed_certificate', 'The SET identity extension is not valid BER.');
  }
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Utf8String)) {
    throw new PkiError('malformed_certificate', 'The SET identity extension is not a UTF8String.');
  }
  let value: unknown;
  try {
    value = JSON.parse(parsed.result.valueBlock.value);
  } catch {
    throw new PkiError('malformed_certificate', 'The SET identity extension is not JSON.');
  }
  return checkIdentity(value);
}

function checkIdentity(value: unknown): SetIdentity {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PkiError('malformed_certificate', 'The SET identity must be an object.');
  }
  const record = value as Record<string, unknown>;
  if (typeof record.role !== 'string' || !roles.has(record.role)) throw new PkiError('malformed_certificate', 'The SET identity has no valid role.');
  if (record.usage !== undefined && record.usage !== 'signature' && record.usage !== 'keyExchange') {
    throw new PkiError('malformed_certificate', 'The SET identity has an unknown usage.');
  }
  for (const key of ['brand', 'acquirerId', 'bin', 'merchantNumber', 'posId'] as const) {
    const field = record[key];
    if (field !== undefined && (typeof field !== 'string' || !fieldPattern.test(field))) {
      throw new PkiError('malformed_certificate', `The SET identity's ${key} is not a short identifier.`);
    }
  }
  const extra = Object.keys(record).filter((key) => !['role', 'usage', 'brand', 'acquirerId', 'bin', 'merchantNumber', 'posId'].includes(key));
  if (extra.length > 0) throw new PkiError('malformed_certificate', `The SET identity has unknown fields: ${extra.join(', ')}.`);
  return record as unknown as SetIdentity;
}
