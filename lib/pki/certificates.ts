import { keyAlgorithmOf, type KeyAlgorithm } from './algorithms';
import { PkiError } from './errors';
import { x509 } from './x509';

const parsed = new Map<string, x509.X509Certificate>();
const PARSE_CACHE_LIMIT = 10_000;

/**
 * Parses a certificate from DER (or base64 DER, as in `x5c`). Parsing is ~0.5 ms
 * of pure JS, as costly as an RSA signature, so results are kept by their
 * bytes: a gateway sees the same few hundred merchant chains again and again.
 */
export function parseCertificate(input: string | Uint8Array): x509.X509Certificate {
  const key = typeof input === 'string' ? input : base64Of(input);
  const cached = parsed.get(key);
  if (cached) return cached;
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(typeof input === 'string' ? fromBase64(input) : new Uint8Array(input));
    // @peculiar/x509 decodes names, validity, key and extensions on first access: decode them here, so
    // that a certificate with a malformed field is refused now, not by a raw ASN.1 error mid-validation.
    void [certificate.subject, certificate.issuer, certificate.notBefore, certificate.notAfter, certificate.serialNumber, certificate.publicKey, certificate.extensions];
  } catch {
    throw new PkiError('malformed_certificate', 'The certificate is not valid DER.');
  }
  if (parsed.size >= PARSE_CACHE_LIMIT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(key, certificate);
  return certificate;
}

/** Parses a chain of PEM certificates (leaf first), e.g. as a POS keeps its certificate with the CAs above it. */
export function parseCertificateChainPem(pem: string): x509.X509Certificate[] {
  if (!/^-----BEGIN CERTIFICATE-----/.test(pem.trim())) throw new PkiError('malformed_certificate', 'Not a PEM certificate.');
  try {
    return x509.PemConverter.decode(pem).map((der) => parseCertificate(new Uint8Array(der)));
  } catch {
    throw new PkiError('malformed_certificate', 'The PEM certificate chain is not valid.');
  }
}

/** Parses a PEM certificate (the first, when there are several). */
export function parseCertificatePem(pem: string): x509.X509Certificate {
  if (!/^-----BEGIN CERTIFICATE-----/.test(pem.trim())) throw new PkiError('malformed_certificate', 'Not a PEM certificate.');
  try {
    return parseCertificate(new Uint8Array(x509.PemConverter.decodeFirst(pem)));
  } catch {
    throw new PkiError('malformed_certificate', 'The PEM certificate is not valid.');
  }
}

/** The certificate as standard base64 DER, the form `x5c` carries. */
export function certificateToBase64(certificate: x509.X509Certificate): string {
  return base64Of(new Uint8Array(certificate.rawData));
}

const thumbprints = new WeakMap<x509.X509Certificate, Promise<string>>();

/** SHA-256 thumbprint of a certificate as base64url (JOSE's `x5t#S256`); computed once per parsed certificate. */
export function thumbprint(certificate: x509.X509Certificate): Promise<string> {
  let value = thumbprints.get(certificate);
  if (!value) {
    value = globalThis.crypto.subtle.digest('SHA-256', certificate.rawData).then((digest) => base64UrlOf(new Uint8Array(digest)));
    thumbprints.set(certificate, value);
  }
  return value;
}

/** Which key algorithm the certificate's public key uses. */
export function certificateKeyAlgorithm(certificate: x509.X509Certificate): KeyAlgorithm {
  return keyAlgorithmOf(certificate.publicKey.algorithm as Algorithm & { modulusLength?: number; namedCurve?: string });
}

/** Node's Buffer encodes base64 natively; the browser falls back to btoa. */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

export function base64Of(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  for (let index = 0; index < bytes.length; index += 0x8000) binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(binary);
}

/** Base64url without padding. */
export function base64UrlOf(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  return base64Of(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new PkiError('malformed_certificate', 'Not base64.');
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
